"""The deploy watch: look at a dashboard on a schedule, at zero tokens; on a failing rollout or an
error-rate incident, gather the evidence, tell the user at once and propose a rollback. It never rolls back
or promotes by itself: the rollback runs only when the user approves it.

    check ─ the page, read by a fixed rule (reading.py) ─ same as last time: done, nothing spent
                                                        └─ changed to bad: evidence (status, log, metric)
                                                           ─ "watch.alert" now ─ a "rollback" approval
"""

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, select

from backend.actions.registry import Risk
from backend.browser.session import BrowserSession
from backend.browser.snapshot import Snapshot
from backend.browser.tab import BrowserActionError, Tab
from backend.clock import Clock
from backend.events import EventBus
from backend.models import Approval, ApprovalStatus, Task, TaskStatus
from backend.policy.audit import AuditLog
from backend.policy.binding import fingerprint
from backend.policy.executor import Executor
from backend.policy.lifecycle import Draft, Lifecycle
from backend.scheduler.kinds import Ran
from backend.skills.deploys.reading import DEFAULT_THRESHOLD, Reading, lead, log_excerpt, read, rollback_control
from backend.tasks import new_task, set_status

log = logging.getLogger(__name__)

CONFIRM_FIELD = re.compile(r"\btype\s+[\"'“]?([\w.-]+)[\"'”]?\s+to confirm\b", re.I)
CONFIRM_BUTTON = re.compile(r"\b(confirm|roll ?back|revert|yes)\b", re.I)


@dataclass
class Watched:
    task_id: str
    signature: str = ""
    alerts: int = 0


