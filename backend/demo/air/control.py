"""Test-only routes: read the change log and put the site back to its seed."""

from typing import Annotated, Any

from fastapi import APIRouter, Query

from backend.demo.air.store import AirStore


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

    return router
