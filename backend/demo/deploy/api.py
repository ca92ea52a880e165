"""Demo Deploy's JSON API: GET for every read, POST for every change."""

from functools import partial
from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel

from backend.demo.deploy import payloads
from backend.demo.deploy.deps import StoreDep

router = APIRouter(prefix="/api")


class DeployRequest(BaseModel):
    environment: Literal["staging", "production"] = "staging"


@router.get("/services")
def list_services(store: StoreDep) -> dict[str, Any]:
    return store.read(payloads.dashboard)


@router.get("/services/{name}")
def get_service(name: str, store: StoreDep) -> dict[str, Any]:
    return store.read(partial(payloads.service_page, name=name))


@router.get("/deployments/{deployment_id}")
def get_deployment(deployment_id: str, store: StoreDep) -> dict[str, Any]:
    return store.read(partial(payloads.deployment_page, deployment_id=deployment_id))


@router.get("/incidents")
def list_incidents(store: StoreDep) -> dict[str, Any]:
    return store.read(payloads.incidents_page)


@router.post("/services/{name}/deploy", status_code=201)
def deploy(name: str, store: StoreDep, body: DeployRequest | None = None) -> dict[str, Any]:
    deployment = store.deploy(name, (body or DeployRequest()).environment)
    return store.read(lambda _, now: {"deployment": payloads.deployment_json(deployment, now)})


@router.post("/deployments/{deployment_id}/promote", status_code=201)
def promote(deployment_id: str, store: StoreDep) -> dict[str, Any]:
    deployment = store.promote(deployment_id)
    return store.read(lambda _, now: {"deployment": payloads.deployment_json(deployment, now)})


@router.post("/deployments/{deployment_id}/redeploy", status_code=201)
def redeploy(deployment_id: str, store: StoreDep) -> dict[str, Any]:
    deployment = store.redeploy(deployment_id)
    return store.read(lambda _, now: {"deployment": payloads.deployment_json(deployment, now)})


@router.post("/deployments/{deployment_id}/rollback", status_code=201)
def rollback(deployment_id: str, store: StoreDep) -> dict[str, Any]:
    deployment = store.rollback(deployment_id)
    return store.read(lambda _, now: {"deployment": payloads.deployment_json(deployment, now)})


@router.post("/incidents/{incident_id}/acknowledge")
def acknowledge(incident_id: str, store: StoreDep) -> dict[str, Any]:
    incident = store.acknowledge(incident_id)
    return {"incident": payloads.incident_json(incident)}
