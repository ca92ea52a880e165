"""Approvals: one proposed action, exactly as it would run, waiting for the user's answer."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, computed_field
from sqlalchemy import JSON, Column, Connection, event, func, select
from sqlalchemy.orm import Mapper
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from backend.ledger.money import usd
from backend.models.usage import ModelCall


class ApprovalStatus(StrEnum):
    PENDING = "pending"  # shown everywhere, waiting for the first answer
    APPROVED = "approved"  # answered yes, not run yet
    CLAIMED = "claimed"  # taken for execution: nothing can take it again
    EXECUTED = "executed"  # ran (its outcome says how it went): an approval works once
    REJECTED = "rejected"
    EXPIRED = "expired"  # counts as rejected
    STALE = "stale"  # the page changed before it ran, so it did not run
    VOID = "void"  # can no longer run (its outcome says why)


ENDED = frozenset(
    {
        ApprovalStatus.EXECUTED,
        ApprovalStatus.REJECTED,
        ApprovalStatus.EXPIRED,
        ApprovalStatus.STALE,
        ApprovalStatus.VOID,
    }
)


class Approval(SQLModel, table=True):
    __tablename__ = "approval"

    id: str = SQLField(primary_key=True, max_length=32)
    task_id: str = SQLField(foreign_key="task.id", index=True, max_length=32)
    kind: str = SQLField(default="action", max_length=16)  # action | navigation | budget | question | batch | rule
    action: str = SQLField(max_length=64)
    params: dict[str, Any] = SQLField(default_factory=dict, sa_column=Column(JSON, nullable=False))
    summary: str = ""  # what it changes, as a person would say it
    objects: list[str] = SQLField(default_factory=list, sa_column=Column(JSON, nullable=False))  # what it acts on
    # The ticked rows it acts on (as the page described them), to bind it and to restore them after a restart.
    selection: list[str] = SQLField(default_factory=list, sa_column=Column(JSON, nullable=False))
    target: str | None = None  # as a person would say it
    target_name: str = ""  # the element's accessible name, which grants are keyed on
    target_identity: list[str | None] | None = SQLField(default=None, sa_column=Column(JSON))  # to find it again
    screenshot: str | None = None  # file name in the data folder's screenshots
    model_reason: str | None = None
    risk: str = SQLField(max_length=16)
    policy_reason: str
    # What the task had spent when this was asked, in whole micro-dollars; filled from the ledger on insert.
    cost_so_far_micro_usd: int = 0
    page_url: str | None = None
    fingerprint: str = SQLField(max_length=64)
    status: str = SQLField(default=ApprovalStatus.PENDING, index=True, max_length=16)
    created_at: datetime
    expires_at: datetime
    decided_at: datetime | None = None
    decided_by: str | None = None
    decision_reason: str | None = None
    edits: dict[str, Any] | None = SQLField(default=None, sa_column=Column(JSON))
    like_this: bool = False
    outcome: str | None = None  # how it ended once answered: what ran, or why it could not


class ApprovalPublic(BaseModel):
    id: str
    task_id: str
    task_instruction: str | None = None
    kind: str
    action: str
    params: dict[str, Any]
    summary: str
    objects: list[str]
    editable: list[str]
    target: str | None
    screenshot_url: str | None
    model_reason: str | None
    risk: str
    policy_reason: str
    cost_so_far_micro_usd: int
    page_url: str | None
    status: str
    created_at: datetime
    expires_at: datetime
    decided_at: datetime | None
    decided_by: str | None
    decision_reason: str | None
    outcome: str | None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def cost_so_far_usd(self) -> float:
        return usd(self.cost_so_far_micro_usd)


@event.listens_for(Approval, "before_insert")
def _cost_so_far_from_the_ledger(_mapper: Mapper[Approval], connection: Connection, approval: Approval) -> None:
    # The ledger is the one source of what a task spent: whoever creates an approval, the figure is the same.
    spent = connection.execute(
        select(func.coalesce(func.sum(ModelCall.cost_micro_usd), 0)).where(ModelCall.task_id == approval.task_id)
    ).scalar_one()
    approval.cost_so_far_micro_usd = int(spent)


class ApproveBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    edits: dict[str, Any] | None = Field(None, description="Changed parameters, validated like the original.")
    like_this: bool = Field(False, description="Also allow actions like this one for the rest of the task.")


class RejectBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(None, max_length=2000)
