"""Triage of Demo Mail's seeded inbox, judged by the webmail's own change log.

Without a model key, saved rules sort what they cover with no model call; the rest waits for a key. Each
kind of change is one batch approval; approving runs exactly the ticked items, one by one, each undoable.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, select

from backend.models import ModelCall
from backend.servers import ThreadedServer
from tests import web
from tests.integration.agent.conftest import fresh_mailbox, mail_changes
from tests.integration.triage.conftest import add_rule, batches, ended, triage
from tests.live import Deputy, start_deputy

pytestmark = pytest.mark.slow


@pytest.fixture
def deputy(tmp_path: Path) -> Iterator[Deputy]:
    with start_deputy(tmp_path / "data") as server:
        yield server


@pytest.fixture
def box(mail_server: ThreadedServer) -> str:
    return fresh_mailbox(mail_server.url)


def subjects(box: str, ids: list[str]) -> set[str]:
    return {web.get(f"{box}api/messages/{i}").json()["subject"] for i in ids}


def test_rules_sort_without_a_model_and_only_ticked_items_are_archived(deputy: Deputy, box: str) -> None:
    add_rule(deputy, {"match": {"sender": "ShopMart"}, "action": "archive"})
    add_rule(deputy, {"match": {"sender": "LaunchList"}, "action": "archive"})
    add_rule(deputy, {"match": {"sender": "CodeHub"}, "action": "mark_read"})
    task_id = triage(deputy, box)

    found = batches(deputy, task_id, 2)
    archive = next(b for b in found if b["action"] == "archive")
    mark = next(b for b in found if b["action"] == "mark_read")
    items = archive["params"]["items"]
    assert archive["summary"].startswith(f"Archive {len(items)} ")
    assert {i["sender"] for i in items} >= {"ShopMart Deals", "LaunchList Daily"}
    assert all(i["sender"].startswith(("ShopMart", "LaunchList")) for i in items)
    assert archive["editable"] == ["exclude"]
    assert len(archive["objects"]) == len(items)
    assert mail_changes(box) == []  # nothing happens before an answer
    assert all(i["date"] for i in items)

    kept = items[0]
    approved = deputy.post(
        f"/api/approvals/{archive['id']}/approve", {"edits": {"exclude": [0]}}, token=deputy.local_token
    )
    assert approved.status_code == 200, approved.text
    rejected = deputy.post(f"/api/approvals/{mark['id']}/reject", {"reason": "not now"}, token=deputy.local_token)
    assert rejected.status_code == 200, rejected.text
    task = ended(deputy, task_id)

    assert task["status"] == "finished", task
    assert "waiting for a model key" in task["summary"]
    assert "ANTHROPIC_API_KEY" in task["summary"]
    changes = mail_changes(box)
    archived = [c for c in changes if c["what"] == "archive"]
    assert len(archived) == len(items) - 1  # one change per ticked item
    archived_ids = [i for c in archived for i in c["before"]]
    assert subjects(box, archived_ids) == {i["subject"] for i in items[1:]}
    inbox = web.get(f"{box}api/messages", params={"view": "inbox"}).json()["messages"]
    still = [(m["from"]["name"], m["subject"], m["date_short"]) for m in inbox]
    assert (kept["sender"], kept["subject"], kept["date"]) in still  # the unticked one was left alone
    for item in items[1:]:
        assert (item["sender"], item["subject"], item["date"]) not in still
    assert not [c for c in changes if c["what"] in ("mark_read", "send", "unsubscribe", "trash", "delete_forever")]

    with Session(deputy.ctx.engine) as session:
        assert session.exec(select(ModelCall)).all() == []  # rules cost nothing: no model call at all

    audit = deputy.get(f"/api/audit?task_id={task_id}", token=deputy.local_token).json()
    executed = [r for r in audit if r["kind"] == "executed" and r.get("approval_id") == archive["id"]]
    assert len(executed) == len(items) - 1
    assert all(r["undoable"] for r in executed)


def test_a_batch_edit_must_name_items_on_the_list(deputy: Deputy, box: str) -> None:
    add_rule(deputy, {"match": {"sender": "ShopMart"}, "action": "archive"})
    task_id = triage(deputy, box)
    (batch,) = batches(deputy, task_id, 1)
    count = len(batch["params"]["items"])
    for edits in ({"exclude": [count]}, {"exclude": "0"}, {"exclude": list(range(count))}, {"to": "x@evil.test"}):
        answer = deputy.post(f"/api/approvals/{batch['id']}/approve", {"edits": edits}, token=deputy.local_token)
        assert answer.status_code == 422, answer.text
    deputy.post(f"/api/approvals/{batch['id']}/reject", {}, token=deputy.local_token)
    assert ended(deputy, task_id)["status"] == "finished"
    assert mail_changes(box) == []
