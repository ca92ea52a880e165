"""Tasks: what the user asked Deputy to do, and where it stands."""

import re
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field, computed_field, field_validator
from sqlalchemy import JSON, Column
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from backend.ledger.money import parse_usd, usd

# The most one task may be given, in dollars: above this a budget is a typo, not a limit.
TASK_BUDGET_MOST_USD = Decimal(1000)


class TaskStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    WAITING = "waiting"  # for an approval or an answer
    FINISHED = "finished"
    FAILED = "failed"
    CANCELLED = "cancelled"
    INTERRUPTED = "interrupted"  # Deputy stopped (a restart, a crash) while the task ran


ENDED_TASK = frozenset({TaskStatus.FINISHED, TaskStatus.FAILED, TaskStatus.CANCELLED, TaskStatus.INTERRUPTED})


class Task(SQLModel, table=True):
    __tablename__ = "task"

    id: str = SQLField(primary_key=True, max_length=32)
    instruction: str
    url: str | None = None
    # The sites the task may act on besides its start page's (the user's own list); leaving them asks.
    sites: list[str] = SQLField(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = SQLField(default=TaskStatus.QUEUED, index=True, max_length=16)
    budget_micro_usd: int | None = None  # whole micro-dollars; None: no budget of its own
    # Kinds of write the user allowed for this task ("approve all like this"): [{"action", "kind"}].
    grants: list[dict[str, Any]] = SQLField(default_factory=list, sa_column=Column(JSON, nullable=False))
    # Values the user typed or approved: the only trusted sources of recipients and URLs besides the instruction.
    trusted_values: list[str] = SQLField(default_factory=list, sa_column=Column(JSON, nullable=False))
    destructive_count: int = 0
    # Started by a schedule while the user may be away: it prepares, and every approval waits for them.
    unattended: bool = False
    summary: str | None = None  # built from what the audit log says was executed
    claim: str | None = None  # the model's own account of the task, shown beside the summary as its claim
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None = None
    # Whose Deputy took the task (DEPUTY_USER_ID, DEPUTY_TEAM): a team's report counts outcomes per person.
    user_id: str = SQLField(default="", index=True, max_length=64)
    team: str = SQLField(default="", max_length=64)
    # Set by a skill that knows what differs between runs of its task (a check-in's booking code and last
    # name): the recipe's instruction with {{variables}}, and this run's values. Free-text tasks leave them
    # empty and their variables are guessed from the instruction.
    recipe_template: str | None = None
    recipe_values: dict[str, str] | None = SQLField(default=None, sa_column=Column(JSON, nullable=True))


class TaskCreate(BaseModel):
    instruction: str = Field(min_length=1, max_length=4000)
    url: str | None = Field(None, max_length=2000, pattern=r"^https?://")
    sites: list[str] = Field(
        default_factory=list,
        max_length=50,
        description="Other sites the task may act on (host or host:port); leaving these and the start page's asks.",
    )
    budget_usd: float | str | None = Field(
        None, description='The most this task may spend, in dollars, as typed: 5, 5.25 or "0.10".'
    )

    @field_validator("budget_usd")
    @classmethod
    def _budget_is_money(cls, value: float | str | None) -> float | str | None:
        if value is not None:
            parse_usd(value, most=TASK_BUDGET_MOST_USD)
        return value

    @property
    def budget_micro_usd(self) -> int | None:
        return None if self.budget_usd is None else parse_usd(self.budget_usd, most=TASK_BUDGET_MOST_USD)

    @field_validator("sites")
    @classmethod
    def _sites_are_hosts(cls, sites: list[str]) -> list[str]:
        from backend.policy.provenance import canonical_host

        canonical = []
        for site in sites:
            host = canonical_host(site) if isinstance(site, str) and len(site) <= 300 else ""
            if not re.fullmatch(r"(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?", host):
                raise ValueError(f"{site!r} is not a site: give a host name or host:port, such as mail.example.com")
            canonical.append(host)
        return canonical


class TaskPublic(BaseModel):
    id: str
    instruction: str
    url: str | None
    sites: list[str]
    status: str
    budget_micro_usd: int | None
    destructive_count: int
    unattended: bool
    summary: str | None
    claim: str | None
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def budget_usd(self) -> float | None:
        return None if self.budget_micro_usd is None else usd(self.budget_micro_usd)
