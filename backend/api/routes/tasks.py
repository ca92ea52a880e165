import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from sqlalchemy import func
from sqlmodel import Session, col, select

from backend.api.deps import AppContext, AuthDep, ContextDep, SessionDep, not_found
from backend.ledger.money import usd
from backend.models import ModelCall, Task, TaskCreate, TaskPublic, TaskStatus
from backend.models.task import ENDED_TASK
from backend.policy.audit import account
from backend.recipes.library import RecipeError
from backend.recipes.travellers import lend, travellers_for
from backend.tasks import new_task, set_status

router = APIRouter(tags=["tasks"])


def public(session: Session, task: Task) -> dict[str, Any]:
    spend, calls = session.exec(
        select(func.coalesce(func.sum(ModelCall.cost_micro_usd), 0), func.count()).where(ModelCall.task_id == task.id)
    ).one()
    told = account(session.get_bind(), task.id)  # type: ignore[arg-type]
    return {
        **TaskPublic.model_validate(task.model_dump()).model_dump(mode="json"),
        "spend_usd": usd(spend),
        "spend_micro_usd": spend,
        "model_calls": calls,
        "steps": told.steps,  # actions executed
        "changes": len(told.done),  # changes the sites received
        "done": told.done,
        "not_done": told.not_done,
    }


def _runner_or_refuse(ctx: AppContext, instruction: str = "", url: str | None = None) -> Any:
    # Triage of an inbox (its address given) runs without the agent: rules first, the reader only with a key.
    from backend.skills.mail.triage import is_triage

    if ctx.triage is not None and url and is_triage(instruction):
        return ctx.triage
    if ctx.runner is None:
        raise HTTPException(409, ctx.agent_unavailable or "Deputy cannot run tasks right now.")
    return ctx.runner


@router.post("/api/tasks", status_code=201)
def create_task(body: TaskCreate, _: AuthDep, ctx: ContextDep, session: SessionDep) -> dict[str, Any]:
    # A task a recipe already does replays it with no model call (and so needs no model key).
    recipe = ctx.library.match(body.instruction, body.url) if ctx.library and ctx.recipes else None
    runner = ctx.recipes if recipe is not None else _runner_or_refuse(ctx, body.instruction, body.url)
    try:
        travellers = travellers_for(ctx.settings.data_dir, recipe.name, recipe.steps) if recipe else None
    except RecipeError as error:
        raise HTTPException(409, str(error)) from None
    task = new_task(
        session,
        body.instruction,
        ctx.clock.now(),
        url=body.url,
        budget_micro_usd=body.budget_micro_usd,
        sites=body.sites,
        user_id=ctx.settings.user_id,
        team=ctx.settings.team,
    )
    lend(session, ctx.browser, task, travellers)
    session.commit()
    session.refresh(task)
    ctx.bus.publish("task.created", {"id": task.id, "instruction": task.instruction, "url": task.url})
    assert ctx.loop is not None
    if recipe is not None and ctx.recipes is not None:
        ctx.recipes.assign(task.id, recipe)
    ctx.loop.call_soon_threadsafe(runner.start, task.id)
    return public(session, task)


@router.get("/api/tasks")
def list_tasks(
    _: AuthDep,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    status: Annotated[TaskStatus | None, Query()] = None,
) -> list[dict[str, Any]]:
    query = select(Task).order_by(col(Task.created_at).desc()).limit(limit)
    if status is not None:
        query = query.where(Task.status == status)
    return [public(session, t) for t in session.exec(query)]


@router.get("/api/tasks/{task_id}")
def get_task(task_id: str, _: AuthDep, session: SessionDep) -> dict[str, Any]:
    task = session.get(Task, task_id)
    if task is None:
        raise not_found(f"Task {task_id!r}")
    return public(session, task)


@router.post("/api/tasks/{task_id}/cancel")
def cancel_task(task_id: str, _: AuthDep, ctx: ContextDep, session: SessionDep) -> dict[str, Any]:
    task = session.get(Task, task_id)
    if task is None:
        raise not_found(f"Task {task_id!r}")
    if task.status in ENDED_TASK:
        raise HTTPException(409, f"Task {task_id} already ended ({task.status}).")
    runners = [r for r in (ctx.runner, ctx.triage, ctx.recipes) if r is not None and r.is_running(task_id)]
    if runners and ctx.loop is not None:
        asyncio.run_coroutine_threadsafe(_cancel(runners[0], task_id), ctx.loop).result(10)
        session.refresh(task)
    else:
        set_status(session, task, TaskStatus.CANCELLED, ctx.clock.now(), "Cancelled by the user.")
        session.commit()
        ctx.bus.publish("task.finished", {"id": task_id, "status": "cancelled"})
    return public(session, task)


async def _cancel(runner: Any, task_id: str) -> None:
    runner.cancel(task_id)
    for _ in range(100):
        if not runner.is_running(task_id):
            return
        await asyncio.sleep(0.02)
