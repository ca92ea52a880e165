"""The JSON the pages poll: the service list, one service, one deployment.

Each payload carries the open incidents too, so every page can show the incident banner from one request,
and says which actions would be accepted right now (and why not), using the same checks as the POSTs.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from backend.demo.deploy.deployments import Deployment, Status
from backend.demo.deploy.metrics import ERROR_RATE_THRESHOLD
from backend.demo.deploy.seed import ENVIRONMENTS, SERVICES, USER, Service
from backend.demo.deploy.store import DeployStore, Incident, Refused

Json = dict[str, Any]


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _allowed(check: Callable[[], object]) -> Json:
    try:
        check()
    except Refused as refused:
        return {"allowed": False, "reason": refused.detail}
    return {"allowed": True, "reason": None}


def incident_json(incident: Incident) -> Json:
    return {
        "id": incident.id,
        "service": incident.service,
        "environment": incident.environment,
        "error_rate": incident.error_rate,
        "threshold": ERROR_RATE_THRESHOLD,
        "started_at": _iso(incident.started_at),
        "cause": incident.cause,
        "deployment": incident.deployment,
        "acknowledged": incident.acknowledged_at is not None,
        "acknowledged_at": _iso(incident.acknowledged_at),
    }


def deployment_json(deployment: Deployment, now: datetime) -> Json:
    status = deployment.status(now)
    finished = status in (Status.HEALTHY, Status.FAILED, Status.ROLLED_BACK)
    return {
        "id": deployment.id,
        "url": f"/deployments/{deployment.id}",
        "service": deployment.service,
        "environment": deployment.environment,
        "version": deployment.version,
        "commit": {
            "sha": deployment.commit.sha,
            "message": deployment.commit.message,
            "author": deployment.commit.author,
        },
        "kind": deployment.kind.value,
        "status": status.value,
        "progress": deployment.progress(now),
        "started_by": deployment.started_by,
        "created_at": _iso(deployment.created_at),
        "finished_at": _iso(deployment.finished_at) if finished else None,
        "previous_version": deployment.previous_version,
        "replicas": deployment.replicas,
        "rolled_back_at": _iso(deployment.rolled_back_at) if status is Status.ROLLED_BACK else None,
        "rolled_back_in": f"d-{deployment.replaced_by}" if status is Status.ROLLED_BACK else None,
        "undoes": f"d-{deployment.undoes}" if deployment.undoes else None,
    }


def _environment_json(store: DeployStore, service: Service, environment: str, now: datetime) -> Json:
    history = store.history(service.name, environment)
    latest = history[-1] if history else None
    current = store.current(service.name, environment, now)
    return {
        "name": environment,
        "version": current.version if current else None,
        "deployment": current.id if current else None,
        "latest": deployment_json(latest, now) if latest else None,
        "metrics": store.sample(service, environment, now).to_json(),
    }


def _service_json(service: Service) -> Json:
    build = service.latest_build
    return {
        "name": service.name,
        "url": f"/services/{service.name}",
        "description": service.description,
        "team": service.team,
        "repo": service.repo,
        "latest_build": {
            "version": build.version,
            "sha": build.sha,
            "message": build.message,
            "author": build.author,
        },
    }


def incidents_page(store: DeployStore, now: datetime) -> Json:
    return {
        "now": _iso(now),
        "user": USER,
        "threshold": ERROR_RATE_THRESHOLD,
        "incidents": [incident_json(incident) for incident in store.incidents(now)],
    }


def dashboard(store: DeployStore, now: datetime) -> Json:
    services = []
    for service in SERVICES:
        row = _service_json(service)
        row["environments"] = {env: _environment_json(store, service, env, now) for env in ENVIRONMENTS}
        row["error_rate_series"] = store.series(service, "production", now)["error_rate"]
        mine = [d for d in store.deployments if d.service == service.name]
        row["last_deployment"] = deployment_json(mine[-1], now) if mine else None
        services.append(row)
    statuses = [env["latest"]["status"] for row in services for env in row["environments"].values()]
    page = incidents_page(store, now)
    page["services"] = services
    page["summary"] = {
        "services": len(services),
        "deploying": sum(status in ("queued", "running") for status in statuses),
        "failed": sum(
            row["environments"][env]["latest"]["status"] == "failed" for row in services for env in ENVIRONMENTS
        ),
        "incidents": len(page["incidents"]),
    }
    return page


def service_page(store: DeployStore, now: datetime, name: str) -> Json:
    service = store.service(name)
    environments = []
    for environment in ENVIRONMENTS:
        row = _environment_json(store, service, environment, now)
        row["series"] = store.series(service, environment, now)
        environments.append(row)
    staging = store.current(name, "staging", now)

    def check_promote() -> None:
        if staging is None:
            raise Refused("Nothing runs on staging yet; deploy to staging first.")
        store.check_promote(staging, now)

    page = incidents_page(store, now)
    page["service"] = _service_json(service)
    page["environments"] = environments
    page["deployments"] = [deployment_json(d, now) for d in reversed(store.deployments) if d.service == name]
    page["actions"] = {
        "deploy": {
            **_allowed(lambda: store.check_deploy(service, "staging", now)),
            "environment": "staging",
            "version": service.latest_build.version,
        },
        "promote": {
            **_allowed(check_promote),
            "deployment": staging.id if staging else None,
            "version": staging.version if staging else None,
            "production_version": store.version(name, "production", now),
        },
    }
    return page


def deployment_page(store: DeployStore, now: datetime, deployment_id: str) -> Json:
    deployment = store.deployment(deployment_id)
    service = store.service(deployment.service)
    environment = _environment_json(store, service, deployment.environment, now)
    environment["series"] = store.series(service, deployment.environment, now)

    target: dict[str, str | None] = {"version": None, "deployment": None}

    def check_rollback() -> None:
        to = store.check_rollback(deployment, now)
        target.update(version=to.version, deployment=to.id)

    page = incidents_page(store, now)
    page["service"] = _service_json(service)
    page["deployment"] = deployment_json(deployment, now)
    page["logs"] = [{"at": _iso(line.at), "level": line.level, "text": line.text} for line in deployment.logs(now)]
    page["environment"] = environment
    rollback = _allowed(check_rollback)
    page["actions"] = {
        "rollback": {**rollback, "target_version": target["version"], "target_deployment": target["deployment"]},
        "promote": (
            {
                **_allowed(lambda: store.check_promote(deployment, now)),
                "production_version": store.version(deployment.service, "production", now),
            }
            if deployment.environment == "staging"
            else None
        ),
        "redeploy": _allowed(lambda: store.check_redeploy(deployment, now)),
    }
    return page
