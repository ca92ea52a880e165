"""Error rate, latency p95 and requests per second for one environment, at any moment.

Values are a service's baseline with steady, repeatable noise (a hash of the minute, not a random
generator), so two reads of the same moment agree and tests see the same numbers every run. A failed
deployment raises the error rate from the moment it fails until a later deployment is healthy; a test can
also pin the error rate with an override.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from backend.demo.deploy.deployments import Deployment

ERROR_RATE_THRESHOLD = 5.0
SERIES_POINTS = 30
SERIES_STEP_SECONDS = 60


@dataclass(frozen=True)
class Baseline:
    error_rate: float
    latency_p95_ms: float
    requests_per_second: float


@dataclass(frozen=True)
class Sample:
    error_rate: float
    latency_p95_ms: float
    requests_per_second: float

    def to_json(self) -> dict[str, float]:
        return {
            "error_rate": self.error_rate,
            "latency_p95_ms": self.latency_p95_ms,
            "requests_per_second": self.requests_per_second,
        }


@dataclass(frozen=True)
class Override:
    """An error rate pinned by a test, as if a dependency went down; it opens incident INC-<number>."""

    incident_number: int
    percent: float
    since: datetime


@dataclass(frozen=True)
class FailureWindow:
    deployment: Deployment
    start: datetime
    end: datetime | None

    def covers(self, moment: datetime) -> bool:
        return self.start <= moment and (self.end is None or moment < self.end)


def failure_windows(deployments: list[Deployment]) -> list[FailureWindow]:
    """When each failed deployment of one environment raised its error rate, oldest first.

    The errors last until a later deployment of that environment becomes healthy; a rollback is such a
    deployment, and it is instant.
    """
    windows = []
    for position, failed in enumerate(deployments):
        if failed.succeeds:
            continue
        recoveries = [later.finished_at for later in deployments[position + 1 :] if later.succeeds]
        windows.append(FailureWindow(failed, failed.finished_at, min(recoveries, default=None)))
    return windows


def _noise(*key: object) -> float:
    """A repeatable value in [-1, 1] for the given key."""
    digest = hashlib.blake2b(repr(key).encode(), digest_size=4).digest()
    return int.from_bytes(digest) / 0xFFFFFFFF * 2 - 1


def sample(
    key: tuple[str, str],
    baseline: Baseline,
    windows: list[FailureWindow],
    override: Override | None,
    moment: datetime,
) -> Sample:
    minute = int(moment.timestamp() // SERIES_STEP_SECONDS)
    error_rate = baseline.error_rate * (1 + 0.35 * _noise(*key, "error", minute))
    latency = baseline.latency_p95_ms * (1 + 0.08 * _noise(*key, "latency", minute))
    requests = baseline.requests_per_second * (1 + 0.1 * _noise(*key, "requests", minute))
    failing = [window for window in windows if window.covers(moment)]
    if failing:
        error_rate = 8.5 + 2.5 * _noise(*key, "failing", minute)
        latency *= 1.9
    if override is not None and moment >= override.since:
        error_rate = override.percent
    return Sample(round(error_rate, 2), round(latency), round(requests, 1))


def series(
    key: tuple[str, str],
    baseline: Baseline,
    windows: list[FailureWindow],
    override: Override | None,
    now: datetime,
) -> dict[str, list[float]]:
    """The last half hour, one sample a minute, oldest first; the last sample is `now`."""
    samples = [
        sample(key, baseline, windows, override, now - timedelta(seconds=SERIES_STEP_SECONDS * back))
        for back in range(SERIES_POINTS - 1, -1, -1)
    ]
    return {
        "error_rate": [s.error_rate for s in samples],
        "latency_p95_ms": [s.latency_p95_ms for s in samples],
        "requests_per_second": [s.requests_per_second for s in samples],
    }
