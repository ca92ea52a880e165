"""A deployment and how it progresses: queued, then running with a percentage, then healthy or failed.

Status, progress and logs are never stored: they are computed from the deployment's plan and the moment
asked about, so moving the demo's time forward moves every deployment with it and a GET changes nothing.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class Status(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    HEALTHY = "healthy"
    FAILED = "failed"
    ROLLED_BACK = "rolled_back"


class Kind(StrEnum):
    DEPLOY = "deploy"
    PROMOTE = "promote"
    REDEPLOY = "redeploy"
    ROLLBACK = "rollback"


FINISHED = (Status.HEALTHY, Status.FAILED, Status.ROLLED_BACK)


@dataclass(frozen=True)
class Commit:
    """A build of a service: what a deployment ships."""

    version: str
    sha: str
    message: str
    author: str


@dataclass(frozen=True)
class LogLine:
    at: datetime
    level: str
    text: str


# Rollout steps as (percent reached, message); the canary at 25% is where real rollouts usually fail.
_ROLLOUT_STEPS: list[tuple[float, str]] = [
    (0, "Pulling image registry.acme.internal/{service}:{version}"),
    (8, "Image pulled (digest sha256:{digest})"),
    (15, "Configuration validated; no pending migrations"),
    (25, "Canary started: 1 of {replicas} pods on {version}"),
    (35, "Canary checks passed: no new errors, latency within 10% of {previous}"),
    (50, "Rolling update: {half} of {replicas} pods on {version}"),
    (75, "Rolling update: {three_quarters} of {replicas} pods on {version}"),
    (90, "Rolling update: {replicas} of {replicas} pods on {version}; draining {previous}"),
    (100, "Health checks passed; {version} is live in {environment}"),
]


@dataclass
class Deployment:
    number: int
    service: str
    environment: str
    commit: Commit
    kind: Kind
    created_at: datetime
    started_by: str
    replicas: int
    previous_version: str | None
    queue_seconds: float
    run_seconds: float
    # None means the rollout succeeds; a percentage means it fails when it gets there.
    fail_at_percent: float | None = None
    rolled_back_at: datetime | None = None
    rolled_back_by: str | None = None
    # On a rolled-back deployment: the rollback that replaced it. On a rollback: the deployment it undid.
    replaced_by: int | None = None
    undoes: int | None = None

    @property
    def id(self) -> str:
        return f"d-{self.number}"

    @property
    def version(self) -> str:
        return self.commit.version

    @property
    def succeeds(self) -> bool:
        return self.fail_at_percent is None

    @property
    def started_at(self) -> datetime:
        return self.created_at + timedelta(seconds=self.queue_seconds)

    def reached(self, percent: float) -> datetime:
        """The moment the rollout reaches `percent`."""
        return self.started_at + timedelta(seconds=self.run_seconds * percent / 100)

    @property
    def finished_at(self) -> datetime:
        """When it becomes healthy, or when it fails."""
        return self.reached(100 if self.fail_at_percent is None else self.fail_at_percent)

    def status(self, now: datetime) -> Status:
        if self.rolled_back_at is not None and now >= self.rolled_back_at:
            return Status.ROLLED_BACK
        if now < self.started_at:
            return Status.QUEUED
        if now < self.finished_at:
            return Status.RUNNING
        return Status.HEALTHY if self.succeeds else Status.FAILED

    def progress(self, now: datetime) -> int:
        if now < self.started_at:
            return 0
        if now >= self.finished_at:
            return 100 if self.succeeds else round(self.fail_at_percent or 0)
        elapsed = (now - self.started_at).total_seconds()
        return min(99, int(elapsed / self.run_seconds * 100))

    def logs(self, now: datetime) -> list[LogLine]:
        script = self._rollback_script() if self.kind is Kind.ROLLBACK else self._rollout_script()
        if self.rolled_back_at is not None:
            script.append(
                LogLine(
                    self.rolled_back_at,
                    "WARN",
                    f"Rolled back by {self.rolled_back_by} in d-{self.replaced_by}; "
                    f"{self.environment} no longer runs {self.version}",
                )
            )
        return [line for line in script if line.at <= now]

    def _rollout_script(self) -> list[LogLine]:
        how = {
            Kind.DEPLOY: f"deployed by {self.started_by}",
            Kind.PROMOTE: f"promoted from staging by {self.started_by}",
            Kind.REDEPLOY: f"redeployed by {self.started_by}",
        }.get(self.kind, f"started by {self.started_by}")
        lines = [
            LogLine(
                self.created_at,
                "INFO",
                f"Deployment {self.id} queued: {self.service} {self.version} to {self.environment} ({how})",
            ),
            LogLine(
                self.started_at,
                "INFO",
                f"Runner picked up {self.id}; {self.environment} runs {self.previous_version or 'nothing yet'}",
            ),
        ]
        fields = {
            "service": self.service,
            "version": self.version,
            "environment": self.environment,
            "previous": self.previous_version or "the previous version",
            "replicas": self.replicas,
            "half": max(1, self.replicas // 2),
            "three_quarters": max(1, self.replicas * 3 // 4),
            "digest": hashlib.sha256(f"{self.service}:{self.version}".encode()).hexdigest()[:12],
        }
        limit = 101 if self.fail_at_percent is None else self.fail_at_percent
        lines += [
            LogLine(self.reached(percent), "INFO", text.format(**fields))
            for percent, text in _ROLLOUT_STEPS
            if percent < limit
        ]
        if self.fail_at_percent is not None:
            lines += self._failure_lines()
        return lines

    def _failure_lines(self) -> list[LogLine]:
        at = self.finished_at
        percent = round(self.fail_at_percent or 0)
        on_new = max(1, round(self.replicas * percent / 100))
        return [
            LogLine(at, "ERROR", f"Health check failed on {on_new} of {self.replicas} pods: HTTP 503 from /healthz"),
            LogLine(at, "ERROR", f"Error rate above 5% on pods running {self.version}"),
            LogLine(at, "ERROR", f"Deployment {self.id} failed at {percent}%; rollout halted"),
            LogLine(
                at,
                "WARN",
                f"{on_new} of {self.replicas} pods still run {self.version}; "
                f"roll back to restore {self.previous_version or 'the previous version'}",
            ),
        ]

    def _rollback_script(self) -> list[LogLine]:
        return [
            LogLine(
                self.created_at,
                "INFO",
                f"Rollback requested by {self.started_by}: {self.environment} goes from "
                f"{self.previous_version} back to {self.version} (undoing d-{self.undoes})",
            ),
            LogLine(
                self.created_at,
                "INFO",
                f"Traffic shifted to {self.version} on {self.replicas} of {self.replicas} pods",
            ),
            LogLine(self.created_at, "INFO", f"Rollback complete; {self.version} is live in {self.environment}"),
        ]
