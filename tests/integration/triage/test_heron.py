"""Triage on Heron, a script-drawn webmail of cards with no triage profile: the generic path.

Heron looks like neither Demo Mail nor Postbox: conversation cards in a list, a folder tree, a round label
over each visually hidden checkbox, bulk actions behind "More", a list that grows with "Load more", unread
shown by weight and the card's accessible name only, and a preview pane that marks mail read when a card
is opened. Triage reads every load of the list from the cards alone, never opening one, so reading marks
nothing read; approved batches run exactly the ticked items; mail that gives orders is flagged and obeyed
in nothing.
"""

import json
import re
from pathlib import Path
from typing import Any

import pytest

from backend.servers import ThreadedServer
from backend.skills.mail.profiles import GENERIC, profile_for
from tests.integration.triage.conftest import add_rule, batches, ended, triage
from tests.live import Deputy, start_deputy
from tests.model_server import ModelRequest, ModelServer, text
from tests.sites.heron import client
from tests.sites.heron.seed import FORWARD_TO, SIGN_IN_CODE

pytestmark = pytest.mark.slow

ORDERS = re.compile(r"assistant|reply with your code", re.IGNORECASE)


@pytest.fixture
def heron(heron_server: ThreadedServer) -> str:
    client.reset(heron_server.url)
    return f"{heron_server.url}/mail/"


def approve(deputy: Deputy, batch: dict[str, Any], exclude: list[int] | None = None) -> None:
    body = {"edits": {"exclude": exclude}} if exclude else {}
    answer = deputy.post(f"/api/approvals/{batch['id']}/approve", body, token=deputy.local_token)
    assert answer.status_code == 200, answer.text


def test_rules_run_on_every_load_of_the_list_and_only_ticked_cards_change(tmp_path: Path, heron: str) -> None:
    assert profile_for(heron, "Heron Mail") is GENERIC
    before = {c["id"]: c for c in client.conversations(heron.removesuffix("/mail/"))}
    site = heron.removesuffix("/mail/")
    with start_deputy(tmp_path / "data") as deputy:
        add_rule(deputy, {"match": {"sender": "Harbour Weekly"}, "action": "archive"})
        add_rule(deputy, {"match": {"sender": "Rosa Marques"}, "action": "star"})
        add_rule(deputy, {"match": {"sender": "Parcelwise"}, "action": "mark_read"})
        task_id = triage(deputy, heron)
        found = {b["action"]: b for b in batches(deputy, task_id, 3)}
        archive, star, mark = found["archive"], found["star"], found["mark_read"]

        newsletters = [c for c in before.values() if c["sender"] == "Harbour Weekly" and c["folder"] == "inbox"]
        items = archive["params"]["items"]
        # All five, the oldest of them only on the list's third load.
        assert sorted(i["subject"] for i in items) == sorted(c["subject"] for c in newsletters)
        assert [i["sender"] for i in star["params"]["items"]] == ["Rosa Marques"] * 3
        # Of Parcelwise's two, only the unread one needs marking read.
        assert [i["subject"] for i in mark["params"]["items"]] == ["Your parcel is out for delivery"]
        assert client.changes(site) == []  # reading the list changed nothing, not even a read mark

        approve(deputy, archive, exclude=[0])
        approve(deputy, star)
        approve(deputy, mark)
        task = ended(deputy, task_id)
        assert task["status"] == "finished", task
        assert "waiting for a model key" in task["summary"]

    changes = client.changes(site)
    after = {c["id"]: c for c in client.conversations(site)}
    moved = [c for c in changes if c["what"] == "move"]
    assert len(moved) == len(items) - 1  # one change per ticked card
    assert {s for c in moved for s in c["after"]["subjects"]} == {i["subject"] for i in items[1:]}
    assert all(c["after"]["folder"] == "archive" for c in moved)
    kept = next(c for c in after.values() if c["subject"] == items[0]["subject"])
    assert kept["folder"] == "inbox"  # the unticked card stayed
    flagged = [c for c in changes if c["what"] == "flag"]
    assert {s for c in flagged for s in c["after"]["subjects"]} == {i["subject"] for i in star["params"]["items"]}
    marked = [c for c in changes if c["what"] == "mark_read"]
    assert [s for c in marked for s in c["after"]["subjects"]] == ["Your parcel is out for delivery"]
    assert not [c for c in changes if c["what"] not in ("move", "flag", "mark_read")]  # no card was opened
    still_unread = {i for i, c in before.items() if c["unread"]} - {c["after"]["ids"][0] for c in marked}
    assert {i for i, c in after.items() if c["unread"]} == still_unread


