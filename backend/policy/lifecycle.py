"""The approval lifecycle: one owner for every approval, of every kind, from creation to its end.

    created (pending) ─ shown everywhere at once ─ answered once, by whoever answers first
        ├─ approved ─ claimed ─ executed (its outcome recorded)
        │            └─ stale (the page changed) / void (it can no longer run, and why)
        ├─ rejected (with the reason)
        └─ expired (counts as rejected)

Kinds: `action` (a proposed action), `navigation` (a page tried to leave the task's sites), `budget` (more
money for a task), `question` (the agent asks the user; the answer is an edit) and `batch` (one kind of
change to listed items, any of which the user may untick with the edit `exclude`) and `rule` (a mail rule
Deputy proposes; approving saves it, and the edits `match`, `action` and `label` change it first), `note`
(a memory note dreaming proposes) and `recipe` (a recipe learned from a run nobody watched; approving makes
it replay, rejecting deletes it).
Whoever proposed an approval may wait for its answer here; an approval nobody waits for (the task ended,
the server restarted, an unattended run) is handed to the runner registered for its kind, so an approved
action still runs, once. A kind may also register what a rejection undoes (`on_reject`).
Every state change is recorded in the audit log and published as an event.
"""

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

from backend.actions import registry
from backend.actions.registry import ActionInputError
from backend.clock import Clock
from backend.events import EventBus
from backend.ledger.money import MoneyError, parse_usd, usd
from backend.models import Approval, ApprovalStatus, AuditRecord, RuleCreate, Task
from backend.models.approval import ENDED
from backend.models.task import TASK_BUDGET_MOST_USD
from backend.policy.engine import grant_kind

log = logging.getLogger(__name__)

DEFAULT_TTL = timedelta(minutes=15)
# What an unattended run queues waits for the user to come back (the morning digest), not fifteen minutes.
UNATTENDED_TTL = timedelta(hours=24)
RULE_EDITS = ("match", "action", "label")
MAX_ANSWER_CHARS = 4000

Runner = Callable[[str], Awaitable[object]]


