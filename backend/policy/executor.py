"""The executor: the one path by which any action runs, whoever proposes it (model, recipe, rule, user).

propose → policy decision → (approval) → execution with the write gate cleared for that action only →
result and audit record. It holds the registry's permit, so action functions cannot be reached around it.
"""

import asyncio
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Engine
from sqlmodel import Session, select

from backend.actions import registry
from backend.actions.registry import ActionContext, ActionInputError, ActionParams, ActionResult, ActionSpec, Risk
from backend.actions.risk import Assessment, assess, describe
from backend.browser.gate import Clearance, GateEvent
from backend.browser.session import BrowserSession
from backend.browser.snapshot import ElementInfo
from backend.browser.tab import BrowserActionError, Tab
from backend.clock import Clock
from backend.events import EventBus
from backend.models import Approval, ApprovalStatus, AppState, AuditRecord, Task, UserRule
from backend.policy import approvals
from backend.policy.answers import Answers
from backend.policy.audit import AuditLog
from backend.policy.binding import fingerprint, identity, refind, site_of
from backend.policy.engine import PolicyContext, Proposal, Verdict, decide, grant_kind
from backend.skills import mail

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


class Executor:
    def __init__(
        self,
        engine: Engine,
        browser: BrowserSession,
        bus: EventBus,
        clock: Clock,
        files_dir: Path,
        cost_of: Callable[[str], float] = lambda _task: 0.0,
        approval_ttl: timedelta = timedelta(minutes=15),
    ) -> None:
        self.engine = engine
        self.browser = browser
        self.bus = bus
        self.clock = clock
        self.files_dir = files_dir
        self.screens_dir = files_dir / "screenshots"
        self.cost_of = cost_of
        self.approval_ttl = approval_ttl
        self.audit = AuditLog(engine, clock)
        self.answers = Answers(engine, clock)
        browser.gate.listeners.append(self._on_gate_event)
        for known in mail.KNOWN_WRITES:
            if known not in browser.gate.known_writes:
                browser.gate.known_writes.append(known)

    # ---- proposing -------------------------------------------------------------------------------

    async def propose(
        self,
        task_id: str,
        action: str,
        raw_params: dict[str, Any],
        *,
        origin: str = "model",
        reason: str | None = None,
        waits: bool = True,
    ) -> Outcome:
        """Propose an action. A proposer that `waits` will call resolve() on a pending outcome; for one that
        does not (an unattended run), an approval given later is executed by the server itself."""
        actor = origin
        try:
            spec = registry.get(action)
            params = spec.validate(raw_params)
        except (LookupError, ActionInputError) as error:
            audit_id = self.audit.append(
                task_id, "proposed", actor, action=action, params=raw_params, verdict="invalid", reason=str(error)
            )
            return Outcome("error", str(error), audit_id=audit_id)
        if spec.internal and origin == "model":
            message = f"{action} is not an action the model may use."
            self.audit.append(task_id, "proposed", actor, action=action, params=raw_params, reason=reason)
            audit_id = self.audit.append(
                task_id, "decided", "policy", action=action, params=raw_params, verdict="deny", reason=message
            )
            return Outcome("denied", message, audit_id=audit_id)
        tab = await self.browser.tab(task_id)
        element = None
        ref = getattr(params, "ref", None)
        if ref:
            if tab.last_snapshot is None:
                await tab.snapshot()
            try:
                element = tab.element(ref)
            except BrowserActionError as error:
                audit_id = self.audit.append(
                    task_id, "proposed", actor, action=action, params=raw_params, verdict="invalid", reason=str(error)
                )
                return Outcome("error", str(error), audit_id=audit_id)
        assessment = assess(spec, params, element)
        items = await tab.selected_rows() if assessment.risk.rank >= Risk.WRITE.rank else 1
        dumped = params.model_dump(mode="json", exclude_none=True)
        proposal = Proposal(
            action=action,
            params=dumped,
            assessment=assessment,
            site=site_of(str(getattr(params, "url", "")) if spec.name == "navigate" else tab.url),
            current_site=site_of(tab.url),
            kind=grant_kind(action, element.name if element else ""),
            target_name=element.name if element else "",
            items=max(items, 1),
            origin=origin,
        )
        decision = decide(proposal, self._policy_context(task_id))
        self.audit.append(task_id, "proposed", actor, action=action, params=dumped, risk=assessment.risk, reason=reason)
        audit_id = self.audit.append(
            task_id,
            "decided",
            "policy",
            action=action,
            params=dumped,
            verdict=decision.verdict,
            risk=assessment.risk,
            reason=decision.reason,
        )
        if decision.verdict is Verdict.DENY:
            return Outcome("denied", decision.reason, audit_id=audit_id)
        if decision.verdict is Verdict.ASK:
            approval = await self._ask(
                task_id, tab, spec, dumped, element, assessment, decision.reason, reason, proposal.items
            )
            if waits:
                self.answers.expect(approval.id)
            return Outcome(
                "pending", f"Waiting for the user's approval ({approval.id}): {decision.reason}", approval.id
            )
        clearance = Clearance("act_" + secrets.token_hex(4), writes=assessment.risk.rank >= Risk.WRITE.rank)
        return await self._execute(task_id, tab, spec, params, assessment, clearance, actor, None, proposal.items)

    def _policy_context(self, task_id: str) -> PolicyContext:
        with Session(self.engine) as session:
            task = session.get(Task, task_id)
            if task is None:
                raise LookupError(f"No task {task_id!r}.")
            state = session.get(AppState, 1)
            trusted = " ".join([task.instruction, task.url or "", *task.trusted_values])
            return PolicyContext(
                now=self.clock.now(),
                paused=bool(state and state.paused),
                rules=list(session.exec(select(UserRule))),
                grants=list(task.grants),
                destructive_done=task.destructive_count,
                trusted_text=trusted,
            )

    async def _ask(
        self,
        task_id: str,
        tab: Tab,
        spec: ActionSpec,
        params: dict[str, Any],
        element: ElementInfo | None,
        assessment: Assessment,
        policy_reason: str,
        model_reason: str | None,
        items: int,
    ) -> Approval:
        approval_id = "ap_" + secrets.token_hex(6)
        screenshot = None
        try:
            path = await tab.screenshot(self.screens_dir / f"{approval_id}.png", element.ref if element else None)
            screenshot = path.name
        except Exception as error:  # an approval without a picture is still an approval
            log.warning("No screenshot for approval %s: %s", approval_id, error)
        now = self.clock.now()
        approval = Approval(
            id=approval_id,
            task_id=task_id,
            action=spec.name,
            params=params,
            target=describe(element) if element else None,
            target_name=element.name if element else "",
            target_identity=identity(element) if element else None,
            screenshot=screenshot,
            model_reason=model_reason,
            risk=assessment.risk.value,
            policy_reason=policy_reason,
            cost_so_far_usd=self.cost_of(task_id),
            page_url=tab.url,
            fingerprint=fingerprint(tab.url, spec.name, element, items if items > 1 else 0),
            created_at=now,
            expires_at=now + self.approval_ttl,
        )
        with Session(self.engine) as session:
            session.add(approval)
            session.commit()
            session.refresh(approval)
        self.bus.publish("approval.created", {"id": approval_id, "task_id": task_id, "action": spec.name})
        return approval

    # ---- answers ---------------------------------------------------------------------------------

    def _approved_target(self, approval_id: str) -> list[str | None] | None:
        with Session(self.engine) as session:
            approval = session.get(Approval, approval_id)
            return approval.target_identity if approval else None

    async def resolve(self, approval_id: str, within: float | None = None) -> Outcome:
        """Wait for the answer to an approval and act on it: run it, or report the rejection."""
        status = await self.answers.wait(approval_id, within)
        with Session(self.engine) as session:
            approval = session.get(Approval, approval_id)
            assert approval is not None
            why = approval.decision_reason
        if status is ApprovalStatus.APPROVED:
            return await self.run_approved(approval_id)
        if status is ApprovalStatus.REJECTED:
            return Outcome("rejected", f"The user rejected this: {why}", approval_id)
        if status is ApprovalStatus.EXPIRED:
            return Outcome("expired", "Nobody approved this in time; it was not done.", approval_id)
        if status is ApprovalStatus.PENDING:
            return Outcome("pending", "Still waiting for the user's answer.", approval_id)
        return Outcome("error", f"Approval {approval_id} is {status}; it cannot run again.", approval_id)

    async def run_approved(self, approval_id: str, actor: str | None = None) -> Outcome:
        """Run an approved action once, if the page is still as the user saw it."""
        with Session(self.engine) as session:
            approval = session.get(Approval, approval_id)
            if approval is None or approval.status != ApprovalStatus.APPROVED:
                state = approval.status if approval else "unknown"
                return Outcome(
                    "error", f"Approval {approval_id} is {state}; only an approved one can run.", approval_id
                )
            task_id, action, params = approval.task_id, approval.action, dict(approval.params)
            bound, page_url, risk = approval.fingerprint, approval.page_url, Risk(approval.risk)
            decided_by = actor or approval.decided_by or "user"
        spec = registry.get(action)
        tab = await self.browser.tab(task_id)
        if page_url and tab.url in ("", "about:blank"):
            await tab.navigate(page_url)  # after a restart the tab starts empty
            await tab.settle()
        snapshot = await tab.snapshot()
        element = None
        if "ref" in params:
            bound_target = await asyncio.to_thread(self._approved_target, approval_id)
            element = refind(snapshot, params["ref"], bound_target)
            if element is not None:
                params["ref"] = element.ref
        items = await tab.selected_rows() if risk.rank >= Risk.WRITE.rank else 0
        if fingerprint(tab.url, action, element, items if items > 1 else 0) != bound:
            with Session(self.engine) as session:
                approvals.mark(session, approval_id, ApprovalStatus.STALE)
                session.commit()
            message = "The page changed since the user approved this, so it was not done; propose it again."
            audit_id = self.audit.append(
                task_id, "stale", "policy", action=action, params=params, approval_id=approval_id, reason=message
            )
            return Outcome("stale", message, approval_id, audit_id)
        with Session(self.engine) as session:
            if not approvals.claim_for_execution(session, approval_id):
                return Outcome("error", f"Approval {approval_id} was already used.", approval_id)
        validated = spec.validate(params)
        clearance = Clearance(approval_id, writes=True, accept_dialogs=bool(params.get("accept_dialog")))
        assessment = assess(spec, validated, element)
        return await self._execute(
            task_id, tab, spec, validated, assessment, clearance, decided_by, approval_id, max(items, 1)
        )

    # ---- executing -------------------------------------------------------------------------------

    async def _execute(
        self,
        task_id: str,
        tab: Tab,
        spec: ActionSpec,
        params: ActionParams,
        assessment: Assessment,
        clearance: Clearance,
        actor: str,
        approval_id: str | None,
        items: int,
    ) -> Outcome:
        dumped = params.model_dump(mode="json", exclude_none=True)
        if self._policy_context(task_id).paused:
            message = "Deputy is paused: nothing runs until the user resumes it."
            audit_id = self.audit.append(
                task_id, "decided", "policy", action=spec.name, params=dumped, verdict="deny", reason=message
            )
            return Outcome("denied", message, approval_id, audit_id)
        seen: list[GateEvent] = []

        def collect(event: GateEvent) -> None:
            if event.task_id == task_id:
                seen.append(event)

        self.browser.gate.listeners.append(collect)
        ctx = ActionContext(task_id=task_id, tab=tab, browser=self.browser, clock=self.clock, files_dir=self.files_dir)
        try:
            async with self.browser.gate.cleared(task_id, clearance):
                try:
                    result = await registry.function(spec, _PERMIT)(params, ctx)
                except BrowserActionError as error:
                    result = ActionResult(False, str(error))
                await tab.settle()
        finally:
            self.browser.gate.listeners.remove(collect)
        tab.last_snapshot = None  # the page may have changed: the next targeted proposal looks again
        writes = [e for e in seen if e.kind == "passed"]
        dialogs = [e.detail for e in seen if e.kind == "dialog"]
        blocked = [f"{e.method} {e.url}" for e in seen if e.kind == "blocked"]
        undo = self._undo_for(writes) if result.ok else None
        detail = {
            "summary": result.summary,
            "writes": [f"{e.method} {e.url}" for e in writes],
            "blocked_writes": blocked,
            "dialogs": dialogs,
            "data": result.data,
        }
        audit_id = self.audit.append(
            task_id,
            "executed",
            actor,
            action=spec.name,
            params=dumped,
            verdict="ok" if result.ok else "failed",
            risk=assessment.risk,
            reason=assessment.reason,
            detail=detail,
            approval_id=approval_id,
            undo=undo,
        )
        if result.ok and assessment.risk.rank >= Risk.WRITE.rank and writes:
            with Session(self.engine) as session:
                task = session.get(Task, task_id)
                if task is not None:
                    task.destructive_count += items
                    session.add(task)
                    session.commit()
        self.bus.publish(
            "step.finished",
            {"task_id": task_id, "action": spec.name, "ok": result.ok, "summary": result.summary, "url": tab.url},
        )
        message = result.summary
        if dialogs:
            message += " The page showed a dialog: " + "; ".join(dialogs) + "."
        if blocked:
            message += " Deputy held these requests the action was not cleared for: " + "; ".join(blocked) + "."
        return Outcome("done" if result.ok else "failed", message, approval_id, audit_id, result)

    def _undo_for(self, writes: list[GateEvent]) -> dict[str, Any] | None:
        steps = [mail.undo_for(e.method, e.url, e.body) for e in writes if not e.detail.startswith("known site write")]
        found = [s for s in steps if s is not None]
        if not found or len(found) != len([w for w in writes if not w.detail.startswith("known site write")]):
            return None  # undo only what can be wholly undone
        return {"action": "site_request", "steps": found}

    async def undo(self, audit_id: int, by: str) -> Outcome:
        """Undo a recorded change through this same executor, as the user asked."""
        with Session(self.engine) as session:
            record = session.get(AuditRecord, audit_id)
            if record is None:
                raise LookupError(f"No audit record {audit_id}.")
            if record.undo is None:
                raise ValueError(f"Record {audit_id} ({record.action}) cannot be undone.")
            done = session.exec(select(AuditRecord).where(AuditRecord.undoes == audit_id)).first()
            if done is not None:
                raise ValueError(f"Record {audit_id} was already undone (record {done.id}).")
            task_id, steps = record.task_id, record.undo["steps"]
        spec = registry.get("site_request")
        tab = await self.browser.tab(task_id)
        last: Outcome | None = None
        for step in steps:
            params = spec.validate(step)
            clearance = Clearance("undo_" + secrets.token_hex(4), writes=True)
            assessment = Assessment(Risk.WRITE, "the user asked to undo a change")
            last = await self._execute(task_id, tab, spec, params, assessment, clearance, by, None, 1)
            if last.status != "done":
                return last
        assert last is not None
        self.audit.append(
            task_id, "undo", by, action=record.action, undoes=audit_id, reason=f"Undid record {audit_id}."
        )
        return last

    # ---- records ---------------------------------------------------------------------------------

    def _on_gate_event(self, event: GateEvent) -> None:
        if event.kind != "blocked" or event.task_id is None:
            return
        self.audit.append(
            event.task_id,
            "blocked_write",
            "page",
            verdict="held",
            reason=event.detail,
            detail={"method": event.method, "url": event.url, "body": event.body, "resource": event.resource},
        )
