"""Tasks: what the user asked Deputy to do, and where it stands."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import JSON, Column
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel


class TaskStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    WAITING = "waiting"  # for an approval or an answer
    FINISHED = "finished"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Task(SQLModel, table=True):
    __tablename__ = "task"

    id: str = SQLField(primary_key=True, max_length=32)
    instruction: str
    url: str | None = None
    status: str = SQLField(default=TaskStatus.QUEUED, index=True, max_length=16)
    budget_usd: float | None = None
    # Kinds of write the user allowed for this task ("approve all like this"): [{"action", "kind"}].
    grants: list[dict[str, Any]] = SQLField(default_factory=list, sa_column=Column(JSON, nullable=False))
    # Values the user typed or approved: the only trusted sources of recipients and URLs besides the instruction.
    trusted_values: list[str] = SQLField(default_factory=list, sa_column=Column(JSON, nullable=False))
    destructive_count: int = 0
    summary: str | None = None
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None = None


class TaskCreate(BaseModel):
    instruction: str = Field(min_length=1, max_length=4000)
    url: str | None = Field(None, max_length=2000, pattern=r"^https?://")
    budget_usd: float | None = Field(None, gt=0, le=1000)


class TaskPublic(BaseModel):
    id: str
    instruction: str
    url: str | None
    status: str
    budget_usd: float | None
    destructive_count: int
    summary: str | None
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None
