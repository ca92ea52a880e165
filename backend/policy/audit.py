"""Writing the audit log: one append-only record per proposal, decision, execution, blocked write and undo."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, select

from backend.actions.registry import Risk
from backend.browser.gate import GateEvent
from backend.clock import Clock
from backend.models import Approval, AuditRecord


class AuditLog:
    def __init__(self, engine: Engine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock

    def append(
        self,
        task_id: str,
        kind: str,
        actor: str,
        *,
        action: str | None = None,
        params: dict[str, Any] | None = None,
        verdict: str | None = None,
        risk: Risk | None = None,
        reason: str | None = None,
        detail: dict[str, Any] | None = None,
        approval_id: str | None = None,
        undo: dict[str, Any] | None = None,
        undoes: int | None = None,
    ) -> int:
        record = AuditRecord(
            task_id=task_id,
            at=self.clock.now(),
            kind=kind,
            action=action,
            params=params,
            actor=actor,
            verdict=str(verdict) if verdict is not None else None,
            risk=risk.value if risk else None,
            reason=reason,
            detail=detail,
            approval_id=approval_id,
            undo=undo,
            undoes=undoes,
        )
        with Session(self.engine) as session:
            session.add(record)
            session.commit()
            assert record.id is not None
            return record.id


def gate_recorder(audit: AuditLog) -> Callable[[GateEvent], None]:
    """A listener for the write gate: every write it held and navigation it stopped goes in the audit log."""

    def record(event: GateEvent) -> None:
        if event.task_id is None or event.kind not in ("blocked", "held"):
            return
        audit.append(
            event.task_id,
            "blocked_write" if event.kind == "blocked" else "held_navigation",
            "page",
            verdict="held" if event.kind == "blocked" else event.verdict,
            reason=event.detail,
            detail={"method": event.method, "url": event.url, "body": event.body, "resource": event.resource},
        )

    return record


@dataclass(frozen=True)
class Account:
    """What a task did, from the audit log alone: the changes executed, and what was asked and not done."""

    done: list[str]  # sentences of changes the site received
    not_done: list[str]  # sentences of changes refused, rejected, expired or stale, with why
    steps: int  # actions executed

    def sentence(self) -> str:
        parts = []
        if self.done:
            parts.append("Done: " + "; ".join(self.done) + ".")
        if self.not_done:
            parts.append("Not done: " + "; ".join(self.not_done) + ".")
        return " ".join(parts) or "Nothing was changed."


def account(engine: Engine, task_id: str) -> Account:
    with Session(engine) as session:
        records = list(session.exec(select(AuditRecord).where(AuditRecord.task_id == task_id)))
        approvals = {a.id: a for a in session.exec(select(Approval).where(Approval.task_id == task_id))}
    done, not_done, steps = [], [], 0
    for record in records:
        summary = (record.detail or {}).get("summary") or record.action or record.kind
        if record.kind == "executed":
            steps += 1
            if record.verdict == "ok" and (record.detail or {}).get("changed"):
                done.append(summary)
        elif record.kind == "decided" and record.actor == "policy" and record.verdict == "deny":
            if record.risk in ("write", "irreversible") or record.action == "navigate":
                not_done.append(f"{summary} (refused: {record.reason})")
        elif record.kind == "undo":
            done.append(f"Undid: {summary}")
    for approval in approvals.values():
        if approval.kind in ("action", "navigation") and approval.status in ("rejected", "expired", "stale", "void"):
            not_done.append(f"{approval.summary or approval.action} ({approval.outcome or approval.status})")
        elif approval.kind in ("action", "navigation") and approval.status == "pending":
            not_done.append(f"{approval.summary or approval.action} (waiting for your approval)")
    return Account(done, not_done, steps)
