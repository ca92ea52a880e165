"""Writing the audit log: one append-only record per proposal, decision, execution, blocked write and undo."""

from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from backend.actions.registry import Risk
from backend.clock import Clock
from backend.models import AuditRecord


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
