"""Rows a test needs in Deputy's database without running the agent: a task and a pending approval."""

import secrets
from datetime import timedelta
from typing import Any

from sqlmodel import Session

from backend.models import Approval
from backend.tasks import new_task
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
