"""Trips found in mail, each with when its check-in window opens."""

from fastapi import APIRouter

from backend.api.deps import AuthDep, ContextDep
from backend.models.trip import TripPublic
from backend.skills.checkin.trips import list_trips

router = APIRouter(tags=["trips"])


@router.get("/api/trips")
def trips(_: AuthDep, ctx: ContextDep) -> list[TripPublic]:
    return list_trips(ctx.engine)
