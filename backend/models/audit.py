"""The audit log: an append-only record of every proposal, decision, execution and blocked write."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import JSON, Column, event
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel


class AuditRecord(SQLModel, table=True):
    __tablename__ = "audit_record"

    id: int | None = SQLField(default=None, primary_key=True)
    task_id: str = SQLField(index=True, max_length=32)
    at: datetime
    kind: str = SQLField(max_length=24)  # proposed | decided | executed | blocked_write | dialog | stale | undo
    action: str | None = SQLField(default=None, max_length=64)
    params: dict[str, Any] | None = SQLField(default=None, sa_column=Column(JSON))
    actor: str = SQLField(max_length=80)  # model | recipe | rule | user:<client> | policy | page
    verdict: str | None = SQLField(default=None, max_length=16)
    risk: str | None = SQLField(default=None, max_length=16)
    reason: str | None = None
    detail: dict[str, Any] | None = SQLField(default=None, sa_column=Column(JSON))
    approval_id: str | None = SQLField(default=None, max_length=32)
    # How to take this back, where it can be: {"action": ..., "params": ...}, run through the executor.
    undo: dict[str, Any] | None = SQLField(default=None, sa_column=Column(JSON))
    undoes: int | None = None  # the record this one undid


@event.listens_for(AuditRecord, "before_update")
def _append_only(*_: Any) -> None:
    raise PermissionError("The audit log is append-only.")


@event.listens_for(AuditRecord, "before_delete")
def _no_delete(*_: Any) -> None:
    raise PermissionError("The audit log is append-only.")


class AuditPublic(BaseModel):
    id: int
    task_id: str
    at: datetime
    kind: str
    action: str | None
    params: dict[str, Any] | None
    actor: str
    verdict: str | None
    risk: str | None
    reason: str | None
    detail: dict[str, Any] | None
    approval_id: str | None
    undoable: bool
    undoes: int | None