class ApprovalError(Exception):
    """An answer that cannot be taken; `status` is the HTTP status the API gives it."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Draft:
    """A new approval, as its proposer describes it."""

    task_id: str
    kind: str
    action: str
    params: dict[str, Any]
    summary: str
    policy_reason: str
    risk: str
    objects: list[str] = field(default_factory=list)
    selection: list[str] = field(default_factory=list)
    target: str | None = None
    target_name: str = ""
    target_identity: list[str | None] | None = None
    screenshot: str | None = None
    model_reason: str | None = None
    page_url: str | None = None
    fingerprint: str = ""
    ttl: timedelta | None = None
    approval_id: str = field(default_factory=lambda: "ap_" + secrets.token_hex(6))


def editable(approval: Approval) -> list[str]:
    """The parameters a person may change before approving: what `e` offers, what the API accepts."""
    if approval.kind == "budget":
        return ["add_usd"]
    if approval.kind == "question":
        return ["answer"]
    if approval.kind == "batch":
        return ["exclude"]
    if approval.kind == "rule":
        return list(RULE_EDITS)
    if approval.kind != "action":
        return []
    try:
        spec = registry.get(approval.action)
    except LookupError:
        return []
    fields = spec.params.model_fields
    return [
        name
        for name, info in fields.items()
        if name in approval.params and name != "ref" and info.annotation in (str, str | None)
    ]


def aware(moment: datetime, like: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=like.tzinfo)


class Lifecycle:
    def __init__(self, engine: Engine, bus: EventBus, clock: Clock, ttl: timedelta = DEFAULT_TTL) -> None:
        self.engine = engine
        self.bus = bus
        self.clock = clock
        self.ttl = ttl
        self.runners: dict[str, Runner] = {}  # kind -> runs an approved approval that nobody waits for
        self.on_reject: dict[str, Runner] = {}  # kind -> what a rejection of a proposal of that kind clears up
        self._waiting: dict[str, asyncio.Event] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._running: set[asyncio.Future[object]] = set()

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    # ---- created, shown --------------------------------------------------------------------------

    def create(self, draft: Draft, waits: bool = True) -> Approval:
        """Store a new pending approval and show it everywhere; `waits`: the proposer will call wait()."""
        now = self.clock.now()
        ttl = draft.ttl or self.ttl
        with Session(self.engine) as session:
            task = session.get(Task, draft.task_id)
            if draft.ttl is None and task is not None and task.unattended:
                ttl = UNATTENDED_TTL
        approval = Approval(
            id=draft.approval_id,
            task_id=draft.task_id,
            kind=draft.kind,
            action=draft.action,
            params=draft.params,
            summary=draft.summary,
            objects=draft.objects,
            selection=draft.selection,
            target=draft.target,
            target_name=draft.target_name,
            target_identity=draft.target_identity,
            screenshot=draft.screenshot,
            model_reason=draft.model_reason,
            risk=draft.risk,
            policy_reason=draft.policy_reason,
            page_url=draft.page_url,
            fingerprint=draft.fingerprint,
            created_at=now,
            expires_at=now + ttl,
        )
        with Session(self.engine) as session:
            session.add(approval)
            session.add(_record(approval, now, "asked", "policy", "pending", draft.policy_reason))
            session.commit()
            session.refresh(approval)
        if waits:
            self._expect(approval.id)
        self.bus.publish(
            "approval.created",
            {
                "id": approval.id,
                "task_id": approval.task_id,
                "kind": approval.kind,
                "action": approval.action,
                "summary": approval.summary,
            },
        )
        return approval

    def get(self, approval_id: str) -> Approval | None:
        with Session(self.engine) as session:
            return session.get(Approval, approval_id)

    # ---- answered once -----------------------------------------------------------------------------

    def approve(
        self, approval_id: str, by: str, edits: dict[str, Any] | None = None, like_this: bool = False
    ) -> Approval:
        """Take a yes, with edits checked like the original; the first answer wins, a second gets 409."""
        now = self.clock.now()
        with Session(self.engine) as session:
            approval = self._pending(session, approval_id, now)
            params = _edited(approval, edits)
            task = session.get(Task, approval.task_id)
            if task is not None:
                # What the user approved becomes trusted: a recipient they saw and accepted may be used. Of a
                # question only the answer is the user's: the question is the model's, maybe a page's, words.
                # A rule is data for triage, never a value an action may use: nothing of it becomes trusted.
                shown = {"answer": params["answer"]} if approval.kind == "question" else params
                # Nor is a proposed recipe's text: its steps were seen by nobody until now.
                shown = {} if approval.kind in ("rule", "recipe") else shown
                approved = [str(v) for v in shown.values() if isinstance(v, str)]
                task.trusted_values = [*task.trusted_values, *approved]
                if like_this and approval.kind == "action" and approval.risk == "write":
                    kind = grant_kind(approval.action, approval.target_name or "")
                    task.grants = [*task.grants, {"action": approval.action, "kind": kind}]
                session.add(task)
            approval.params = params
            approval.edits = edits or None
            approval.like_this = like_this
            approval.status = ApprovalStatus.APPROVED
            approval.decided_at = now
            approval.decided_by = by
            session.add(approval)
            note = "approved with edits" if edits else "approved"
            note += " (and all like it)" if like_this else ""
            session.add(_record(approval, now, "decided", by, "approved", note))
            session.commit()
            session.refresh(approval)
        self._answered(approval)
        return approval

    def reject(self, approval_id: str, by: str, reason: str | None = None) -> Approval:
        now = self.clock.now()
        with Session(self.engine) as session:
            approval = self._pending(session, approval_id, now)
            approval.status = ApprovalStatus.REJECTED
            approval.decided_at = now
            approval.decided_by = by
            approval.decision_reason = reason or "Rejected by the user."
            approval.outcome = "Not done: " + approval.decision_reason
            session.add(approval)
            session.add(_record(approval, now, "decided", by, "rejected", approval.decision_reason))
            session.commit()
            session.refresh(approval)
        self._answered(approval)
        return approval

    def _pending(self, session: Session, approval_id: str, now: datetime) -> Approval:
        self._expire_due(session, now)
        approval = session.get(Approval, approval_id)
        if approval is None:
            raise ApprovalError(404, f"No approval {approval_id!r}.")
        if approval.status != ApprovalStatus.PENDING:
            by = f" by {approval.decided_by}" if approval.decided_by else ""
            raise ApprovalError(409, f"Approval {approval_id} was already answered ({approval.status}{by}).")
        return approval

    def _answered(self, approval: Approval) -> None:
        """Tell every surface, then wake the proposer, or hand an approved one to its kind's runner."""
        self._tell(approval)
        loop = self._loop
        if loop is None:
            return
        event = self._waiting.get(approval.id)
        if event is not None:
            loop.call_soon_threadsafe(event.set)
            return
        runner = self.runners.get(approval.kind)
        if approval.status == ApprovalStatus.APPROVED and runner is not None:
            self._dispatch(runner, approval.id)
        cleanup = self.on_reject.get(approval.kind)
        if approval.status == ApprovalStatus.REJECTED and cleanup is not None:
            self._dispatch(cleanup, approval.id)

    def _tell(self, approval: Approval) -> None:
        """Every surface learns how an approval stands now: answered, and later how it ended."""
        self.bus.publish(
            "approval.decided",
            {
                "id": approval.id,
                "task_id": approval.task_id,
                "kind": approval.kind,
                "status": approval.status,
                "by": approval.decided_by,
                "outcome": approval.outcome,
            },
        )

    def _dispatch(self, runner: Runner, approval_id: str) -> None:
        loop = self._loop
        assert loop is not None

        def start() -> None:
            job: asyncio.Future[object] = asyncio.ensure_future(runner(approval_id))
            self._running.add(job)
            job.add_done_callback(self._running.discard)

        loop.call_soon_threadsafe(start)

    async def drain(self, within: float = 20.0) -> None:
        """At shutdown: let approved actions that are running finish, so none is left half-recorded."""
        if self._running:
            await asyncio.wait(list(self._running), timeout=within)

    # ---- waiting -----------------------------------------------------------------------------------

    def _expect(self, approval_id: str) -> None:
        try:
            self._loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._waiting.setdefault(approval_id, asyncio.Event())

    def awaited(self, approval_id: str) -> bool:
        return approval_id in self._waiting

    async def wait(self, approval_id: str, within: float | None = None) -> ApprovalStatus:
        """The answer, once given; past its expiry it is expired. PENDING if `within` seconds ran out first."""
        self._loop = asyncio.get_running_loop()
        event = self._waiting.setdefault(approval_id, asyncio.Event())
        try:
            while True:
                left = self._left(approval_id)
                if isinstance(left, ApprovalStatus):
                    return left
                # Wake on an answer, or now and then to notice expiry (the clock may be a test's).
                wait = min(max(left, 0.05), 1.0) if within is None else max(min(left, 1.0, within), 0.0)
                try:
                    await asyncio.wait_for(event.wait(), wait)
                except TimeoutError:
                    if within is not None:
                        within -= wait
                        if within <= 0:
                            return ApprovalStatus.PENDING
                event.clear()
        finally:
            self._waiting.pop(approval_id, None)

    def _left(self, approval_id: str) -> ApprovalStatus | float:
        now = self.clock.now()
        with Session(self.engine) as session:
            self._expire_due(session, now)
            session.commit()
            approval = session.get(Approval, approval_id)
            if approval is None:
                raise LookupError(f"No approval {approval_id!r}.")
            if approval.status != ApprovalStatus.PENDING:
                return ApprovalStatus(approval.status)
            return (aware(approval.expires_at, now) - now).total_seconds()

    # ---- claimed, executed ---------------------------------------------------------------------------

    def claim(self, approval_id: str) -> bool:
        """Take an approved approval for execution, once: a second claim (or a restart) finds it taken."""
        with Session(self.engine) as session:
            result = session.execute(
                update(Approval)
                .where(col(Approval.id) == approval_id, col(Approval.status) == ApprovalStatus.APPROVED)
                .values(status=ApprovalStatus.CLAIMED)
            )
            session.commit()
        return result.rowcount == 1  # type: ignore[attr-defined]

    def finish(self, approval_id: str, status: ApprovalStatus, outcome: str) -> None:
        """Record how a claimed (or approved) approval ended: executed, stale or void, and what happened."""
        if status not in ENDED:
            raise ValueError(f"{status} is not an end.")
        now = self.clock.now()
        with Session(self.engine) as session:
            approval = session.get(Approval, approval_id)
            if approval is None or approval.status in ENDED:
                return
            approval.status = status
            approval.outcome = outcome
            session.add(approval)
            if status is not ApprovalStatus.EXECUTED:
                session.add(_record(approval, now, str(status), "policy", str(status), outcome))
            session.commit()
            session.refresh(approval)
        self._tell(approval)

    # ---- expiry and restarts -----------------------------------------------------------------------

    def expire_due(self) -> list[str]:
        with Session(self.engine) as session:
            expired = self._expire_due(session, self.clock.now())
            session.commit()
        return expired

    def _expire_due(self, session: Session, now: datetime) -> list[str]:
        expired = []
        for approval in session.exec(select(Approval).where(Approval.status == ApprovalStatus.PENDING)):
            if aware(approval.expires_at, now) <= now:
                approval.status = ApprovalStatus.EXPIRED
                approval.decided_at = now
                approval.decided_by = "expiry"
                approval.decision_reason = "Nobody answered in time; an expired approval counts as rejected."
                approval.outcome = "Not done: nobody answered in time."
                session.add(approval)
                session.add(_record(approval, now, "decided", "expiry", "expired", approval.decision_reason))
                expired.append(approval.id)
        return expired

    def recover(self) -> list[str]:
        """After a restart: approvals whose run was cut off are told as such; approved ones not yet run are
        returned, to be run once by their kind's runner (or ended with the reason they cannot)."""
        now = self.clock.now()
        to_run = []
        with Session(self.engine) as session:
            self._expire_due(session, now)
            for approval in session.exec(
                select(Approval).where(col(Approval.status).in_([ApprovalStatus.CLAIMED, ApprovalStatus.APPROVED]))
            ):
                if approval.status == ApprovalStatus.CLAIMED:
                    approval.status = ApprovalStatus.VOID
                    approval.outcome = (
                        "Deputy stopped while this was running, so whether the site received it is unknown: "
                        "check the page before doing it again."
                    )
                    session.add(approval)
                    session.add(_record(approval, now, "void", "policy", "void", approval.outcome))
                elif approval.kind in ("question", "budget"):
                    approval.status = ApprovalStatus.VOID
                    approval.outcome = "Its task was interrupted by a restart before it could use the answer."
                    session.add(approval)
                    session.add(_record(approval, now, "void", "policy", "void", approval.outcome))
                else:
                    to_run.append(approval.id)
            session.commit()
        return to_run

    def void_open(self, task_id: str, kinds: tuple[str, ...], why: str) -> None:
        """End a task's open approvals of these kinds (a question nobody can use any more)."""
        with Session(self.engine) as session:
            ids = [
                a.id
                for a in session.exec(
                    select(Approval).where(
                        Approval.task_id == task_id,
                        col(Approval.kind).in_(kinds),
                        col(Approval.status).in_([ApprovalStatus.PENDING, ApprovalStatus.APPROVED]),
                    )
                )
            ]
        for approval_id in ids:
            self.finish(approval_id, ApprovalStatus.VOID, why)

    def run_later(self, approval_id: str) -> None:
        """Hand an approved approval nobody waits for to its kind's runner."""
        approval = self.get(approval_id)
        runner = self.runners.get(approval.kind) if approval else None
        if runner is None:
            self.finish(approval_id, ApprovalStatus.VOID, "Deputy has nothing that can run this kind any more.")
            return
        self._dispatch(runner, approval_id)


