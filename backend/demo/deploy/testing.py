"""Test-only routes: move the demo's time, script what happens next, reset, read the change log.

They are not product features, so they are not written to the change log.
"""

from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from backend.demo.deploy.deps import StoreDep
from backend.demo.deploy.store import NextDeploy

router = APIRouter(prefix="/_test")


class AdvanceRequest(BaseModel):
    seconds: float = Field(ge=0, le=30 * 24 * 3600, allow_inf_nan=False)


class NextDeployControl(BaseModel):
    outcome: Literal["fail", "succeed"] = "succeed"
    fail_at_percent: float = Field(default=40, gt=0, lt=100, allow_inf_nan=False)
    duration_seconds: float | None = Field(default=None, gt=0, le=24 * 3600, allow_inf_nan=False)


class ErrorRateControl(BaseModel):
    environment: Literal["staging", "production"] = "production"
    # null takes the pin away and the error rate follows deployments again.
    percent: float | None = Field(ge=0, le=100, allow_inf_nan=False)


class ControlRequest(BaseModel):
    service: str
    next_deploy: NextDeployControl | None = None
    error_rate: ErrorRateControl | None = None


@router.post("/advance")
def advance(body: AdvanceRequest, store: StoreDep) -> dict[str, Any]:
    return {"now": store.advance(body.seconds).isoformat()}


@router.post("/control")
def control(body: ControlRequest, store: StoreDep) -> dict[str, Any]:
    store.service(body.service)
    if "next_deploy" in body.model_fields_set:
        script = body.next_deploy
        store.script_next_deploy(
            body.service,
            None
            if script is None
            else NextDeploy(
                fail_at_percent=script.fail_at_percent if script.outcome == "fail" else None,
                run_seconds=script.duration_seconds,
            ),
        )
    if body.error_rate is not None:
        store.pin_error_rate(body.service, body.error_rate.environment, body.error_rate.percent)
    return {"ok": True, "service": body.service}


@router.post("/reset")
def reset(store: StoreDep) -> dict[str, Any]:
    store.reset()
    return {"ok": True}


@router.get("/changes")
def changes(store: StoreDep, since: int = 0, service: str | None = None) -> dict[str, Any]:
    return {"changes": [change.to_json() for change in store.changes.entries(scope=service, since=since)]}
