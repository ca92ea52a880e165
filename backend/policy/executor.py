"""The executor: the one path by which any action runs, whoever proposes it (model, recipe, rule, user).

    propose ─ validate ─ look at the target ─ decide (policy) ─┬─ deny: say why
                                                               ├─ ask: an approval (lifecycle), then run_approved
                                                               └─ allow: run (execution, the gate cleared for it)

It asks the other parts and none of them calls back: the policy is pure, the lifecycle owns approvals, the
execution owns the gate and the audit of what ran, skills (through their registry) know how to undo.
"""

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Engine
from sqlmodel import Session, select

from backend.actions import registry
from backend.actions.registry import ActionInputError, ActionParams, ActionSpec, Risk
from backend.actions.risk import Assessment, assess
from backend.actions.sentences import say
from backend.browser.gate import Clearance, GateEvent
from backend.browser.scene import Scene
from backend.browser.session import BrowserSession
from backend.browser.snapshot import ElementInfo
from backend.browser.tab import BrowserActionError, Tab
from backend.clock import Clock
from backend.events import EventBus
from backend.models import ApprovalStatus, AuditRecord
from backend.policy import context
from backend.policy.audit import AuditLog
from backend.policy.binding import fingerprint, refind
from backend.policy.engine import Proposal, Verdict, decide, grant_kind
from backend.policy.evidence import Evidence, draft_for, evidence_for
from backend.policy.execution import Execution, Outcome, Step
from backend.policy.lifecycle import Draft, Lifecycle
from backend.policy.provenance import site_of
from backend.skills.registry import Skills

log = logging.getLogger(__name__)

__all__ = ["Executor", "Outcome"]


@dataclass(frozen=True)
class Looked:
    """A validated proposal and what it would act on."""

    spec: ActionSpec
    params: ActionParams
    dumped: dict[str, Any]
    element: ElementInfo | None
    assessment: Assessment
    evidence: Evidence
    egress: str = "free"
    egress_reason: str = ""
    target: dict[str, str] | None = None  # the target as a recipe finds it again: role, name and context


def _read_in(tab: Tab, params: dict[str, Any]) -> str | None:
    """What data read on a page (not written by the user) the action's values carry, said as its kind."""
    for name, value in params.items():
        values = value if isinstance(value, list) else [value]
        for text in values:
            found = tab.egress.taint.read_in(text) if name != "ref" and isinstance(text, str) else None
            if found:
                return found
    return None


