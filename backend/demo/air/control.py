"""Test-only routes: read the change log, put the site back to its seed, and rename the final button (as a
redesign would, so a recipe that pressed it must heal)."""

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from backend.demo.air.store import AirStore


class FinalLabel(BaseModel):
    label: str = Field(min_length=1, max_length=40)


def build_control_router(store: AirStore) -> APIRouter:
    router = APIRouter(prefix="/_test")

    @router.get("/changes")
    async def changes(
        since: Annotated[int, Query(ge=0)] = 0, scope: str | None = None
    ) -> dict[str, list[dict[str, Any]]]:
        return {"changes": [change.to_json() for change in store.changes.entries(scope, since)]}

    @router.post("/reset")
    async def reset() -> dict[str, bool]:
        store.reset()
        return {"reset": True}

    @router.post("/final-label")
    async def final_label(body: FinalLabel) -> dict[str, str]:
        store.final_label = body.label
        return {"label": store.final_label}

    return router
