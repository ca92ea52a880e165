"""Triage on Wren, a desktop-style webmail: rows selected by clicking them, toolbar items that are aria-disabled
menu items, a "More" menu item, "Show next page" beside "Messages 1 to 10 of 24", sender names with the address
only in a tooltip, "Today 20:05" dates and unread shown only by bold and a dot. Rules only, no model key; what
happened is read from Wren's change log.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest

from backend.servers import ThreadedServer
from tests.integration.triage.conftest import add_rule, batches, ended, triage
from tests.live import Deputy, start_deputy
from tests.sites.wren import client
from tests.sites.wren.app import create_app
from tests.sites.wren.seed import FIELDNOTES, SHOPMART, seed_messages

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wren_server() -> Iterator[ThreadedServer]:
    with ThreadedServer(create_app()) as server:
        yield server


@pytest.fixture
def wren(wren_server: ThreadedServer) -> str:
    client.reset(wren_server.url)
    return wren_server.url


@pytest.fixture
def deputy(tmp_path: Path) -> Iterator[Deputy]:
    with start_deputy(tmp_path / "data") as server:
        yield server


def test_rules_archive_two_newsletter_senders_on_every_page_by_row_clicks(deputy: Deputy, wren: str) -> None:
    # One rule by the name the list shows, one by the domain only the name's tooltip holds.
    add_rule(deputy, {"match": {"sender": SHOPMART[0]}, "action": "archive"})
    add_rule(deputy, {"match": {"domain": FIELDNOTES[1].split("@")[1]}, "action": "archive"})
    task_id = triage(deputy, f"{wren}/mail/")

    found = batches(deputy, task_id, 1)
    seeded = {m.id: m for m in seed_messages()}
    covered = {i for i, m in seeded.items() if m.sender in (SHOPMART[0], FIELDNOTES[0])}
    assert len(covered) == 8
    assert len(found) == 1, found  # three pages, one approval
    batch = found[0]
    items = {(i["sender"], i["subject"]) for i in batch["params"]["items"]}
    assert items == {(seeded[i].sender, seeded[i].subject) for i in covered}
    dates = {i["date"] for i in batch["params"]["items"]}
    assert dates >= {"Today 20:12", "Today 17:30", "Yesterday 11:15"}  # dates apart from subjects
    assert client.changes(wren) == []

    answer = deputy.post(f"/api/approvals/{batch['id']}/approve", {}, token=deputy.local_token)
    assert answer.status_code == 200, answer.text
    task = ended(deputy, task_id, within=150)
    assert task["status"] == "finished", task

    now = {m["id"]: m for m in client.messages(wren)}
    for message_id, seed in seeded.items():
        if message_id in covered:
            assert now[message_id]["folder"] == "archive", (seed.subject, now[message_id])
        else:
            assert (now[message_id]["folder"], now[message_id]["unread"]) == ("inbox", seed.unread), seed.subject
    changes = client.changes(wren)
    assert changes and all(c["what"] == "move" and c["after"]["to"] == "archive" for c in changes), changes
    assert set().union(*(c["after"]["ids"] for c in changes)) == covered
