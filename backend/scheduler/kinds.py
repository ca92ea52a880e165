"""Kinds of scheduled job: a small registry, kind → what a run does. One line adds a kind.

A run of any kind is unattended: what it would change waits as an approval for the user's return.
"""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from backend.ledger.money import MoneyError, parse_usd
from backend.models import Task
from backend.models.task import TASK_BUDGET_MOST_USD
from backend.tasks import new_task

if TYPE_CHECKING:
    from backend.agent.runner import Jobs
    from backend.api.deps import AppContext

# A run with no budget of its own may spend this much; the daily budget applies on top.
DEFAULT_RUN_BUDGET_USD = "0.50"


class RunError(Exception):
    """A run that cannot start or go on, said as a sentence for the user (no traceback)."""


@dataclass(frozen=True)
class Run:
    schedule_id: str
    run_id: int
    title: str
    params: dict[str, Any]


@dataclass(frozen=True)
class Ran:
    summary: str
    task_id: str | None = None
    failed: bool = False
    detail: dict[str, Any] | None = None
    quiet: bool = False  # nothing happened: the run is not kept or announced (a frequent job's idle rounds)


Work = Callable[["AppContext", Run], Awaitable[Ran]]


@dataclass(frozen=True)
class Kind:
    name: str
    title: str  # the job's name unless the user gives one
    work: Work
    default_when: dict[str, Any]  # {"cron": ...} or {"every_seconds": ...}
    # A missed run is still worth running this late (None: always); past it, it is skipped and said so.
    grace: timedelta | None = None
    needs: tuple[str, ...] = ()  # parameters a job of this kind must have
    params_help: dict[str, str] = field(default_factory=dict)


def check_params(kind: Kind, params: dict[str, Any]) -> dict[str, Any]:
    """The job's parameters, checked; raises ValueError with what to fix."""
    missing = [name for name in kind.needs if not str(params.get(name) or "").strip()]
    if missing:
        hints = "; ".join(f"{name}: {kind.params_help.get(name, 'required')}" for name in missing)
        raise ValueError(f"a {kind.name} job needs {', '.join(missing)} ({hints})")
    url = params.get("url")
    if url is not None and (not isinstance(url, str) or not url.startswith(("http://", "https://"))):
        raise ValueError("url must be a web address starting with http:// or https://")
    if params.get("budget_usd") is not None:
        try:
            parse_usd(params["budget_usd"], most=TASK_BUDGET_MOST_USD)
        except MoneyError as error:
            raise ValueError(f"budget_usd must be an amount in dollars: {error}") from None
    return params


async def _task_run(ctx: "AppContext", run: Run, instruction: str, use_triage: bool) -> Ran:
    from backend.skills.mail.triage import Triage

    runner = ctx.triage if use_triage else ctx.runner
    if runner is None:
        raise RunError(ctx.agent_unavailable or "Deputy cannot run tasks right now.")
    budget = parse_usd(run.params.get("budget_usd") or DEFAULT_RUN_BUDGET_USD, most=TASK_BUDGET_MOST_USD)
    with Session(ctx.engine) as session:
        task = new_task(
            session, instruction, ctx.clock.now(), url=run.params.get("url"), budget_micro_usd=budget, unattended=True
        )
        session.commit()
        task_id = task.id
    ctx.bus.publish("task.created", {"id": task_id, "instruction": instruction, "url": run.params.get("url")})
    runner.start(task_id)
    jobs: Jobs = runner.jobs if isinstance(runner, Triage) else runner
    await jobs.join(task_id)
    with Session(ctx.engine) as session:
        ended = session.get(Task, task_id)
        status = ended.status if ended else "failed"
        summary = (ended.summary if ended else None) or f"The task ended {status}."
    return Ran(summary, task_id, failed=status != "finished")


async def triage(ctx: "AppContext", run: Run) -> Ran:
    return await _task_run(ctx, run, "Triage my inbox", use_triage=True)


async def agent_task(ctx: "AppContext", run: Run) -> Ran:
    return await _task_run(ctx, run, str(run.params["instruction"]), use_triage=False)


async def deploy_watch(ctx: "AppContext", run: Run) -> Ran:
    if ctx.watch is None:
        raise RunError(ctx.agent_unavailable or "The deploy watch needs the agent's browser.")
    return await ctx.watch.check(run.schedule_id, str(run.params["url"]))


async def digest(ctx: "AppContext", run: Run) -> Ran:
    from backend.digest import announce

    return Ran(announce(ctx, why="its set time"))


async def dream(ctx: "AppContext", run: Run) -> Ran:
    # Counting, no model call: the night's budget is zero, and the day's budget is never touched.
    from backend.dreaming.diary import diary_dir
    from backend.dreaming.night import Night
    from backend.policy.audit import AuditLog
    from backend.skills.mail.learning import Learner

    learner = Learner(ctx.engine, ctx.approvals, AuditLog(ctx.engine, ctx.clock), ctx.bus, ctx.clock)
    night = Night(ctx.engine, learner, ctx.clock, diary_dir(ctx.settings.data_dir), ctx.library)
    dreamt = await asyncio.to_thread(night.dream)
    return Ran(dreamt.summary(), dreamt.task_id, detail={"diary": dreamt.diary, "approvals": dreamt.approval_ids})


async def checkin(ctx: "AppContext", run: Run) -> Ran:
    from backend.skills.checkin.rounds import check_in_round

    url, airline = run.params.get("url"), run.params.get("airline")
    done = await asyncio.to_thread(check_in_round, ctx, url, airline)
    task_id = next(iter(done.started.values()), None) if len(done.started) == 1 else None
    return Ran(done.summary(), task_id, failed=bool(done.failed), detail={"started": done.started}, quiet=done.quiet)


KINDS: dict[str, Kind] = {
    "triage": Kind(
        "triage",
        "Triage my inbox at 06:00",
        triage,
        {"cron": "0 6 * * *"},
        grace=timedelta(hours=12),
        needs=("url",),
        params_help={"url": "the inbox's address"},
    ),
    "deploy_watch": Kind(
        "deploy_watch",
        "Watch the deploy dashboard",
        deploy_watch,
        {"every_seconds": 60},
        needs=("url",),
        params_help={"url": "the dashboard page to watch"},
    ),
    "task": Kind(
        "task",
        "Scheduled task",
        agent_task,
        {"cron": "0 7 * * *"},
        grace=timedelta(hours=2),
        needs=("instruction",),
        params_help={"instruction": "what Deputy should do"},
    ),
    # Every few minutes, so a check-in is retried until it succeeds or the window closes; a run missed
    # while Deputy was down is still useful (each trip's window decides), so it has no grace.
    "checkin": Kind(
        "checkin",
        "Check in when the window opens",
        checkin,
        {"every_seconds": 300},
        params_help={
            "url": "the airline's check-in page; without it, check-in is only offered",
            "airline": "check in only this airline's trips",
        },
    ),
    "digest": Kind("digest", "Morning digest at 07:30", digest, {"cron": "30 7 * * *"}, grace=timedelta(hours=4)),
    "dream": Kind("dream", "Dream over the day at 03:00", dream, {"cron": "0 3 * * *"}, grace=timedelta(hours=6)),
}

# Jobs Deputy keeps whatever the user adds: id → (kind, when). The offer of "Check in" when a trip's window
# opens runs here, once a minute, through the same schedule as every other job.
BUILTIN: dict[str, tuple[str, dict[str, Any]]] = {"s_trip_offers": ("checkin", {"every_seconds": 60})}
