"""Rows a test needs in Deputy's database without running the agent or a whole triage: a task and a pending
approval; a batch the user approved in an earlier triage, which is what the rule learner learns from."""

import secrets
from datetime import timedelta
from typing import Any

from sqlmodel import Session

from backend.models import Approval, ApprovalStatus, Task, TaskStatus
from backend.policy.lifecycle import Draft
from backend.skills.mail.triage import NOUNS
from backend.tasks import new_task, set_status
from tests.live import Deputy


def pending_approval(deputy: Deputy, instruction: str = "Tidy the inbox", **fields: Any) -> str:
    """A task with one pending approval as the executor would record it; returns the approval's id."""
    now = deputy.clock.now()
    with Session(deputy.ctx.engine) as session:
        task = new_task(session, instruction, now, url="https://mail.example/")
        session.commit()
        approval = Approval(
            id="ap_" + secrets.token_hex(6),
            task_id=task.id,
            action=fields.pop("action", "click"),
            params=fields.pop("params", {"ref": "e105"}),
            target=fields.pop("target", "the button 'Archive' in the toolbar"),
            risk=fields.pop("risk", "write"),
            policy_reason=fields.pop("policy_reason", "A click that may change something asks first."),
            page_url="https://mail.example/inbox",
            fingerprint="f" * 16,
            created_at=now,
            expires_at=now + timedelta(minutes=15),
            **fields,
        )
        session.add(approval)
        session.commit()
        return approval.id


def approved_before(deputy: Deputy, batch_id: str) -> str | None:
    """An earlier triage of the same inbox that proposed the batch `batch_id` (one a live triage proposed and
    waits on), which the user approved through the API and Deputy ran; returns the id of the rule the learner
    proposed after it, if it proposed one.

    The batch takes the path a triage's batch takes: created by the lifecycle with its proposer waiting,
    approved through the API, claimed, finished as executed, then handed to the learner. Only the clicks on
    the webmail, and the executor's records of them, are left out: the learner reads the batches a person
    approved, and the messages stay in the inbox for the live batch to act on."""
    ctx = deputy.ctx
    lifecycle, learner = ctx.approvals, ctx.triage.learner
    with Session(ctx.engine) as session:
        live = session.get(Approval, batch_id)
        assert live is not None and live.kind == "batch", f"{batch_id} is not a batch approval"
        triaged = session.get(Task, live.task_id)
        assert triaged is not None
        task = new_task(session, triaged.instruction, deputy.clock.now(), url=triaged.url)
        draft = Draft(
            task_id=task.id,
            kind="batch",
            action=live.action,
            params=dict(live.params),
            summary=live.summary,
            policy_reason=live.policy_reason,
            risk=live.risk,
            objects=list(live.objects),
            selection=list(live.selection),
            target=live.target,
            target_name=live.target_name,
            target_identity=live.target_identity,
            screenshot=live.screenshot,
            model_reason=live.model_reason,
            page_url=live.page_url,
            fingerprint=live.fingerprint,
        )
        session.commit()

    async def propose() -> str:
        # Created on the server's loop, as a triage creates it: the proposer waits, so no runner takes it.
        return lifecycle.create(draft).id

    seeded = deputy.run(propose())
    answer = deputy.post(f"/api/approvals/{seeded}/approve", {}, token=deputy.local_token)
    assert answer.status_code == 200, answer.text

    count = len(draft.params["items"])
    said = f"Done: {NOUNS[str(draft.params['verb'])]}: {count} of {count} done"

    async def run() -> str | None:
        assert await lifecycle.wait(seeded, within=10) is ApprovalStatus.APPROVED
        assert lifecycle.claim(seeded)
        lifecycle.finish(seeded, ApprovalStatus.EXECUTED, said)
        return learner.after_batch(seeded)

    proposed = deputy.run(run())
    with Session(ctx.engine) as session:
        task = session.get(Task, draft.task_id)
        assert task is not None
        set_status(session, task, TaskStatus.FINISHED, deputy.clock.now(), said)
        session.commit()
    return proposed