def _edited(approval: Approval, edits: dict[str, Any] | None) -> dict[str, Any]:
    params = dict(approval.params)
    if approval.kind == "question":
        answer = (edits or {}).get("answer")
        if set(edits or {}) != {"answer"} or not isinstance(answer, str) or not answer.strip():
            raise ApprovalError(422, "A question is answered with one edit: answer, the text of your answer.")
        if len(answer) > MAX_ANSWER_CHARS:
            raise ApprovalError(422, f"An answer is at most {MAX_ANSWER_CHARS} characters.")
        return {**params, "answer": answer.strip()}
    if not edits:
        return params
    if approval.kind == "batch":
        return {**params, "exclude": _excluded(edits, len(params.get("items", [])))}
    if approval.kind == "rule":
        return {**params, "rule": _rule_edited(params.get("rule") or {}, edits)}
    if approval.kind in ("note", "recipe"):
        raise ApprovalError(422, f"A proposed {approval.kind} takes no edits: approve it or reject it.")
    if approval.kind == "budget":
        try:
            if set(edits) != {"add_usd"}:
                raise MoneyError("it takes no other edit")
            extra = parse_usd(edits["add_usd"], most=TASK_BUDGET_MOST_USD)
        except MoneyError as error:
            raise ApprovalError(422, f"A budget approval takes one edit, add_usd in dollars: {error}.") from None
        return {**params, "add_usd": usd(extra), "add_micro_usd": extra}
    allowed = editable(approval)
    if "ref" in edits and edits["ref"] != params.get("ref"):
        raise ApprovalError(422, "The target of an approval cannot be changed; reject it and ask instead.")
    unknown = sorted(set(edits) - set(allowed) - {"ref"})
    if unknown:
        can = f"only {', '.join(allowed)} can" if allowed else "nothing in it can"
        raise ApprovalError(422, f"This approval cannot take {', '.join(unknown)}: {can} be edited.")
    spec = registry.get(approval.action)
    try:
        return spec.validate({**params, **edits}).model_dump(mode="json", exclude_none=True)
    except ActionInputError as error:
        raise ApprovalError(422, str(error)) from None


