"""Approvals survive a restart and run once; bad answers get a clear 4xx and change nothing."""

import time
from pathlib import Path

from tests.integration.gate.conftest import Mailbox, make_task, ref_named
from tests.live import Deputy, start_deputy


def open_message_and_propose_archive(deputy: Deputy, mailbox: Mailbox) -> tuple[str, str]:
    task = make_task(deputy, url=mailbox.url)
    executor = deputy.ctx.executor
    assert deputy.run(executor.propose(task, "navigate", {"url": mailbox.url})).status == "done"
    row = deputy.run(_first_row(deputy, task))
    opened = deputy.run(executor.propose(task, "click", {"ref": row}))
    assert opened.status == "done", opened.message
    archive = ref_named(deputy, task, "Archive", "button")
    pending = deputy.run(executor.propose(task, "click", {"ref": archive}, waits=False))
    assert pending.status == "pending", pending.message
    return task, pending.approval_id  # type: ignore[return-value]


async def _first_row(deputy: Deputy, task_id: str) -> str:
    tab = await deputy.ctx.browser.tab(task_id)
    await tab.page.get_by_role("checkbox", name="Select", exact=True).first.wait_for()
    snap = await tab.snapshot()
    return next(e.ref for e in snap.elements.values() if e.role == "clickable" and e.tag == "tr")


def test_pending_approval_survives_a_restart_and_runs_once(tmp_path: Path, mailbox: Mailbox) -> None:
    data = tmp_path / "data"
    with start_deputy(data) as first:
        _task, approval_id = open_message_and_propose_archive(first, mailbox)
    assert [w for w in mailbox.whats() if w != "mark_read"] == []

    with start_deputy(data) as second:
        pending = second.get("/api/approvals?status=pending", token=second.local_token).json()
        assert [a["id"] for a in pending] == [approval_id]
        answer = second.post(f"/api/approvals/{approval_id}/approve", {}, token=second.local_token)
        assert answer.status_code == 200
        deadline = time.monotonic() + 30
        while "archive" not in mailbox.whats() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [w for w in mailbox.whats() if w != "mark_read"] == ["archive"]
        assert second.post(f"/api/approvals/{approval_id}/approve", {}, token=second.local_token).status_code == 409
        assert second.run(second.ctx.executor.run_approved(approval_id)).status == "error"

    with start_deputy(data) as third:
        time.sleep(0.5)
        stored = third.get(f"/api/approvals/{approval_id}", token=third.local_token).json()
        assert stored["status"] == "executed"
    assert mailbox.whats().count("archive") == 1


def test_bad_answers_get_clear_errors_and_change_nothing(deputy: Deputy, mailbox: Mailbox) -> None:
    token = deputy.local_token
    assert deputy.post("/api/approvals/ap_nope/approve", {}, token=token).status_code == 404
    assert deputy.post("/api/approvals/ap_nope/reject", {}, token=token).status_code == 404
    assert deputy.get("/api/approvals/ap_nope", token=token).status_code == 404
    assert deputy.get("/api/approvals?status=maybe", token=token).status_code == 422
    assert deputy.post("/api/audit/999999/undo", token=token).status_code == 404
    assert deputy.get("/api/tasks/t_nope", token=token).status_code == 404

    _task, approval_id = open_message_and_propose_archive(deputy, mailbox)
    bad_edits = deputy.post(f"/api/approvals/{approval_id}/approve", {"edits": {"ref": "e1"}}, token=token)
    assert bad_edits.status_code == 422
    invalid = deputy.post(f"/api/approvals/{approval_id}/approve", {"edits": {"accept_dialog": "sure"}}, token=token)
    assert invalid.status_code == 422
    assert "accept_dialog" in invalid.json()["detail"]
    unknown_field = deputy.post(f"/api/approvals/{approval_id}/approve", {"nonsense": 1}, token=token)
    assert unknown_field.status_code == 422
    assert deputy.get(f"/api/approvals/{approval_id}", token=token).json()["status"] == "pending"

    rejected = deputy.post(f"/api/approvals/{approval_id}/reject", {"reason": "no"}, token=token)
    assert rejected.status_code == 200
    for verb in ("approve", "reject"):
        again = deputy.post(f"/api/approvals/{approval_id}/{verb}", {}, token=token)
        assert again.status_code == 409
        assert "already answered" in again.json()["detail"]
    assert [w for w in mailbox.whats() if w != "mark_read"] == []


def test_rules_are_validated_and_read_on_every_decision(deputy: Deputy, mailbox: Mailbox) -> None:
    token = deputy.local_token
    assert deputy.post("/api/rules", {"kind": "site_block", "value": {}}, token=token).status_code == 422
    assert (
        deputy.post("/api/rules", {"kind": "quiet_hours", "value": {"start": "25:00"}}, token=token).status_code == 422
    )
    assert deputy.post("/api/rules", {"kind": "everything"}, token=token).status_code == 422
    host = mailbox.url.split("/")[2]
    made = deputy.post("/api/rules", {"kind": "site_block", "value": {"host": host}}, token=token)
    assert made.status_code == 201
    task = make_task(deputy, url=mailbox.url)
    outcome = deputy.run(deputy.ctx.executor.propose(task, "navigate", {"url": mailbox.url}))
    assert outcome.status == "denied"
    assert "blocked" in outcome.message
    rule_id = made.json()["id"]
    assert deputy.post(f"/api/rules/{rule_id}/delete", token=token).status_code == 200
    assert deputy.post(f"/api/rules/{rule_id}/delete", token=token).status_code == 404
    assert deputy.run(deputy.ctx.executor.propose(task, "navigate", {"url": mailbox.url})).status == "done"
