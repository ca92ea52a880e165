from typing import Annotated

from fastapi import APIRouter, Query
from sqlmodel import col, select

from backend.api.deps import AuthDep, SessionDep, not_found
from backend.models import Task, TaskPublic

router = APIRouter(tags=["tasks"])


@router.get("/api/tasks")
def list_tasks(_: AuthDep, session: SessionDep, limit: Annotated[int, Query(ge=1, le=500)] = 50) -> list[TaskPublic]:
    query = select(Task).order_by(col(Task.created_at).desc()).limit(limit)
    return [TaskPublic.model_validate(t.model_dump()) for t in session.exec(query)]


@router.get("/api/tasks/{task_id}")
def get_task(task_id: str, _: AuthDep, session: SessionDep) -> TaskPublic:
    task = session.get(Task, task_id)
    if task is None:
        raise not_found(f"Task {task_id!r}")
    return TaskPublic.model_validate(task.model_dump())
