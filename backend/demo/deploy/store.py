"""Demo Deploy's state: deployments, incidents and what tests scripted to happen next.

Every change goes through one method here, under one lock, and is written to the change log with the
version running before and after. Reads compute status from the demo's time and never change anything.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from backend.clock import Clock, SystemClock
from backend.demo.changelog import ChangeLog
from backend.demo.deploy.deployments import FINISHED, Commit, Deployment, Kind, Status
from backend.demo.deploy.metrics import (
    ERROR_RATE_THRESHOLD,
    FailureWindow,
    Override,
    Sample,
    failure_windows,
    sample,
    series,
)
from backend.demo.deploy.seed import (
    ENVIRONMENTS,
    QUEUE_SECONDS,
    SERVICES,
    USER,
    Service,
    seed_deployments,
    service_named,
)

T = TypeVar("T")


class Refused(Exception):
    """A request Demo Deploy turns down; `status` is the HTTP status to answer with."""

    status = 409

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(Refused):
    status = 404


@dataclass(frozen=True)
class NextDeploy:
    """How the next rollout of a service ends, as scripted by a test."""

    fail_at_percent: float | None
    run_seconds: float | None


@dataclass(frozen=True)
class Incident:
    number: int
    service: str
    environment: str
    error_rate: float
    started_at: datetime
    cause: str
    deployment: str | None
    acknowledged_at: datetime | None

    @property
    def id(self) -> str:
        return f"INC-{self.number}"


class AppClock:
    """The demo's time: the given clock plus however far tests have moved it forward."""

    def __init__(self, base: Clock) -> None:
        self._base = base
        self._offset = timedelta()

    def now(self) -> datetime:
        return self._base.now() + self._offset

    def advance(self, seconds: float) -> None:
        self._offset += timedelta(seconds=seconds)


