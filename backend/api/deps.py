"""What routes depend on: the app's context, a database session, and the authenticated client."""

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, HTTPException, Request, status
from sqlalchemy import Engine
from sqlmodel import Session

from backend import pairing
from backend.api.ratelimit import FailureLimiter
from backend.clock import Clock
from backend.config import Settings
from backend.events import EventBus
from backend.models import Client

if TYPE_CHECKING:
    from backend.agent.runner import TaskRunner
    from backend.browser.session import BrowserSession
    from backend.ledger.budgets import Book
    from backend.policy.executor import Executor
    from backend.policy.lifecycle import Lifecycle
    from backend.recipes.library import Library
    from backend.recipes.replay import RecipeRunner
    from backend.scheduler.schedules import Schedules
    from backend.skills.deploys.watch import DeployWatch
    from backend.skills.mail.triage import Triage


@dataclass
class AppContext:
    settings: Settings
    engine: Engine
    clock: Clock
    bus: EventBus
    limiter: FailureLimiter
    approvals: "Lifecycle"  # every approval, of every kind, from creation to its end
    ws_auth_timeout: float = 5.0  # seconds a new event socket has to send its auth frame
    browser: "BrowserSession | None" = None  # None when no Chromium is installed
    executor: "Executor | None" = None
    loop: asyncio.AbstractEventLoop | None = None  # the server's loop, where the browser lives
    book: "Book | None" = None  # the ledger of model calls and the budgets
    runner: "TaskRunner | None" = None  # None without a model key or a browser
    triage: "Triage | None" = None  # mail triage: runs without a model key (rules first), None without a browser
    recipes: "RecipeRunner | None" = None  # replays recipes: runs without a model key, None without a browser
    library: "Library | None" = None  # the stored recipes
    agent_unavailable: str | None = None  # why tasks cannot run, for the user
    schedules: "Schedules | None" = None  # the scheduled jobs; started with the server
    watch: "DeployWatch | None" = None  # the deploy watch: None without a browser
    start_browser_at_startup: bool = False  # `deputy up`: the first task does not wait for Chromium


def get_context(request: Request) -> AppContext:
    return request.app.state.ctx


ContextDep = Annotated[AppContext, Depends(get_context)]


def get_session(ctx: ContextDep) -> Iterator[Session]:
    with Session(ctx.engine) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def caller_key(request: Request, kind: str) -> str:
    host = request.client.host if request.client else "unknown"
    return f"{kind}:{host}"


def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer TOKEN` header; tokens anywhere else (the URL) are ignored."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


class AuthFailure(Exception):
    def __init__(self, status_code: int, detail: str) -> None:
        super().__init__(detail)
        self.status_code = status_code
        self.detail = detail


def authenticate(ctx: AppContext, session: Session, token: str | None, origin: str | None, key: str) -> Client:
    """The client behind `token`, checked against its pinned origin; raises AuthFailure otherwise.

    A missing token is not counted as a failed attempt: any web page can make the browser send a request
    without one, and counting those would let it lock the user out.
    """
    if token is None:
        raise AuthFailure(401, "Authentication required: send `Authorization: Bearer TOKEN` (pair with `deputy pair`).")
    locked = ctx.limiter.locked_for(key)
    client = pairing.client_for_token(session, token)
    if client is None:
        if locked is None:
            ctx.limiter.fail(key)
        else:
            raise AuthFailure(429, f"Too many failed attempts; try again in {int(locked.total_seconds()) + 1} s.")
        raise AuthFailure(401, pairing.refusal(session, token))
    # A token is bound to the origin it paired from; non-browser clients send no Origin at all.
    if origin is not None and origin != client.origin:
        raise AuthFailure(403, "This token is not paired with the origin making the request.")
    client.last_seen_at = ctx.clock.now()
    session.add(client)
    session.commit()
    session.refresh(client)
    return client


def require_client(request: Request, ctx: ContextDep, session: SessionDep) -> Client:
    try:
        return authenticate(
            ctx,
            session,
            bearer_token(request.headers.get("authorization")),
            request.headers.get("origin"),
            caller_key(request, "auth"),
        )
    except AuthFailure as failure:
        headers = {"WWW-Authenticate": "Bearer"} if failure.status_code == 401 else None
        raise HTTPException(failure.status_code, failure.detail, headers=headers) from None


AuthDep = Annotated[Client, Depends(require_client)]


def not_found(what: str) -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, f"{what} not found.")
