"""Scheduled jobs: what the API takes to add one, and the record of each run (what the digest reports).

The jobs themselves (kind, parameters, trigger, next run) live in APScheduler's job store, in the same
database; a run is recorded here so a restart, a kill or a missed run is told as it happened.
"""

import re
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlalchemy import JSON, Column
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

CRON_FIELDS = 5


class RunStatus(StrEnum):
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    SKIPPED = "skipped"  # missed, and no longer useful when Deputy could run it
    INTERRUPTED = "interrupted"  # Deputy stopped while it ran


class ScheduledRun(SQLModel, table=True):
    __tablename__ = "scheduled_run"

    id: int | None = SQLField(default=None, primary_key=True)
    schedule_id: str = SQLField(index=True, max_length=64)
    kind: str = SQLField(max_length=32)
    title: str
    due_at: datetime  # the run time it stands for (the latest one, when missed runs were coalesced)
    started_at: datetime = SQLField(index=True)
    finished_at: datetime | None = None
    status: str = SQLField(default=RunStatus.RUNNING, max_length=16)
    missed: int = 0  # earlier run times folded into this one
    by: str = SQLField(default="schedule", max_length=32)  # schedule | user (run now)
    task_id: str | None = SQLField(default=None, max_length=32)
    summary: str | None = None
    detail: dict[str, Any] | None = SQLField(default=None, sa_column=Column(JSON))


class DigestMark(SQLModel, table=True):
    """When the user last saw the digest: the next one covers what happened since."""

    __tablename__ = "digest_mark"

    id: int = SQLField(default=1, primary_key=True)
    shown_at: datetime


class ScheduleCreate(BaseModel):
    """A job: its kind, what it works on, and when: `cron`, `every_seconds` or `at` (one of them)."""

    model_config = ConfigDict(extra="forbid")

    kind: str = Field(min_length=1, max_length=32)
    title: str | None = Field(None, max_length=200)
    params: dict[str, Any] = Field(default_factory=dict)
    cron: str | None = Field(None, max_length=100, description='Five fields, as crontab: "0 6 * * *" is 06:00 daily.')
    every_seconds: int | None = Field(None, ge=5, le=7 * 24 * 3600)
    at: datetime | None = Field(None, description="One run at this moment (ISO 8601).")
    enabled: bool = True

    @field_validator("cron")
    @classmethod
    def _five_fields(cls, value: str | None) -> str | None:
        if value is not None and len(value.split()) != CRON_FIELDS:
            raise ValueError('a cron schedule has five fields: minute hour day month weekday, e.g. "0 6 * * *"')
        return value

    @model_validator(mode="after")
    def _one_trigger(self) -> "ScheduleCreate":
        given = [name for name in ("cron", "every_seconds", "at") if getattr(self, name) is not None]
        if len(given) > 1:
            raise ValueError(f"give one of cron, every_seconds or at, not {' and '.join(given)}")
        return self


class ScheduleUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool


def daily_cron(hhmm: str) -> str:
    """'06:00' as a cron schedule; raises ValueError with a sentence a person can act on."""
    found = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", hhmm.strip())
    if found is None:
        raise ValueError(f"{hhmm!r} is not a time of day: write it as HH:MM, e.g. 06:00")
    return f"{int(found.group(2))} {int(found.group(1))} * * *"
