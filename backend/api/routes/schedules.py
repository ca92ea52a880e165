from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import APIRouter, HTTPException

from backend.api.deps import AppContext, AuthDep, ContextDep
from backend.models.schedule import ScheduleCreate, ScheduleUpdate
from backend.scheduler.kinds import KINDS
from backend.scheduler.schedules import ScheduleError, Schedules

router = APIRouter(tags=["schedules"])

T = TypeVar("T")


def _asked(ctx: AppContext, do: Callable[[Schedules], T]) -> T:
    if ctx.schedules is None:
        raise HTTPException(503, "The schedule is not running yet; try again in a moment.")
    try:
        return do(ctx.schedules)
    except ScheduleError as error:
        raise HTTPException(error.status, str(error)) from None


@router.get("/api/schedules")
def list_schedules(_: AuthDep, ctx: ContextDep) -> list[dict[str, Any]]:
    return _asked(ctx, lambda s: s.list())


@router.get("/api/schedules/kinds")
def list_kinds(_: AuthDep) -> list[dict[str, Any]]:
    """What can be scheduled: each kind's usual name and time, and what it needs."""
    return [
        {"kind": k.name, "title": k.title, "when": k.default_when, "needs": list(k.needs), "help": k.params_help}
        for k in KINDS.values()
    ]


@router.post("/api/schedules", status_code=201)
def add_schedule(body: ScheduleCreate, _: AuthDep, ctx: ContextDep) -> dict[str, Any]:
    return _asked(ctx, lambda s: s.add(body))


@router.get("/api/schedules/{schedule_id}")
def get_schedule(schedule_id: str, _: AuthDep, ctx: ContextDep) -> dict[str, Any]:
    return _asked(ctx, lambda s: s.get(schedule_id))


@router.post("/api/schedules/{schedule_id}")
def switch_schedule(schedule_id: str, body: ScheduleUpdate, _: AuthDep, ctx: ContextDep) -> dict[str, Any]:
    """Switch a job on or off (the tray's and the extension's toggle); it stays in the list either way."""
    return _asked(ctx, lambda s: s.set_enabled(schedule_id, body.enabled))


@router.delete("/api/schedules/{schedule_id}")
def remove_schedule(schedule_id: str, _: AuthDep, ctx: ContextDep) -> dict[str, Any]:
    return _asked(ctx, lambda s: s.remove(schedule_id))


@router.post("/api/schedules/{schedule_id}/run", status_code=202)
def run_schedule(schedule_id: str, _: AuthDep, ctx: ContextDep) -> dict[str, Any]:
    return _asked(ctx, lambda s: s.run_now(schedule_id))
