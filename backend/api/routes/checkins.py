"""Check-ins: start one on an airline's page, see its boarding passes, fetch one."""

from typing import Any

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field, field_validator

from backend.api.deps import AuthDep, ContextDep, SessionDep, not_found
from backend.models import Task
from backend.skills.checkin.instruction import CheckinRequest
from backend.skills.checkin.start import CheckinUnavailable, boarding_passes, passes_dir, start_checkin
from backend.skills.checkin.trips import find_trip, record_checkin
from backend.traveller.vault import ProfileUnreadable

router = APIRouter(tags=["checkins"])


class CheckinCreate(BaseModel):
    url: str = Field(pattern=r"^https?://", max_length=2000, description="The airline's check-in page.")
    booking_code: str = Field(pattern=r"^[A-Za-z0-9]{5,8}$", description="The booking reference (PNR).")
    last_name: str = Field(min_length=1, max_length=60)
    airline: str = Field("", max_length=80)
    flight: str = Field("", max_length=20)
    trip_id: int | None = Field(None, ge=1, description="The trip from mail this check-in is for, if any.")

    @field_validator("booking_code")
    @classmethod
    def _upper(cls, code: str) -> str:
        return code.upper()


@router.post("/api/checkins", status_code=201)
def create_checkin(body: CheckinCreate, _: AuthDep, ctx: ContextDep) -> dict[str, Any]:
    if body.trip_id is not None:
        trip = find_trip(ctx.engine, body.trip_id)
        if trip is None:
            raise not_found(f"Trip {body.trip_id}")
        if trip.booking_code != body.booking_code:
            raise HTTPException(422, f"Trip {body.trip_id} is booking {trip.booking_code}, not {body.booking_code}.")
    request = CheckinRequest(body.url, body.booking_code, body.last_name, body.airline, body.flight)
    try:
        task_id = start_checkin(ctx, request)
    except (CheckinUnavailable, ProfileUnreadable) as error:
        raise HTTPException(409, str(error)) from None
    if body.trip_id is not None:
        record_checkin(ctx.engine, body.trip_id, task_id, ctx.clock.now())
    return {"task_id": task_id}


@router.get("/api/checkins/{task_id}")
def show_checkin(task_id: str, _: AuthDep, ctx: ContextDep, session: SessionDep) -> dict[str, Any]:
    task = session.get(Task, task_id)
    if task is None:
        raise not_found(f"Check-in {task_id}")
    return {
        "task_id": task_id,
        "status": task.status,
        "boarding_passes": boarding_passes(ctx.settings.data_dir, task_id),
    }


@router.get("/api/checkins/{task_id}/boarding-pass/{name}", response_model=None)
def boarding_pass(task_id: str, name: str, _: AuthDep, ctx: ContextDep) -> FileResponse:
    if name not in boarding_passes(ctx.settings.data_dir, task_id):
        raise not_found(f"Boarding pass {name!r} of check-in {task_id}")
    return FileResponse(passes_dir(ctx.settings.data_dir, task_id) / name)
