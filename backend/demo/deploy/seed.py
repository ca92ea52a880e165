"""The six services Demo Deploy starts with, and a few days of deployment history for each.

History is placed relative to the demo's "now", so the dashboard always looks recent: checkout-api has a
release on staging waiting to be promoted, search is rolling out on staging, notifications recovered from
a failed production deploy yesterday.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from backend.demo.deploy.deployments import Commit, Deployment, Kind
from backend.demo.deploy.metrics import Baseline

ENVIRONMENTS = ("staging", "production")
QUEUE_SECONDS = 10
USER = "sam.lee"


@dataclass(frozen=True)
class Service:
    name: str
    description: str
    team: str
    repo: str
    builds: tuple[Commit, ...]
    replicas: dict[str, int]
    run_seconds: float
    baselines: dict[str, Baseline]

    @property
    def latest_build(self) -> Commit:
        return self.builds[-1]

    def build(self, version: str) -> Commit:
        return next(commit for commit in self.builds if commit.version == version)


def _service(
    name: str,
    description: str,
    team: str,
    replicas: int,
    run_seconds: float,
    production: Baseline,
    builds: list[tuple[str, str, str, str]],
) -> Service:
    # Staging takes a sliver of production traffic on two pods.
    staging = Baseline(
        production.error_rate * 1.4, production.latency_p95_ms * 1.15, round(production.requests_per_second / 40, 1)
    )
    return Service(
        name=name,
        description=description,
        team=team,
        repo=f"acme/{name}",
        builds=tuple(Commit(*build) for build in builds),
        replicas={"staging": 2, "production": replicas},
        run_seconds=run_seconds,
        baselines={"staging": staging, "production": production},
    )


SERVICES: tuple[Service, ...] = (
    _service(
        "checkout-api",
        "Cart totals, taxes and order placement",
        "Payments",
        12,
        90,
        Baseline(0.42, 182, 420),
        [
            ("2.13.1", "9f2c1ab", "Cache tax tables per region", "priya.n"),
            ("2.13.2", "4be07d3", "Fix rounding on multi-currency carts", "marco.r"),
            ("2.14.0", "c81a5e0", "Add express checkout with saved wallets", "priya.n"),
            ("2.14.1", "e3d9f42", "Retry idempotent order writes once", "sam.lee"),
        ],
    ),
    _service(
        "web-frontend",
        "Storefront pages and the account area",
        "Web",
        16,
        120,
        Baseline(0.18, 96, 1250),
        [
            ("5.7.3", "1a7be90", "Lazy-load product carousels", "ana.k"),
            ("5.8.0", "77c0d15", "New order history page", "ana.k"),
        ],
    ),
    _service(
        "search",
        "Product search and autocomplete",
        "Discovery",
        8,
        120,
        Baseline(0.61, 238, 860),
        [
            ("3.1.4", "b5520ce", "Boost in-stock items", "lee.w"),
            ("3.2.0", "0d4e6a8", "Typo-tolerant autocomplete", "lee.w"),
        ],
    ),
    _service(
        "payments-worker",
        "Captures, refunds and payout batches",
        "Payments",
        6,
        75,
        Baseline(0.27, 612, 74),
        [
            ("1.9.0", "5c3f8b2", "Batch refunds per merchant", "marco.r"),
            ("1.10.0", "a94d0e7", "Idempotency keys on captures", "marco.r"),
        ],
    ),
    _service(
        "notifications",
        "Order emails, SMS and push",
        "Messaging",
        4,
        60,
        Baseline(0.48, 131, 310),
        [
            ("4.3.2", "2e8c4d1", "Throttle SMS per recipient", "jo.b"),
            ("4.4.0", "f61b3a9", "Move templates to the new renderer", "jo.b"),
            ("4.4.1", "8a0c7e5", "Fix missing locale in renderer", "jo.b"),
        ],
    ),
    _service(
        "auth",
        "Sign-in, sessions and tokens",
        "Identity",
        10,
        90,
        Baseline(0.09, 58, 980),
        [
            ("7.1.9", "3f9e2b0", "Rotate signing keys weekly", "nina.t"),
            ("7.2.0", "d04a6c3", "Passkeys for staff accounts", "nina.t"),
        ],
    ),
)

# (service, environment, version, hours ago, kind, started by, fails at percent); oldest first.
_HISTORY: list[tuple[str, str, str, float, Kind, str, float | None]] = [
    ("auth", "staging", "7.1.9", 170, Kind.DEPLOY, "deploy-bot", None),
    ("auth", "production", "7.1.9", 168, Kind.PROMOTE, "nina.t", None),
    ("checkout-api", "staging", "2.13.1", 96, Kind.DEPLOY, "deploy-bot", None),
    ("checkout-api", "production", "2.13.1", 94, Kind.PROMOTE, "priya.n", None),
    ("web-frontend", "staging", "5.7.3", 80, Kind.DEPLOY, "deploy-bot", None),
    ("web-frontend", "production", "5.7.3", 78, Kind.PROMOTE, "ana.k", None),
    ("payments-worker", "staging", "1.9.0", 75, Kind.DEPLOY, "deploy-bot", None),
    ("payments-worker", "production", "1.9.0", 72, Kind.PROMOTE, "marco.r", None),
    ("search", "staging", "3.1.4", 60, Kind.DEPLOY, "deploy-bot", None),
    ("search", "production", "3.1.4", 58, Kind.PROMOTE, "lee.w", None),
    ("notifications", "staging", "4.3.2", 52, Kind.DEPLOY, "deploy-bot", None),
    ("notifications", "production", "4.3.2", 50, Kind.PROMOTE, "jo.b", None),
    ("auth", "staging", "7.2.0", 48, Kind.DEPLOY, "deploy-bot", None),
    ("auth", "production", "7.2.0", 46, Kind.PROMOTE, "nina.t", None),
    ("checkout-api", "staging", "2.13.2", 30, Kind.DEPLOY, "deploy-bot", None),
    ("checkout-api", "production", "2.13.2", 28, Kind.PROMOTE, "marco.r", None),
    ("notifications", "staging", "4.4.0", 27, Kind.DEPLOY, "deploy-bot", None),
    ("notifications", "production", "4.4.0", 26, Kind.PROMOTE, "jo.b", 40),
    ("web-frontend", "staging", "5.8.0", 20, Kind.DEPLOY, "deploy-bot", None),
    ("notifications", "staging", "4.4.1", 5, Kind.DEPLOY, "deploy-bot", None),
    ("checkout-api", "staging", "2.14.0", 2, Kind.DEPLOY, "deploy-bot", None),
    ("payments-worker", "staging", "1.9.0", 1.5, Kind.REDEPLOY, "marco.r", None),
    ("search", "staging", "3.2.0", 40 / 3600, Kind.DEPLOY, "deploy-bot", None),
]

# notifications 4.4.0 failed in production and was rolled back this many minutes after it failed.
_ROLLBACK_AFTER_MINUTES = 12


def service_named(name: str) -> Service | None:
    return next((service for service in SERVICES if service.name == name), None)


def seed_deployments(now: datetime, first_number: int = 1001) -> list[Deployment]:
    deployments: list[Deployment] = []
    running: dict[tuple[str, str], str] = {}
    for name, environment, version, hours_ago, kind, started_by, fail_at in _HISTORY:
        service = service_named(name)
        assert service is not None, name
        deployment = Deployment(
            number=first_number + len(deployments),
            service=name,
            environment=environment,
            commit=service.build(version),
            kind=kind,
            created_at=now - timedelta(hours=hours_ago),
            started_by=started_by,
            replicas=service.replicas[environment],
            previous_version=running.get((name, environment)),
            queue_seconds=QUEUE_SECONDS,
            run_seconds=service.run_seconds,
            fail_at_percent=fail_at,
        )
        deployments.append(deployment)
        if fail_at is None:
            running[(name, environment)] = version
        else:
            deployments.append(_seed_rollback(deployment, len(deployments) + first_number, running))
    return deployments


def _seed_rollback(failed: Deployment, number: int, running: dict[tuple[str, str], str]) -> Deployment:
    previous = running[(failed.service, failed.environment)]
    service = service_named(failed.service)
    assert service is not None
    at = failed.finished_at + timedelta(minutes=_ROLLBACK_AFTER_MINUTES)
    failed.rolled_back_at = at
    failed.rolled_back_by = failed.started_by
    failed.replaced_by = number
    return Deployment(
        number=number,
        service=failed.service,
        environment=failed.environment,
        commit=service.build(previous),
        kind=Kind.ROLLBACK,
        created_at=at,
        started_by=failed.started_by,
        replicas=failed.replicas,
        previous_version=failed.version,
        queue_seconds=0,
        run_seconds=0,
        undoes=failed.number,
    )
