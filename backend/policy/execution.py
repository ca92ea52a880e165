"""Running one cleared action: the write gate opened for it alone, what the page did recorded, the audit
written, destructive changes counted. The only place an action function is called."""

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Engine
from sqlmodel import Session

from backend.actions import registry
from backend.actions.registry import ActionContext, ActionParams, ActionResult, ActionSpec, Risk
from backend.actions.risk import Assessment
from backend.browser.gate import Clearance, GateEvent
from backend.browser.session import BrowserSession
from backend.browser.tab import BrowserActionError, StaleElement, Tab
from backend.clock import Clock
from backend.events import EventBus
from backend.models import AppState, Task
from backend.policy.audit import AuditLog
from backend.policy.binding import identity, refind

log = logging.getLogger(__name__)

_PERMIT = registry.issue_permit()

OutcomeStatus = Literal["done", "failed", "denied", "pending", "rejected", "expired", "stale", "error"]


@dataclass(frozen=True)
class Outcome:
    status: OutcomeStatus
    message: str  # what the model (or the person) is told
    approval_id: str | None = None
    audit_id: int | None = None
    result: ActionResult | None = None
    held: list[GateEvent] = field(default_factory=list)  # navigations the gate held during the action


@dataclass(frozen=True)
class Step:
    """One action, ready to run: validated, judged, described."""

    task_id: str
    spec: ActionSpec
    params: ActionParams
    assessment: Assessment
    summary: str  # the sentence recorded as done
    items: int = 1  # rows it touches, for the per-task limit


UndoPlanner = Callable[[list[GateEvent]], dict[str, Any] | None]


class Execution:
    def __init__(
        self,
        engine: Engine,
        browser: BrowserSession,
        bus: EventBus,
        clock: Clock,
        audit: AuditLog,
        files_dir: Path,
        undo_for: UndoPlanner,
    ) -> None:
        self.engine = engine
        self.browser = browser
        self.bus = bus
        self.clock = clock
        self.audit = audit
        self.files_dir = files_dir
        self.undo_for = undo_for

    def _paused(self) -> bool:
        with Session(self.engine) as session:
            state = session.get(AppState, 1)
            return bool(state and state.paused)

    async def run(
        self, tab: Tab, step: Step, actor: str, approval_id: str | None = None, clearance: Clearance | None = None
    ) -> Outcome:
        dumped = step.params.model_dump(mode="json", exclude_none=True)
        if self._paused():
            message = "Deputy is paused: nothing runs until the user resumes it."
            audit_id = self.audit.append(
                step.task_id, "decided", "policy", action=step.spec.name, params=dumped, verdict="deny", reason=message
            )
            return Outcome("denied", message, approval_id, audit_id)
        writes_cleared = step.assessment.risk.rank >= Risk.WRITE.rank
        clearance = clearance or Clearance("act_" + secrets.token_hex(4), writes=writes_cleared)
        seen: list[GateEvent] = []

        def collect(event: GateEvent) -> None:
            if event.task_id == step.task_id:
                seen.append(event)

        gate = self.browser.gate
        gate.listeners.append(collect)
        ctx = ActionContext(
            task_id=step.task_id, tab=tab, browser=self.browser, clock=self.clock, files_dir=self.files_dir
        )
        try:
            async with gate.cleared(step.task_id, clearance):
                result = await self._act(tab, step, ctx)
                # A local change (typing, choosing an option, ticking a box) sends nothing the gate must clear,
                # so only what may load or send waits for the page to settle inside the clearance.
                if step.spec.touches_page and step.assessment.risk is not Risk.LOCAL:
                    await tab.settle()
        finally:
            gate.listeners.remove(collect)
        tab.last_snapshot = None  # the page may have changed: the next targeted proposal looks again
        return self._record(tab, step, actor, approval_id, result, seen, dumped)

    async def _act(self, tab: Tab, step: Step, ctx: ActionContext) -> ActionResult:
        """Run the action. A page that redrew its target between the look and the act (a dashboard's list
        refreshing) is looked at again, and the action runs on the one element just like it, if there is one:
        the same role, name, context and destination that the policy judged."""
        ref = getattr(step.params, "ref", None)
        seen = tab.last_snapshot.elements.get(ref) if ref and tab.last_snapshot else None
        action = registry.function(step.spec, _PERMIT)
        try:
            return await action(step.params, ctx)
        except StaleElement as error:
            if seen is None:
                return ActionResult(False, str(error))
            again = refind(await tab.snapshot(), "", identity(seen))
            if again is None:
                return ActionResult(False, str(error))
            log.info("Task %s: %s was redrawn; acting on %s, the same element now.", step.task_id, ref, again.ref)
            try:
                return await action(step.params.model_copy(update={"ref": again.ref}), ctx)
            except BrowserActionError as error:
                return ActionResult(False, str(error))
        except BrowserActionError as error:
            return ActionResult(False, str(error))

    def _record(
        self,
        tab: Tab,
        step: Step,
        actor: str,
        approval_id: str | None,
        result: ActionResult,
        seen: list[GateEvent],
        dumped: dict[str, Any],
    ) -> Outcome:
        writes = [e for e in seen if e.kind == "passed"]
        dialogs = [e.detail for e in seen if e.kind == "dialog"]
        blocked = [f"{e.method} {e.url}" for e in seen if e.kind == "blocked"]
        held = [e for e in seen if e.kind == "held"]
        changed = result.ok and step.assessment.risk.rank >= Risk.WRITE.rank and bool(writes)
        undo = self.undo_for(writes) if result.ok else None
        detail = {
            "summary": step.summary,
            "result": result.summary,
            "changed": changed,
            "writes": [f"{e.method} {e.url}" for e in writes],
            "blocked_writes": blocked,
            "held_navigations": [{"url": e.url, "verdict": e.verdict, "why": e.detail} for e in held],
            "dialogs": dialogs,
            "data": {k: v for k, v in result.data.items() if k != "untrusted"},
        }
        audit_id = self.audit.append(
            step.task_id,
            "executed",
            actor,
            action=step.spec.name,
            params=dumped,
            verdict="ok" if result.ok else "failed",
            risk=step.assessment.risk,
            reason=step.assessment.reason,
            detail=detail,
            approval_id=approval_id,
            undo=undo,
        )
        if changed:
            with Session(self.engine) as session:
                task = session.get(Task, step.task_id)
                if task is not None:
                    task.destructive_count += step.items
                    session.add(task)
                    session.commit()
        self.bus.publish(
            "step.finished",
            {
                "task_id": step.task_id,
                "action": step.spec.name,
                "ok": result.ok,
                "summary": step.summary,
                "result": result.summary,
                "url": tab.url,
            },
        )
        message = result.summary
        if dialogs:
            message += " The page showed a dialog: " + "; ".join(dialogs) + "."
        if blocked:
            message += " Deputy held these requests the action was not cleared for: " + "; ".join(blocked) + "."
        for event in held:
            if event.verdict == "deny":
                message += f" Refused by Deputy's policy: {event.detail}"
        return Outcome("done" if result.ok else "failed", message, approval_id, audit_id, result, held)