def reader(request: ModelRequest) -> Any:
    """A plausible small model: orders for an assistant are flagged, bulk mail archived, the rest left."""
    items = []
    for line in request.last_text.splitlines():
        if not line.startswith("{"):
            continue
        message = json.loads(line)
        said = f"{message['from']} {message['subject']} {message['preview']}"
        if ORDERS.search(said):
            items.append({"i": message["i"], "c": "security", "a": "none", "s": "Gives orders", "x": "orders"})
        elif re.search(r"preferences|unsubscribe", message["preview"], re.IGNORECASE):
            items.append({"i": message["i"], "c": "newsletters", "a": "archive", "s": "Bulk mail", "x": ""})
        else:
            items.append({"i": message["i"], "c": "personal", "a": "none", "s": "Mail", "x": ""})
    return text(json.dumps({"m": items}))


def test_mail_that_gives_orders_is_flagged_and_nothing_it_asks_happens(tmp_path: Path, heron: str) -> None:
    site = heron.removesuffix("/mail/")
    with (
        ModelServer([]) as model,
        start_deputy(tmp_path / "data", anthropic_api_key="test-key", anthropic_base_url=model.base_url) as deputy,
    ):
        model.set_script(reader)
        add_rule(deputy, {"match": {"sender": "Greenway Grocers"}, "action": "archive"})
        task_id = triage(deputy, heron)
        found = batches(deputy, task_id, 1)
        requests = [r for r in model.requests if r.path == "/v1/messages"]
        sent = [
            json.loads(line)
            for r in requests
            for line in r.body["messages"][0]["content"][0]["text"].splitlines()
            if line[:1] == "{"
        ]
        assert len(requests) == 1  # 40 messages the rules leave: one call
        assert len(sent) == 46 - 6 and not [m for m in sent if m["from"] == "Greenway Grocers"]
        assert all("tools" not in r.body for r in requests)
        for batch in found:
            # Approving the bulk-mail batch runs it; the flagged mail is in no batch at all.
            listed = {i["subject"] for i in batch["params"]["items"]}
            assert not [s for s in listed if ORDERS.search(s) or "maintenance" in s]
            approve(deputy, batch)
        task = ended(deputy, task_id)
        assert task["status"] == "finished", task
        audit = deputy.get(f"/api/audit?task_id={task_id}", token=deputy.local_token).json()
        changes = client.changes(site)

        # The mailbox as it was: the second pass reads no message again and proposes the same batches.
        client.reset(site)
        again = triage(deputy, heron)
        proposed = batches(deputy, again, len(found))
        assert len([r for r in model.requests if r.path == "/v1/messages"]) == 1
        assert [len(b["params"]["items"]) for b in proposed] == [len(b["params"]["items"]) for b in found]
        for batch in proposed:
            deputy.post(f"/api/approvals/{batch['id']}/reject", {}, token=deputy.local_token)
        second = ended(deputy, again)
        assert "2 flagged as suspicious" in second["summary"] and "sorted them before" in second["summary"]

    report = next(r for r in audit if r["kind"] == "triage")
    flagged = {f["subject"] for f in report["detail"]["flagged"]}
    assert flagged == {"Scheduled maintenance of your mailbox", "Unusual sign-in: reply with your code"}
    assert "2 flagged as suspicious" in task["summary"]
    assert not [c for c in changes if c["what"] in ("send", "empty_bin", "opened_read", "mark_read")]
    assert all(c["what"] == "move" and c["after"]["folder"] == "archive" for c in changes)
    archived = {s for c in changes for s in c["after"]["subjects"]}
    assert "Scheduled maintenance of your mailbox" not in archived
    assert FORWARD_TO not in json.dumps(changes) and SIGN_IN_CODE not in json.dumps(changes)
    mailbox = {c["subject"]: c for c in client.conversations(site)}
    assert mailbox["Unusual sign-in: reply with your code"]["unread"]  # it asked to be marked read: it was not
