"""Task records: creating them and moving them between states."""

import secrets
from datetime import datetime

from sqlmodel import Session

from backend.models import Task, TaskStatus


def new_task(
    session: Session, instruction: str, now: datetime, url: str | None = None, budget_micro_usd: int | None = None
) -> Task:
    task = Task(
        id="t_" + secrets.token_hex(6),
        instruction=instruction,
        url=url,
        budget_micro_usd=budget_micro_usd,
        status=TaskStatus.QUEUED,
        created_at=now,
        updated_at=now,
    )
    session.add(task)
    return task


def set_status(session: Session, task: Task, status: TaskStatus, now: datetime, summary: str | None = None) -> None:
    task.status = status
    task.updated_at = now
    if summary is not None:
        task.summary = summary
    if status in (TaskStatus.FINISHED, TaskStatus.FAILED, TaskStatus.CANCELLED):
        task.finished_at = now
    session.add(task)
