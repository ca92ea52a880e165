"""Triage on Postbox, a server-rendered webmail with no triage profile: the generic path through the snapshot.

Its words differ ("Move to Archive", "Flag"), its rows are table rows with links, its changes are POSTed
forms; the same rules sort it, and only the ticked items move.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest

from backend.servers import ThreadedServer
from backend.skills.mail.profiles import GENERIC, profile_for
from tests.integration.triage.conftest import add_rule, batches, ended, triage
from tests.live import Deputy, start_deputy
from tests.sites.postbox import client


@pytest.fixture
def deputy(tmp_path: Path) -> Iterator[Deputy]:
    with start_deputy(tmp_path / "data") as server:
        yield server


@pytest.fixture
def postbox(postbox_server: ThreadedServer) -> str:
    client.reset(postbox_server.url)
    return postbox_server.url


def test_rules_archive_and_flag_on_a_webmail_without_a_profile(deputy: Deputy, postbox: str) -> None:
    assert profile_for(f"{postbox}/folder/inbox") is GENERIC
    add_rule(deputy, {"match": {"sender": "Riverside Library"}, "action": "archive"})
    add_rule(deputy, {"match": {"sender": "Priya Nair"}, "action": "star"})
    task_id = triage(deputy, f"{postbox}/folder/inbox")
    found = batches(deputy, task_id, 2)
    archive = next(b for b in found if b["action"] == "archive")
    star = next(b for b in found if b["action"] == "star")
    assert [i["sender"] for i in archive["params"]["items"]] == ["Riverside Library"] * len(archive["params"]["items"])
    assert client.changes(postbox) == []
    for batch in (archive, star):
        answer = deputy.post(f"/api/approvals/{batch['id']}/approve", {}, token=deputy.local_token)
        assert answer.status_code == 200, answer.text
    task = ended(deputy, task_id)
    assert task["status"] == "finished", task

    changes = client.changes(postbox)
    moved = [c for c in changes if c["what"] == "move"]
    flagged = [c for c in changes if c["what"] == "flag"]
    assert len(moved) == len(archive["params"]["items"]) and len(flagged) == len(star["params"]["items"])
    by_id = {m["id"]: m for m in client.messages(postbox)}
    archived = {i["subject"] for i in archive["params"]["items"]}
    starred = {i["subject"] for i in star["params"]["items"]}
    for change in moved:
        assert {by_id[i]["subject"] for i in change["after"]["ids"]} <= archived
        assert all(by_id[i]["folder"] == "archive" for i in change["after"]["ids"])
    for change in flagged:
        assert {by_id[i]["subject"] for i in change["after"]["ids"]} <= starred
        assert all(by_id[i]["flagged"] for i in change["after"]["ids"])
    assert not [c for c in changes if c["what"] not in ("move", "flag")]
