"""Task records: creating them and moving them between states."""

import secrets
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from backend.models import Task, TaskStatus
from backend.models.task import ENDED_TASK


def new_task(
    session: Session,
    instruction: str,
    now: datetime,
    url: str | None = None,
    budget_micro_usd: int | None = None,
    sites: list[str] | None = None,
    unattended: bool = False,
    user_id: str = "",
    team: str = "",
    recipe_template: str | None = None,
    recipe_values: dict[str, str] | None = None,
) -> Task:
    task = Task(
        id="t_" + secrets.token_hex(6),
        instruction=instruction,
        url=url,
        sites=sites or [],
        budget_micro_usd=budget_micro_usd,
        status=TaskStatus.QUEUED,
        unattended=unattended,
        created_at=now,
        updated_at=now,
        user_id=user_id,
        team=team,
        recipe_template=recipe_template,
        recipe_values=recipe_values,
    )
    session.add(task)
    return task


def set_status(session: Session, task: Task, status: TaskStatus, now: datetime, summary: str | None = None) -> None:
    task.status = status
    task.updated_at = now
    if summary is not None:
        task.summary = summary
    if status in ENDED_TASK:
        task.finished_at = now
    session.add(task)


def interrupt_unfinished(engine: Engine, now: datetime) -> list[str]:
    """At start-up, no task is running yet: any left queued, running or waiting was cut off by a stop."""
    from backend.policy.audit import account

    open_states = [TaskStatus.QUEUED, TaskStatus.RUNNING, TaskStatus.WAITING]
    with Session(engine) as session:
        ids = [t.id for t in session.exec(select(Task).where(col(Task.status).in_(open_states)))]
    for task_id in ids:
        told = account(engine, task_id).sentence()
        with Session(engine) as session:
            task = session.get(Task, task_id)
            if task is None:
                continue
            why = "Interrupted: Deputy stopped while this task was running."
            set_status(session, task, TaskStatus.INTERRUPTED, now, f"{why} {told}")
            session.commit()
    return ids