@dataclass
class DeployWatch:
    engine: Engine
    executor: Executor
    approvals: Lifecycle
    browser: BrowserSession
    audit: AuditLog
    bus: EventBus
    clock: Clock
    watched: dict[str, Watched] = field(default_factory=dict)  # schedule id → its watch

    def _watch_task(self, schedule_id: str, url: str) -> Watched:
        known = self.watched.get(schedule_id)
        if known is not None:
            return known
        with Session(self.engine) as session:
            task = new_task(session, "Watch the deploy dashboard", self.clock.now(), url=url, unattended=True)
            set_status(session, task, TaskStatus.WAITING, self.clock.now(), f"Watching {url}.")
            session.commit()
            watched = Watched(task.id)
        self.watched[schedule_id] = watched
        return watched

    async def check(self, schedule_id: str, url: str, threshold: float = DEFAULT_THRESHOLD) -> Ran:
        """One look at the dashboard; zero tokens, and an alert only when what it shows changed to bad."""
        watched = self._watch_task(schedule_id, url)
        tab = await self.browser.tab(watched.task_id)
        if tab.url in ("", "about:blank"):
            opened = await self.executor.propose(watched.task_id, "navigate", {"url": url}, origin="watch")
            if opened.status != "done":
                return Ran(f"Could not open {url}: {opened.message}", watched.task_id, failed=True)
        else:
            # Looking again at the page the watch opened is a read; each look is not recorded, an alert is.
            await tab.navigate(url)
        await tab.settle()
        snapshot = await tab.snapshot()
        reading = read(snapshot, threshold)
        detail: dict[str, Any] = {"tokens": 0, "error_rate": reading.error_rate, "bad": reading.bad}
        if reading.signature == watched.signature:
            return Ran(f"No change: {reading.said()}.", watched.task_id, detail=detail)
        first = not watched.signature
        watched.signature = reading.signature
        if not reading.alarming:
            said = "Looks healthy" if first else "Back to healthy"
            return Ran(f"{said}: {reading.said()}.", watched.task_id, detail=detail)
        return await self._incident(watched, tab, snapshot, reading, detail)

    async def _incident(
        self, watched: Watched, tab: Tab, snapshot: Snapshot, reading: Reading, detail: dict[str, Any]
    ) -> Ran:
        evidence = [f"Status: {line}" for line in reading.bad[:3]]
        if reading.error_rate is not None:
            evidence.append(f"Error rate: {reading.error_rate:g}% (incident at {reading.threshold:g}%)")
        control = rollback_control(snapshot)
        page = snapshot
        if control is None and (link := lead(snapshot, reading)) is not None:
            opened = await self.executor.propose(watched.task_id, "click", {"ref": link.ref}, origin="watch")
            if opened.status == "done":
                await tab.settle()
                page = await tab.snapshot()
                control = rollback_control(page)
        evidence += [f"Log: {line}" for line in await self._log(tab, page)]
        headline = f"Deploy watch: {reading.said()}"
        watched.alerts += 1
        self.audit.append(watched.task_id, "alert", "watch", reason=headline, detail={"evidence": evidence})
        approval_id = self._propose_rollback(watched.task_id, tab, control, headline, evidence) if control else None
        self.bus.publish(
            "watch.alert",
            {"task_id": watched.task_id, "summary": headline, "evidence": evidence, "approval_id": approval_id},
        )
        said = f"{headline}. " + (
            f"Rollback proposed ({approval_id}); it runs only if you approve it."
            if approval_id
            else "This page offers no rollback; nothing was done."
        )
        return Ran(said, watched.task_id, detail={**detail, "evidence": evidence, "approval_id": approval_id})

    async def _log(self, tab: Tab, page: Snapshot) -> list[str]:
        """The log lines that tell what went wrong: from the page's log box when it has one (its lines are
        not in the snapshot), else from what the page shows."""
        box = next((e for e in page.elements.values() if e.role == "log"), None)
        if box is not None:
            try:
                text = await tab.extract_text(box.ref, 8000)
            except BrowserActionError:
                text = ""
            if found := log_excerpt(text.splitlines()):
                return found
        return log_excerpt(page.text.splitlines())

    def _propose_rollback(self, task_id: str, tab: Tab, control: Any, headline: str, evidence: list[str]) -> str | None:
        with Session(self.engine) as session:
            waiting = session.exec(
                select(Approval).where(
                    Approval.task_id == task_id, Approval.kind == "rollback", Approval.status == ApprovalStatus.PENDING
                )
            ).first()
            if waiting is not None:
                return None  # one rollback proposal at a time: the user already has the card
        what = f"{control.name}: {tab.last_snapshot.title if tab.last_snapshot else tab.url}"
        approval = self.approvals.create(
            Draft(
                task_id=task_id,
                kind="rollback",
                action="click",
                params={"control": control.name, "url": tab.url},
                summary=what,
                objects=evidence,
                policy_reason="Needs your approval: a rollback changes what runs, and cannot be undone from here. "
                "The watch never does it by itself.",
                risk=Risk.IRREVERSIBLE.value,
                target=f"the button {control.name!r}",
                target_name=control.name,
                model_reason=headline,
                page_url=tab.url,
                fingerprint=_bound(tab.url, control.role, control.name),
            ),
            waits=False,
        )
        return approval.id

    # ---- the approved rollback -------------------------------------------------------------------

    async def run_rollback(self, approval_id: str) -> None:
        """Run an approved rollback once: the control, and the site's own confirm step if it has one."""
        approval = self.approvals.get(approval_id)
        if approval is None or not self.approvals.claim(approval_id):
            return
        task_id, params = approval.task_id, approval.params
        try:
            tab = await self.browser.tab(task_id)
            await tab.navigate(str(params["url"]))
            await tab.settle()
            page = await tab.snapshot()
            control = next((e for e in page.elements.values() if e.name == params["control"] and not e.dialog), None)
            if control is None or _bound(tab.url, control.role, control.name) != approval.fingerprint:
                why = "The page no longer shows the control you approved, so the rollback was not done."
                self.approvals.finish(approval_id, ApprovalStatus.STALE, why)
                return
            outcome = await self._press(tab, task_id, approval_id, lambda e: e.name == params["control"])
            page = await tab.snapshot()
            confirm = next((e for e in page.elements.values() if e.dialog and CONFIRM_FIELD.search(e.name)), None)
            if confirm is not None:
                typed = CONFIRM_FIELD.search(confirm.name)
                assert typed is not None
                await self._run(tab, task_id, approval_id, "type_text", {"ref": confirm.ref, "text": typed.group(1)})
            if any(e.dialog for e in page.elements.values()):
                outcome = await self._press(
                    tab, task_id, approval_id, lambda e: bool(e.dialog) and bool(CONFIRM_BUTTON.search(e.name))
                )
        except (BrowserActionError, LookupError) as error:
            self.approvals.finish(approval_id, ApprovalStatus.VOID, f"It could not run: {error}")
            return
        self.approvals.finish(approval_id, ApprovalStatus.EXECUTED, outcome)
        with Session(self.engine) as session:
            task = session.get(Task, task_id)
            if task is not None:
                set_status(session, task, TaskStatus.WAITING, self.clock.now(), f"Watching; {outcome}")
                session.commit()

    async def _press(self, tab: Tab, task_id: str, approval_id: str, which: Any) -> str:
        page = await tab.snapshot()
        element = next((e for e in page.elements.values() if e.role == "button" and which(e)), None)
        if element is None:
            raise LookupError("the page no longer shows that control")
        return await self._run(tab, task_id, approval_id, "click", {"ref": element.ref})

    async def _run(self, tab: Tab, task_id: str, approval_id: str, action: str, raw: dict[str, Any]) -> str:
        """One step of the approved rollback, proposed to the executor as that approval: the policy decides
        first (a paused Deputy, quiet hours or a blocked site stop it and say why), then it runs and is recorded
        under the approval."""
        outcome = await self.executor.propose(
            task_id, action, raw, origin="user", reason="The approved rollback.", waits=False, under=approval_id
        )
        await tab.settle()
        if outcome.status != "done":
            raise LookupError(outcome.message)
        return "Done: " + outcome.message


def _bound(url: str, role: str, name: str) -> str:
    """What a rollback approval is bound to: the page it was proposed on and its control, as the card names it."""
    return fingerprint(url, "click", None, [role, name])