class DeployStore:
    def __init__(self, clock: Clock | None = None) -> None:
        self.clock = AppClock(clock or SystemClock())
        self._lock = threading.RLock()
        self.reset()

    def reset(self) -> None:
        """Back to the seed, placed at the current time; the change log starts empty."""
        with self._lock:
            self.changes = ChangeLog(clock=self.clock)
            self.deployments: list[Deployment] = seed_deployments(self.clock.now())
            self._next_deploy: dict[str, NextDeploy] = {}
            self._overrides: dict[tuple[str, str], Override] = {}
            self._acknowledged: dict[str, datetime] = {}
            self._next_incident = 7001

    def read(self, build: Callable[["DeployStore", datetime], T]) -> T:
        """Run a read under the lock at one consistent moment."""
        with self._lock:
            return build(self, self.clock.now())

    # Lookups

    def service(self, name: str) -> Service:
        service = service_named(name)
        if service is None:
            raise NotFound(f"There is no service named '{name}'. GET /api/services lists them.")
        return service

    def deployment(self, deployment_id: str) -> Deployment:
        for deployment in self.deployments:
            if deployment.id == deployment_id:
                return deployment
        raise NotFound(f"There is no deployment '{deployment_id}'. A service's page lists its deployments.")

    def history(self, service: str, environment: str) -> list[Deployment]:
        """One environment's deployments, oldest first."""
        return [d for d in self.deployments if d.service == service and d.environment == environment]

    def current(self, service: str, environment: str, now: datetime) -> Deployment | None:
        """The deployment serving traffic: the newest that finished and was not rolled back."""
        for deployment in reversed(self.history(service, environment)):
            if deployment.status(now) in (Status.HEALTHY, Status.FAILED):
                return deployment
        return None

    def in_progress(self, service: str, environment: str, now: datetime) -> Deployment | None:
        for deployment in self.history(service, environment):
            if deployment.status(now) not in FINISHED:
                return deployment
        return None

    def version(self, service: str, environment: str, now: datetime) -> str | None:
        current = self.current(service, environment, now)
        return current.version if current else None

    # Metrics and incidents

    def windows(self, service: str, environment: str) -> list[FailureWindow]:
        return failure_windows(self.history(service, environment))

    def sample(self, service: Service, environment: str, now: datetime) -> Sample:
        key = (service.name, environment)
        return sample(key, service.baselines[environment], self.windows(*key), self._overrides.get(key), now)

    def series(self, service: Service, environment: str, now: datetime) -> dict[str, list[float]]:
        key = (service.name, environment)
        return series(key, service.baselines[environment], self.windows(*key), self._overrides.get(key), now)

    def incident(self, service: Service, now: datetime) -> Incident | None:
        """Production's open incident, if its error rate is over the threshold; staging pages nobody."""
        key = (service.name, "production")
        error_rate = self.sample(service, "production", now).error_rate
        if error_rate <= ERROR_RATE_THRESHOLD:
            return None
        override = self._overrides.get(key)
        if override is not None and override.since <= now:
            number, started = override.incident_number, override.since
            cause, deployment = "Error rate rose with no deployment in progress", None
        else:
            window = next((w for w in self.windows(*key) if w.covers(now)), None)
            if window is None:
                return None
            number, started = window.deployment.number, window.start
            cause = f"Deployment {window.deployment.id} ({window.deployment.version}) failed"
            deployment = window.deployment.id
        return Incident(
            number=number,
            service=service.name,
            environment="production",
            error_rate=error_rate,
            started_at=started,
            cause=cause,
            deployment=deployment,
            acknowledged_at=self._acknowledged.get(f"INC-{number}"),
        )

    def incidents(self, now: datetime) -> list[Incident]:
        return [incident for service in SERVICES if (incident := self.incident(service, now))]

    # Checks shared by the API and the pages, so a button is enabled exactly when its POST would work

    def check_deploy(self, service: Service, environment: str, now: datetime) -> None:
        if environment != "staging":
            raise Refused("New builds go to staging first; promote a healthy staging deployment to production.")
        self._check_idle(service.name, environment, now)
        running = self.version(service.name, environment, now)
        if running == service.latest_build.version:
            raise Refused(f"Staging already runs the latest build, {running}; use Redeploy on its deployment instead.")

    def check_promote(self, deployment: Deployment, now: datetime) -> None:
        if deployment.environment != "staging":
            raise Refused(f"Only staging deployments can be promoted; {deployment.id} is in production.")
        status = deployment.status(now)
        if status is not Status.HEALTHY:
            raise Refused(
                f"Only a healthy deployment can be promoted; {deployment.id} is {status.value.replace('_', ' ')}."
            )
        self._check_idle(deployment.service, "production", now)
        if self.version(deployment.service, "production", now) == deployment.version:
            raise Refused(f"Production already runs {deployment.version}.")

    def check_rollback(self, deployment: Deployment, now: datetime) -> Deployment:
        """The deployment to go back to."""
        status = deployment.status(now)
        if status in (Status.QUEUED, Status.RUNNING):
            raise Refused(f"{deployment.id} is still {status.value}; wait for it to finish, then roll back.")
        if status is Status.ROLLED_BACK:
            raise Refused(f"{deployment.id} was already rolled back in d-{deployment.replaced_by}.")
        current = self.current(deployment.service, deployment.environment, now)
        if current is not deployment:
            raise Refused(
                f"{deployment.id} is not what {deployment.environment} runs now; "
                f"only the current deployment{f' ({current.id})' if current else ''} can be rolled back."
            )
        self._check_idle(deployment.service, deployment.environment, now)
        earlier = self.history(deployment.service, deployment.environment)
        for candidate in reversed(earlier[: earlier.index(deployment)]):
            if candidate.status(now) is Status.HEALTHY and candidate.version != deployment.version:
                return candidate
        raise Refused(f"There is no earlier healthy version of {deployment.service} to roll back to.")

    def check_redeploy(self, deployment: Deployment, now: datetime) -> None:
        if deployment.kind is Kind.ROLLBACK:
            raise Refused("A rollback cannot be redeployed; redeploy the deployment it went back to.")
        self._check_idle(deployment.service, deployment.environment, now)

    def _check_idle(self, service: str, environment: str, now: datetime) -> None:
        busy = self.in_progress(service, environment, now)
        if busy is not None:
            raise Refused(
                f"{service} {environment} is busy with {busy.id} ({busy.status(now).value}); wait for it to finish."
            )

    # Changes

    def deploy(self, name: str, environment: str) -> Deployment:
        with self._lock:
            now = self.clock.now()
            service = self.service(name)
            self.check_deploy(service, environment, now)
            return self._start(
                service, environment, service.latest_build, Kind.DEPLOY, now, f"/api/services/{name}/deploy"
            )

    def promote(self, deployment_id: str) -> Deployment:
        with self._lock:
            now = self.clock.now()
            source = self.deployment(deployment_id)
            self.check_promote(source, now)
            service = self.service(source.service)
            return self._start(
                service, "production", source.commit, Kind.PROMOTE, now, f"/api/deployments/{deployment_id}/promote"
            )

    def redeploy(self, deployment_id: str) -> Deployment:
        with self._lock:
            now = self.clock.now()
            source = self.deployment(deployment_id)
            self.check_redeploy(source, now)
            service = self.service(source.service)
            endpoint = f"/api/deployments/{deployment_id}/redeploy"
            return self._start(service, source.environment, source.commit, Kind.REDEPLOY, now, endpoint)

    def _start(
        self, service: Service, environment: str, commit: Commit, kind: Kind, now: datetime, endpoint: str
    ) -> Deployment:
        script = self._next_deploy.pop(service.name, NextDeploy(None, None))
        before = self._environment_state(service.name, environment, now)
        deployment = Deployment(
            number=self._next_number(),
            service=service.name,
            environment=environment,
            commit=commit,
            kind=kind,
            created_at=now,
            started_by=USER,
            replicas=service.replicas[environment],
            previous_version=before["version"],
            queue_seconds=QUEUE_SECONDS,
            run_seconds=script.run_seconds or service.run_seconds,
            fail_at_percent=script.fail_at_percent,
        )
        self.deployments.append(deployment)
        verb = {Kind.DEPLOY: "deployed", Kind.PROMOTE: "promoted", Kind.REDEPLOY: "redeployed"}[kind]
        self.changes.record(
            f"POST {endpoint}",
            f"{verb} {service.name} {commit.version} to {environment} ({deployment.id})",
            before=before,
            after={"environment": environment, "version": commit.version, "deployment": deployment.id},
            scope=service.name,
        )
        return deployment

    def rollback(self, deployment_id: str) -> Deployment:
        with self._lock:
            now = self.clock.now()
            undone = self.deployment(deployment_id)
            target = self.check_rollback(undone, now)
            rollback = Deployment(
                number=self._next_number(),
                service=undone.service,
                environment=undone.environment,
                commit=target.commit,
                kind=Kind.ROLLBACK,
                created_at=now,
                started_by=USER,
                replicas=undone.replicas,
                previous_version=undone.version,
                queue_seconds=0,
                run_seconds=0,
                undoes=undone.number,
            )
            before = self._environment_state(undone.service, undone.environment, now)
            undone.rolled_back_at = now
            undone.rolled_back_by = USER
            undone.replaced_by = rollback.number
            self.deployments.append(rollback)
            self.changes.record(
                f"POST /api/deployments/{deployment_id}/rollback",
                f"rolled back {undone.service} {undone.environment} from {undone.version} to {target.version}",
                before=before,
                after=self._environment_state(undone.service, undone.environment, now),
                scope=undone.service,
            )
            return rollback

    def acknowledge(self, incident_id: str) -> Incident:
        with self._lock:
            now = self.clock.now()
            incident = next((i for i in self.incidents(now) if i.id == incident_id), None)
            if incident is None:
                raise NotFound(f"There is no open incident '{incident_id}'. GET /api/incidents lists them.")
            if incident.acknowledged_at is not None:
                raise Refused(f"{incident_id} is already acknowledged.")
            self._acknowledged[incident_id] = now
            self.changes.record(
                f"POST /api/incidents/{incident_id}/acknowledge",
                f"acknowledged incident {incident_id} ({incident.service} {incident.environment})",
                before={"incident": incident_id, "acknowledged": False},
                after={"incident": incident_id, "acknowledged": True},
                scope=incident.service,
            )
            return self.incident(self.service(incident.service), now) or incident

    def _environment_state(self, service: str, environment: str, now: datetime) -> dict[str, Any]:
        current = self.current(service, environment, now)
        return {
            "environment": environment,
            "version": current.version if current else None,
            "deployment": current.id if current else None,
        }

    def _next_number(self) -> int:
        return max(d.number for d in self.deployments) + 1

    # Test controls: not changes a user makes, so they stay out of the change log

    def advance(self, seconds: float) -> datetime:
        with self._lock:
            self.clock.advance(seconds)
            return self.clock.now()

    def script_next_deploy(self, name: str, script: NextDeploy | None) -> None:
        with self._lock:
            self.service(name)
            if script is None:
                self._next_deploy.pop(name, None)
            else:
                self._next_deploy[name] = script

    def pin_error_rate(self, name: str, environment: str, percent: float | None) -> None:
        with self._lock:
            self.service(name)
            if environment not in ENVIRONMENTS:
                raise NotFound(f"There is no environment '{environment}'; use staging or production.")
            key = (name, environment)
            if percent is None:
                self._overrides.pop(key, None)
                return
            self._overrides[key] = Override(self._next_incident, percent, self.clock.now())
            self._next_incident += 1
