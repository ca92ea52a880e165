"""The agent's browser as the tray sees it: is it there, and letting go of its profile for a sign-in window."""

import asyncio

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel
from sqlmodel import col, select

from backend.api.deps import AuthDep, ContextDep, SessionDep
from backend.models import Task, TaskStatus

router = APIRouter(tags=["browser"])

BUSY = (TaskStatus.QUEUED, TaskStatus.RUNNING, TaskStatus.WAITING)


class BrowserPublic(BaseModel):
    available: bool  # False when Chromium is missing: tasks cannot run
    running: bool
    detail: str


@router.get("/api/browser")
def browser_state(_: AuthDep, ctx: ContextDep) -> BrowserPublic:
    if ctx.browser is None:
        return BrowserPublic(available=False, running=False, detail=ctx.agent_unavailable or "No agent's browser.")
    running = ctx.browser.running
    return BrowserPublic(
        available=True,
        running=running,
        detail="The agent's browser is running." if running else "The agent's browser starts on first use.",
    )


@router.post("/api/browser/release")
def release(_: AuthDep, ctx: ContextDep, session: SessionDep) -> BrowserPublic:
    """Close the agent's (headless) browser so a sign-in window can open its profile; it reopens on next use."""
    busy = session.exec(select(Task.id).where(col(Task.status).in_(BUSY))).first()
    if busy is not None:
        raise HTTPException(409, f"Task {busy} is using the agent's browser. Wait for it to end, or cancel it.")
    if ctx.browser is not None and ctx.browser.running and ctx.loop is not None:
        asyncio.run_coroutine_threadsafe(ctx.browser.stop(), ctx.loop).result(20)
    return browser_state(_, ctx)
