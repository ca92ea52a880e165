"""The gate end to end: proposals through the policy, approvals, execution, audit and undo, on Demo Mail."""

import threading
import time

import pytest

from backend.models import ApprovalStatus
from tests.integration.gate.conftest import Mailbox, make_task, ref_named
from tests.live import Deputy

pytestmark = pytest.mark.slow


def propose(deputy: Deputy, task_id: str, action: str, **params: object):
    return deputy.run(deputy.ctx.executor.propose(task_id, action, params, reason="test"))


def propose_archiving_the_first_row(deputy: Deputy, mailbox: Mailbox):
    """A task on the mailbox that ticks the first row and proposes Archive (which waits for approval)."""
    task = make_task(deputy, url=mailbox.url)
    propose(deputy, task, "navigate", url=mailbox.url)
    propose(deputy, task, "check", ref=ref_named(deputy, task, "Select", "checkbox"))
    return task, propose(deputy, task, "click", ref=ref_named(deputy, task, "Archive", "button"))


def test_reads_run_at_once(deputy: Deputy, mailbox: Mailbox) -> None:
    task = make_task(deputy, url=mailbox.url)
    outcome = propose(deputy, task, "navigate", url=mailbox.url)
    assert outcome.status == "done"
    text = propose(deputy, task, "extract_text")
    assert text.status == "done"
    assert "Inbox" in text.result.data["text"]
    assert mailbox.whats() == []


def test_archive_asks_and_runs_only_after_approval(deputy: Deputy, mailbox: Mailbox) -> None:
    task = make_task(deputy, url=mailbox.url)
    assert propose(deputy, task, "navigate", url=mailbox.url).status == "done"
    select = ref_named(deputy, task, "Select", "checkbox")
    assert propose(deputy, task, "check", ref=select).status == "done"  # local: nothing sent
    archive = ref_named(deputy, task, "Archive", "button")
    pending = propose(deputy, task, "click", ref=archive)
    assert pending.status == "pending", pending.message
    assert mailbox.whats() == []
    listed = deputy.get("/api/approvals?status=pending", token=deputy.local_token).json()
    assert [a["id"] for a in listed] == [pending.approval_id]
    card = listed[0]
    assert card["risk"] == "write"
    assert "Archive" in card["target"]
    assert card["screenshot_url"]
    shot = deputy.get(card["screenshot_url"], token=deputy.local_token)
    assert shot.status_code == 200 and shot.content[:4] == b"\x89PNG"

    answer = deputy.post(f"/api/approvals/{pending.approval_id}/approve", {}, token=deputy.local_token)
    assert answer.status_code == 200
    outcome = deputy.run(deputy.ctx.executor.resolve(pending.approval_id))
    assert outcome.status == "done", outcome.message
    assert mailbox.whats() == ["archive"]
    again = deputy.post(f"/api/approvals/{pending.approval_id}/approve", {}, token=deputy.local_token)
    assert again.status_code == 409
    assert deputy.run(deputy.ctx.executor.run_approved(pending.approval_id)).status == "error"
    assert mailbox.whats() == ["archive"]


def test_delete_forever_is_denied(deputy: Deputy, mailbox: Mailbox) -> None:
    task = make_task(deputy, url=mailbox.url)
    assert propose(deputy, task, "navigate", url=mailbox.url + "#trash").status == "done"
    select = ref_named(deputy, task, "Select", "checkbox")
    propose(deputy, task, "check", ref=select)
    delete = ref_named(deputy, task, "Delete forever", "button")
    outcome = propose(deputy, task, "click", ref=delete)
    assert outcome.status == "denied"
    assert "Permanent deletion" in outcome.message
    assert mailbox.whats() == []


def test_rejection_reason_comes_back(deputy: Deputy, mailbox: Mailbox) -> None:
    _task, pending = propose_archiving_the_first_row(deputy, mailbox)
    body = {"reason": "Keep everything from my mother"}
    assert (
        deputy.post(f"/api/approvals/{pending.approval_id}/reject", body, token=deputy.local_token).status_code == 200
    )
    outcome = deputy.run(deputy.ctx.executor.resolve(pending.approval_id))
    assert outcome.status == "rejected"
    assert "Keep everything from my mother" in outcome.message
    assert mailbox.whats() == []


