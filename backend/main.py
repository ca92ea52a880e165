"""The app factory: create_app(settings) builds Deputy's server; nothing is built at import."""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlmodel import Session

from backend import __version__, pairing
from backend.api import events
from backend.api.deps import AppContext
from backend.api.guard import RequestGuard
from backend.api.problems import ERROR_RESPONSES
from backend.api.ratelimit import FailureLimiter
from backend.api.routes import (
    actions,
    approvals,
    audit,
    checkins,
    clients,
    codes,
    digest,
    health,
    pages,
    pair,
    profile,
    recipes,
    rules,
    schedules,
    state,
    tasks,
    trips,
    usage,
)
from backend.api.routes import browser as browser_routes
from backend.clock import Clock, SystemClock
from backend.config import Settings
from backend.db import create_schema, make_engine
from backend.dreaming.candidates import Candidates
from backend.dreaming.notes import NoteKeeper
from backend.events import EventBus
from backend.policy.lifecycle import Lifecycle
from backend.recipes.library import Library
from backend.scheduler.schedules import Schedules
from backend.tasks import interrupt_unfinished

if TYPE_CHECKING:
    from backend.browser.launchers import Launcher
    from backend.skills.mail.learning import Learner

log = logging.getLogger(__name__)


def start_agent_parts(ctx: AppContext, launcher: "Launcher | None") -> None:
    """The ledger, the agent's browser (started on first use), the executor and, with a model key, the agent."""
    from backend.agent.llm import NO_KEY_MESSAGE, ModelClient
    from backend.agent.loop import Agent, AgentSettings
    from backend.agent.runner import TaskRunner
    from backend.browser.flags import find_chromium
    from backend.browser.gate import WriteGate
    from backend.browser.launchers import PersistentProfile
    from backend.browser.session import BrowserSession
    from backend.ledger.budgets import Book
    from backend.policy.audit import AuditLog, gate_recorder
    from backend.policy.executor import Executor
    from backend.recipes.heal import Healer
    from backend.recipes.replay import RecipeRunner
    from backend.skills.deploys.watch import DeployWatch
    from backend.skills.mail.learning import Learner
    from backend.skills.mail.reader import Reader
    from backend.skills.mail.triage import Triage
    from backend.skills.registry import load as load_skills

    ctx.book = Book(ctx.engine, ctx.clock, ctx.bus, ctx.settings.user_id, ctx.settings.team)
    if launcher is None:
        chromium = find_chromium(ctx.settings.chromium)
        if chromium is None:
            ctx.agent_unavailable = "No Chromium is installed, so tasks cannot run. `deputy doctor` says how to fix it."
            log.warning(ctx.agent_unavailable)
            return
        launcher = PersistentProfile(chromium, ctx.settings.data_dir / "browser-profile")
    files = ctx.settings.data_dir / "files"
    ctx.browser = BrowserSession(launcher, files, WriteGate(ctx.clock))
    ctx.executor = Executor(ctx.engine, ctx.browser, ctx.bus, ctx.clock, files, ctx.approvals, load_skills())
    audit = AuditLog(ctx.engine, ctx.clock)
    ctx.browser.gate.listeners.append(gate_recorder(audit))
    # Approved actions and navigations nobody waits for (an ended task, a restart) are run by the executor.
    ctx.approvals.runners["action"] = ctx.executor.run_approved
    ctx.approvals.runners["navigation"] = ctx.executor.run_approved
    key = ctx.settings.anthropic_api_key.get_secret_value() if ctx.settings.anthropic_api_key else ""
    small = ModelClient(key, ctx.settings.triage_model, ctx.settings.anthropic_base_url) if key else None
    reader = Reader(small, ctx.book) if small else None
    learner = Learner(ctx.engine, ctx.approvals, audit, ctx.bus, ctx.clock)
    ctx.triage = Triage(
        ctx.engine, ctx.executor, ctx.approvals, ctx.browser, audit, ctx.bus, ctx.clock, reader, learner
    )
    ctx.approvals.runners["batch"] = ctx.triage.run_later
    ctx.watch = DeployWatch(ctx.engine, ctx.executor, ctx.approvals, ctx.browser, audit, ctx.bus, ctx.clock)
    ctx.approvals.runners["rollback"] = ctx.watch.run_rollback
    model = ModelClient(key, ctx.settings.model, ctx.settings.anthropic_base_url) if key else None
    library = ctx.library
    assert library is not None
    healer = Healer(model, ctx.book)
    ctx.recipes = RecipeRunner(ctx.engine, ctx.executor, ctx.browser, library, healer, audit, ctx.bus, ctx.clock)
    if model is None:
        ctx.agent_unavailable = NO_KEY_MESSAGE
        return
    agent = Agent(
        ctx.engine,
        ctx.executor,
        ctx.approvals,
        ctx.browser,
        audit,
        ctx.book,
        ctx.bus,
        ctx.clock,
        model,
        AgentSettings(),
    )
    # A finished task becomes a recipe: active when a person started it, a candidate when it ran unattended.
    ctx.runner = TaskRunner(agent, then=library.learn)