def _rule_edited(rule: dict[str, Any], edits: dict[str, Any]) -> dict[str, Any]:
    """A proposed rule as the user changed it, checked like any mail rule (its name follows the new match)."""
    unknown = sorted(set(edits) - set(RULE_EDITS))
    if unknown:
        raise ApprovalError(422, f"A rule takes the edits {', '.join(RULE_EDITS)}, not {', '.join(unknown)}.")
    value = {**{k: v for k, v in rule.items() if k != "name"}, **edits}
    try:
        return RuleCreate.model_validate({"kind": "mail", "value": value}).value
    except ValidationError as error:
        problem = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in error.errors())
        raise ApprovalError(422, f"The edited rule is not a rule Deputy can save: {problem}") from None


def _excluded(edits: dict[str, Any], count: int) -> list[int]:
    """A batch's unticked items: item numbers from 0, each on the list, at least one item left to run."""
    exclude = edits.get("exclude")
    if set(edits) != {"exclude"} or not isinstance(exclude, list):
        raise ApprovalError(422, "A batch takes one edit, exclude: the numbers (from 0) of the items to leave out.")
    if any(isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < count for i in exclude):
        raise ApprovalError(422, f"exclude takes item numbers from 0 to {count - 1}.")
    if len(set(exclude)) >= count:
        raise ApprovalError(422, "That unticks every item; reject the batch instead.")
    return sorted(set(exclude))


def _record(approval: Approval, now: datetime, kind: str, actor: str, verdict: str, reason: str | None) -> AuditRecord:
    return AuditRecord(
        task_id=approval.task_id,
        at=now,
        kind=kind,
        action=approval.action,
        params=approval.params,
        actor=actor,
        verdict=verdict,
        risk=approval.risk,
        reason=reason,
        approval_id=approval.id,
        detail={"summary": approval.summary} if approval.summary else None,
    )