def test_stale_approval_is_not_executed(deputy: Deputy, mailbox: Mailbox) -> None:
    task, pending = propose_archiving_the_first_row(deputy, mailbox)
    # The page changes: a second row gets ticked, so "Archive" would now touch two messages.
    second = deputy.run(_nth_select(deputy, task, 1))
    assert propose(deputy, task, "check", ref=second).status == "done"
    deputy.post(f"/api/approvals/{pending.approval_id}/approve", {}, token=deputy.local_token)
    outcome = deputy.run(deputy.ctx.executor.resolve(pending.approval_id))
    assert outcome.status == "stale"
    assert mailbox.whats() == []
    stored = deputy.get(f"/api/approvals/{pending.approval_id}", token=deputy.local_token).json()
    assert stored["status"] == ApprovalStatus.STALE


async def _nth_select(deputy: Deputy, task_id: str, n: int) -> str:
    tab = await deputy.ctx.browser.tab(task_id)
    snap = await tab.snapshot()
    return [e.ref for e in snap.elements.values() if e.role == "checkbox" and e.name == "Select"][n]


def test_expired_approval_counts_as_rejected(deputy: Deputy, mailbox: Mailbox) -> None:
    _task, pending = propose_archiving_the_first_row(deputy, mailbox)
    deputy.clock.advance(15 * 60 + 1)
    outcome = deputy.run(deputy.ctx.executor.resolve(pending.approval_id))
    assert outcome.status == "expired"
    late = deputy.post(f"/api/approvals/{pending.approval_id}/approve", {}, token=deputy.local_token)
    assert late.status_code == 409
    assert "expired" in late.json()["detail"]
    assert mailbox.whats() == []


def test_pause_stops_a_running_sequence(deputy: Deputy, mailbox: Mailbox) -> None:
    task = make_task(deputy, url=mailbox.url)
    propose(deputy, task, "navigate", url=mailbox.url)
    statuses: list[str] = []
    stop = threading.Event()

    def sequence() -> None:
        while not stop.is_set() and len(statuses) < 200:
            statuses.append(propose(deputy, task, "scroll", direction="down").status)

    runner = threading.Thread(target=sequence)
    runner.start()
    while len(statuses) < 2:
        time.sleep(0.01)
    assert deputy.post("/api/state", {"paused": True}, token=deputy.local_token).status_code == 200
    paused_at = len(statuses)
    time.sleep(0.3)
    stop.set()
    runner.join(10)
    # At most the step already under way finishes; every later one is refused.
    assert all(s == "denied" for s in statuses[paused_at + 1 :])
    assert statuses[-1] == "denied"
    deputy.post("/api/state", {"paused": False}, token=deputy.local_token)
    assert propose(deputy, task, "scroll", direction="up").status == "done"


def test_undo_of_archive_restores_the_message(deputy: Deputy, mailbox: Mailbox) -> None:
    task, pending = propose_archiving_the_first_row(deputy, mailbox)
    deputy.post(f"/api/approvals/{pending.approval_id}/approve", {}, token=deputy.local_token)
    done = deputy.run(deputy.ctx.executor.resolve(pending.approval_id))
    assert done.status == "done"
    records = deputy.get(f"/api/audit?task_id={task}", token=deputy.local_token).json()
    executed = next(r for r in records if r["kind"] == "executed" and r["action"] == "click")
    assert executed["undoable"]
    assert executed["actor"] == "user:local"
    undo = deputy.post(f"/api/audit/{executed['id']}/undo", token=deputy.local_token)
    assert undo.status_code == 200, undo.text
    changes = mailbox.changes()
    assert [c["what"] for c in changes] == ["archive", "move"]
    assert changes[1]["after"] == changes[0]["before"]  # back in the Inbox, labels as they were
    twice = deputy.post(f"/api/audit/{executed['id']}/undo", token=deputy.local_token)
    assert twice.status_code == 409


def test_audit_records_proposals_decisions_and_executions(deputy: Deputy, mailbox: Mailbox) -> None:
    task = make_task(deputy, url=mailbox.url)
    propose(deputy, task, "navigate", url=mailbox.url)
    records = deputy.get(f"/api/audit?task_id={task}", token=deputy.local_token).json()
    assert [r["kind"] for r in reversed(records)] == ["proposed", "decided", "executed"]
    decided = next(r for r in records if r["kind"] == "decided")
    assert decided["actor"] == "policy" and decided["verdict"] == "allow" and decided["reason"]