class Executor:
    def __init__(
        self,
        engine: Engine,
        browser: BrowserSession,
        bus: EventBus,
        clock: Clock,
        files_dir: Path,
        lifecycle: Lifecycle | None = None,
        skills: Skills | None = None,
    ) -> None:
        self.engine = engine
        self.browser = browser
        self.clock = clock
        self.screens_dir = files_dir / "screenshots"
        self.skills = skills or Skills()
        self.lifecycle = lifecycle or Lifecycle(engine, bus, clock)
        self.audit = AuditLog(engine, clock)
        self.execution = Execution(engine, browser, bus, clock, self.audit, files_dir, self._undo_for)
        # Told (record id, task id) after each undo: a skill may learn from what the user takes back.
        self.undo_listeners: list[Callable[[int, str], None]] = []
        for known in self.skills.known_writes():
            if known not in browser.gate.known_writes:
                browser.gate.known_writes.append(known)

    @property
    def approval_ttl(self) -> timedelta:
        return self.lifecycle.ttl

    @approval_ttl.setter
    def approval_ttl(self, ttl: timedelta) -> None:
        self.lifecycle.ttl = ttl

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
        under: str | None = None,
        recipe_step: str = "",
    ) -> Outcome:
        """Propose an action. A proposer that `waits` calls resolve() on a pending outcome; for one that does
        not (an unattended run), an approval given later is run by the lifecycle's runner. `under` names a
        claimed batch approval: a reversible change of the kind it covers runs as that approval instead of
        asking again (the policy still decides first, so a denial stays a denial); a claimed rollback covers its
        own steps likewise. `recipe_step` names the
        replayed recipe step ("RECIPE_ID#N") so a grant the user gave that step can apply."""
        try:
            spec = registry.get(action)
            params = spec.validate(raw_params)
        except (LookupError, ActionInputError) as error:
            audit_id = self.audit.append(
                task_id, "proposed", origin, action=action, params=raw_params, verdict="invalid", reason=str(error)
            )
            return Outcome("error", str(error), audit_id=audit_id)
        if spec.internal and origin == "model":
            message = f"{action} is not an action the model may use."
            self.audit.append(task_id, "proposed", origin, action=action, params=raw_params, reason=reason)
            audit_id = self.audit.append(
                task_id, "decided", "policy", action=action, params=raw_params, verdict="deny", reason=message
            )
            return Outcome("denied", message, audit_id=audit_id)
        facts = context.load(self.engine, self.clock, task_id)
        tab = await self.browser.tab(task_id)
        if spec.name == "navigate" and not facts.has_start:
            context.adopt_start_site(self.engine, task_id, str(getattr(params, "url", "")))
            facts = context.load(self.engine, self.clock, task_id)
        tab.egress.set_scope(facts.scope, facts.trusted)
        try:
            looked = await self._look(tab, spec, params)
        except BrowserActionError as error:
            audit_id = self.audit.append(
                task_id, "proposed", origin, action=action, params=raw_params, verdict="invalid", reason=str(error)
            )
            return Outcome("error", str(error), audit_id=audit_id)
        proposal = Proposal(
            action=action,
            params=looked.dumped,
            assessment=looked.assessment,
            site=site_of(looked.dumped.get("url", "")) if spec.name == "navigate" else site_of(tab.url),
            current_site=site_of(tab.url),
            kind=grant_kind(action, looked.element.name if looked.element else ""),
            target_name=looked.element.name if looked.element else "",
            items=max(len(looked.evidence.selection), 1),
            origin=origin,
            egress=looked.egress,
            egress_reason=looked.egress_reason,
            recipe_step=recipe_step if origin == "recipe" else "",
        )
        decision = decide(proposal, facts.policy)
        risk = looked.assessment.risk
        summary = {"summary": looked.evidence.summary}
        described = {**summary, "target": looked.target} if looked.target else summary
        # Recorded so that dreaming never proposes a recipe that would replay what a page or a mail said.
        from_page = _read_in(tab, looked.dumped)
        described = {**described, "from_page": from_page} if from_page else described
        self.audit.append(
            task_id, "proposed", origin, action=action, params=looked.dumped, risk=risk, reason=reason, detail=described
        )
        audit_id = self.audit.append(
            task_id,
            "decided",
            "policy",
            action=action,
            params=looked.dumped,
            verdict=decision.verdict,
            risk=risk,
            reason=decision.reason,
            detail=summary,
        )
        if decision.verdict is Verdict.DENY:
            return Outcome("denied", decision.reason, audit_id=audit_id)
        covered = under is not None and self._covered(under, task_id, proposal)
        if decision.verdict is Verdict.ASK and not covered:
            draft = await draft_for(
                tab,
                task_id,
                spec,
                looked.dumped,
                looked.element,
                looked.assessment,
                looked.evidence,
                decision.reason,
                reason,
                self.screens_dir,
                kind="navigation" if looked.egress == "ask" else "action",
            )
            approval = self.lifecycle.create(draft, waits=waits)
            return Outcome("pending", f"Waiting for the user's approval: {decision.reason}", approval.id)
        step = Step(task_id, spec, params, looked.assessment, looked.evidence.summary, proposal.items)
        shown = (looked.element.href or looked.element.form_action or "") if looked.element else ""
        cleared = under if covered and under else "act_" + secrets.token_hex(4)
        clearance = Clearance(cleared, writes=risk.rank >= Risk.WRITE.rank, shown=shown)
        approval_id = under if covered else None
        outcome = await self.execution.run(tab, step, origin, approval_id, clearance=clearance)
        return await self._ask_for_held(tab, outcome, waits)

    def _covered(self, approval_id: str, task_id: str, proposal: Proposal) -> bool:
        """Whether a claimed approval of this task covers this step, which then runs as that approval (after the
        policy, so that pause, quiet hours and blocked sites still stop it). A batch covers reversible changes of
        the kinds it names; a rollback covers the steps of that rollback (its control and the site's own confirm)
        on the site of the page it was approved on."""
        approval = self.lifecycle.get(approval_id)
        if approval is None or approval.task_id != task_id or approval.status != ApprovalStatus.CLAIMED:
            return False
        if approval.kind == "batch":
            words = proposal.kind.split()
            covers = approval.params.get("covers", [])
            return proposal.assessment.risk is Risk.WRITE and any(str(word) in words for word in covers)
        if approval.kind == "rollback":
            return bool(approval.page_url) and proposal.current_site == site_of(approval.page_url or "")
        return False

    async def _look(self, tab: Tab, spec: ActionSpec, params: ActionParams) -> Looked:
        """Validate the target, judge the risk, and see what the action would act on."""
        element = None
        ref = getattr(params, "ref", None)
        if ref:
            if tab.last_snapshot is None:
                await tab.snapshot()
            element = tab.element(ref)
        # The scene comes first when there is a target: a price beside it makes the choice a payment.
        scene = await tab.scene(ref) if ref else Scene()
        assessment = assess(spec, params, element, " ".join(filter(None, (scene.row, scene.near))))
        dumped = params.model_dump(mode="json", exclude_none=True)
        egress, why = "free", ""
        if spec.name == "navigate":
            judged = tab.egress.judge(dumped["url"])
            egress, why = judged.verdict, judged.reason
        if not ref and (assessment.risk.rank >= Risk.WRITE.rank or egress != "free"):
            scene = await tab.scene(None)
        evidence = evidence_for(spec, dumped, element, scene, assessment.risk)
        target = None
        if element is not None:
            target = {
                "role": element.role,
                "name": element.name,
                "context": element.context,
                "dialog": element.dialog or "",
                "heading": scene.heading,
                "near": scene.near,
            }
        return Looked(spec, params, dumped, element, assessment, evidence, egress, why, target)

    async def _ask_for_held(self, tab: Tab, outcome: Outcome, waits: bool) -> Outcome:
        """A navigation the gate held during the action asks the user, showing the full destination."""
        asked = [e for e in outcome.held if e.verdict == "ask"]
        if not asked or outcome.result is None:
            return outcome
        event = asked[-1]
        spec = registry.get("navigate")
        params = {"url": event.url}
        said = say("navigate", params, None, [])
        draft = Draft(
            task_id=event.task_id or "",
            kind="navigation",
            action="navigate",
            params=params,
            summary=f"{said.summary}: the page tried to leave this task's sites",
            objects=[event.url],
            policy_reason=f"Needs your approval: {event.detail}",
            risk=Risk.READ.value,
            page_url=tab.url,
            fingerprint=fingerprint(tab.url, spec.name, None, []),
        )
        approval = self.lifecycle.create(draft, waits=waits)
        message = (
            f"{outcome.message} The page tried to open {event.url}, outside this task's sites; Deputy asked the user."
        )
        return Outcome("pending", message, approval.id, outcome.audit_id, outcome.result, outcome.held)

    # ---- answers ---------------------------------------------------------------------------------

    async def resolve(self, approval_id: str, within: float | None = None) -> Outcome:
        """Wait for the answer to an approval and act on it: run it, or report the rejection."""
        status = await self.lifecycle.wait(approval_id, within)
        approval = self.lifecycle.get(approval_id)
        assert approval is not None
        if status is ApprovalStatus.APPROVED:
            return await self.run_approved(approval_id)
        if status is ApprovalStatus.REJECTED:
            return Outcome("rejected", f"The user rejected this: {approval.decision_reason}", approval_id)
        if status is ApprovalStatus.EXPIRED:
            return Outcome("expired", "Nobody approved this in time; it was not done.", approval_id)
        if status is ApprovalStatus.PENDING:
            return Outcome("pending", "Still waiting for the user's answer.", approval_id)
        return Outcome("error", f"Approval {approval_id} is {status}; it cannot run again.", approval_id)

    async def run_approved(self, approval_id: str, actor: str | None = None) -> Outcome:
        """Run an approved action once, on the page state the user saw (restored after a restart)."""
        approval = self.lifecycle.get(approval_id)
        if approval is None or approval.status != ApprovalStatus.APPROVED:
            state = approval.status if approval else "unknown"
            return Outcome("error", f"Approval {approval_id} is {state}; only an approved one can run.", approval_id)
        task_id, action, params = approval.task_id, approval.action, dict(approval.params)
        spec = registry.get(action)
        try:
            facts = context.load(self.engine, self.clock, task_id)
            tab = await self.browser.tab(task_id)
            tab.egress.set_scope(facts.scope, facts.trusted)
            element = await self._restore(tab, approval.page_url, approval.selection, params, approval_id)
        except (BrowserActionError, LookupError) as error:
            why = f"It could not run: {error}"
            self.lifecycle.finish(approval_id, ApprovalStatus.VOID, why)
            return Outcome("error", why, approval_id)
        if fingerprint(tab.url, action, element, (await tab.scene(None)).selected) != approval.fingerprint:
            message = "The page changed since the user approved this, so it was not done; propose it again."
            self.lifecycle.finish(approval_id, ApprovalStatus.STALE, message)
            return Outcome("stale", message, approval_id)
        if not self.lifecycle.claim(approval_id):
            return Outcome("error", f"Approval {approval_id} was already used.", approval_id)
        validated = spec.validate(params)
        assessment = assess(spec, validated, element)
        step = Step(task_id, spec, validated, assessment, approval.summary, max(len(approval.selection), 1))
        clearance = Clearance(
            approval_id,
            writes=True,
            accept_dialogs=bool(params.get("accept_dialog")),
            shown=(element.href or element.form_action or "") if element else "",
            approved_urls=frozenset({params["url"]}) if action == "navigate" else frozenset(),
        )
        outcome = await self.execution.run(tab, step, actor or approval.decided_by or "user", approval_id, clearance)
        self.lifecycle.finish(
            approval_id,
            ApprovalStatus.EXECUTED,
            ("Done: " if outcome.status == "done" else "Failed: ") + outcome.message,
        )
        return await self._ask_for_held(tab, outcome, waits=False)

    async def _restore(
        self, tab: Tab, page_url: str | None, selection: list[str], params: dict[str, Any], approval_id: str
    ) -> ElementInfo | None:
        """Bring the page back to what the user saw: the page itself, and the same rows ticked."""
        if page_url and tab.url in ("", "about:blank"):
            # After a restart (or once its task ended) the tab starts empty: open the page the user saw and
            # tick the same rows. A live page that changed is not put back: the approval is stale instead.
            await tab.navigate(page_url)
            await tab.settle()
            if selection:
                await tab.tick_rows(selection)
        snapshot = await tab.snapshot()
        if "ref" not in params:
            return None
        approval = self.lifecycle.get(approval_id)
        element = refind(snapshot, params["ref"], approval.target_identity if approval else None)
        if element is not None:
            params["ref"] = element.ref
        return element

    # ---- undo ------------------------------------------------------------------------------------

    def _undo_for(self, writes: list[GateEvent]) -> dict[str, Any] | None:
        changes = [e for e in writes if not e.detail.startswith("known site write")]
        steps = [self.skills.undo_for(e.method, e.url, e.body) for e in changes]
        if not steps or any(s is None for s in steps):
            return None  # undo only what can be wholly undone
        return {"action": "site_request", "steps": steps}

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
            what = (record.detail or {}).get("summary") or record.action or "the change"
        spec = registry.get("site_request")
        tab = await self.browser.tab(task_id)
        await _on_site_of(tab, str(steps[0]["url"]))
        last: Outcome | None = None
        for raw in steps:
            step = Step(
                task_id,
                spec,
                spec.validate(raw),
                Assessment(Risk.WRITE, "the user asked to undo a change"),
                f"Undo: {what}",
            )
            last = await self.execution.run(tab, step, by)
            if last.status != "done":
                return last
        assert last is not None
        self.audit.append(
            task_id, "undo", by, action=record.action, undoes=audit_id, reason=f"Undid record {audit_id}."
        )
        for listener in self.undo_listeners:
            listener(audit_id, task_id)
        return last


async def _on_site_of(tab: Tab, url: str) -> None:
    """An undo asked after its task ended finds a fresh tab: the site's own request is made from its site."""
    want = urlsplit(url)
    have = urlsplit(tab.url)
    if (have.scheme, have.netloc) != (want.scheme, want.netloc):
        await tab.navigate(f"{want.scheme}://{want.netloc}/")
        await tab.settle()