def _rule_learner(ctx: AppContext) -> "Learner":
    from backend.policy.audit import AuditLog
    from backend.skills.mail.learning import Learner

    return Learner(ctx.engine, ctx.approvals, AuditLog(ctx.engine, ctx.clock), ctx.bus, ctx.clock)


async def _warm(ctx: AppContext) -> None:
    assert ctx.browser is not None
    try:
        await ctx.browser.start()
    except Exception as error:
        log.warning("The agent's browser did not start yet (%s); it is tried again on first use.", error)


def create_app(settings: Settings, clock: Clock | None = None, browser: "Launcher | None" = None) -> FastAPI:
    """Deputy's server. `clock` and `browser` are handed in by whoever runs it (the tests: a manual clock and a
    shared Chromium); by default the system clock and Chromium on the profile in the data folder."""
    clock = clock or SystemClock()
    # The folder holds the token file, the database and the browser profile: its owner's alone.
    settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    engine = make_engine(settings.sqlalchemy_url)
    bus = EventBus(clock)
    ctx = AppContext(
        settings=settings,
        engine=engine,
        clock=clock,
        bus=bus,
        limiter=FailureLimiter(clock),
        approvals=Lifecycle(engine, bus, clock),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        create_schema(engine)
        with Session(engine) as session:
            pairing.ensure_local_token(session, settings.local_token_path, clock.now())
            session.commit()
        ctx.loop = asyncio.get_running_loop()
        ctx.bus.bind(ctx.loop)
        ctx.approvals.bind(ctx.loop)
        ctx.library = Library(engine, clock)
        ctx.library.load_starters()
        # A proposed mail rule, once approved, is saved by the learner: it needs no browser and no model.
        ctx.approvals.runners["rule"] = _rule_learner(ctx).save
        ctx.approvals.runners["note"] = NoteKeeper(engine, ctx.approvals, clock).save
        # A recipe learned from a run nobody watched replays only once approved; rejecting it deletes it.
        candidates = Candidates(engine, ctx.library, ctx.approvals)
        ctx.approvals.runners["recipe"] = candidates.keep
        ctx.approvals.on_reject["recipe"] = candidates.forget
        start_agent_parts(ctx, browser)
        # A restart tells the truth: tasks cut off end as interrupted, with what was and was not done, and
        # approvals given but never run are run once now (or end saying why they cannot).
        for task_id in interrupt_unfinished(engine, clock.now()):
            ctx.approvals.void_open(task_id, ("question", "budget"), "Its task was interrupted by a restart.")
        for approval_id in ctx.approvals.recover():
            ctx.approvals.run_later(approval_id)
        ctx.schedules = Schedules(ctx)
        # The schedule also offers "Check in" when a trip's window opens (a built-in job of kind checkin).
        ctx.schedules.start()
        warming = None
        if ctx.start_browser_at_startup and ctx.browser is not None:
            warming = asyncio.create_task(_warm(ctx))
        yield
        if warming is not None and not warming.done():
            warming.cancel()
        if ctx.schedules is not None:
            await ctx.schedules.stop()
        await ctx.approvals.drain()
        if ctx.triage is not None:
            await ctx.triage.stop_all()
            if ctx.triage.reader is not None:
                await ctx.triage.reader.model.close()
        if ctx.recipes is not None:
            await ctx.recipes.stop_all()
        if ctx.runner is not None:
            await ctx.runner.stop_all()
            await ctx.runner.agent.model.close()
        if ctx.browser is not None:
            await ctx.browser.stop()
        engine.dispose()

    app = FastAPI(title="Deputy", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.ctx = ctx
    for module in (
        health,
        pair,
        codes,
        clients,
        state,
        actions,
        tasks,
        approvals,
        audit,
        rules,
        recipes,
        usage,
        browser_routes,
        pages,
        schedules,
        digest,
        profile,
        checkins,
        trips,
    ):
        app.include_router(module.router, responses=ERROR_RESPONSES)
    app.include_router(events.router)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": [str(p) for p in err.get("loc", ())], "msg": str(err.get("msg")), "type": str(err.get("type"))}
            for err in exc.errors()
        ]
        problems = [
            "the body is not valid JSON"
            if err["type"] == "json_invalid"
            else f"{'.'.join(p for p in err['loc'] if p != 'body') or 'body'}: {err['msg']}"
            for err in errors
        ]
        return JSONResponse({"detail": "Invalid request: " + "; ".join(problems) + ".", "errors": errors}, 422)

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("Unexpected error while handling a request.")
        return JSONResponse({"detail": "Deputy hit an internal error; the server log has the details."}, 500)

    app.add_middleware(RequestGuard, engine_of=lambda: engine)
    return app
