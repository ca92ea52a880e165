"""The user's rules: stored data the policy reads on every decision, never part of a prompt."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import JSON, Column
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel


class RuleKind(StrEnum):
    SITE_ALLOW = "site_allow"  # value: {"host": "mail.example"}: only allowed sites may be acted on
    SITE_BLOCK = "site_block"  # value: {"host": ...}
    NEVER_SEND = "never_send"  # value: {}
    ALWAYS_ASK = "always_ask"  # value: {"host": ...}: every change asks on this site, grants or not
    GRANT = "grant"  # value: {"action": "click", "kind": "archive"}: allowed for every task
    QUIET_HOURS = "quiet_hours"  # value: {"start": "22:00", "end": "07:00"}: nothing but reads
    BUDGET_DAY = "budget_day"  # value: {"usd": 2.0}
    BUDGET_TASK = "budget_task"  # value: {"usd": 0.5}


class UserRule(SQLModel, table=True):
    __tablename__ = "user_rule"

    id: int | None = SQLField(default=None, primary_key=True)
    kind: str = SQLField(index=True, max_length=16)
    value: dict[str, Any] = SQLField(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime


_HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"


class RuleCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: RuleKind
    value: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _value_fits_kind(self) -> "RuleCreate":
        import re

        v = self.value
        if self.kind in (RuleKind.SITE_ALLOW, RuleKind.SITE_BLOCK, RuleKind.ALWAYS_ASK):
            host = v.get("host")
            if not isinstance(host, str) or not re.fullmatch(r"[A-Za-z0-9.-]+(:\d+)?", host):
                raise ValueError("this rule needs value.host, a host name such as mail.example.com")
            v["host"] = host.lower()
        elif self.kind == RuleKind.GRANT:
            if not isinstance(v.get("action"), str) or not isinstance(v.get("kind"), str):
                raise ValueError("a grant needs value.action and value.kind, e.g. click / archive")
        elif self.kind == RuleKind.QUIET_HOURS:
            if not all(isinstance(v.get(k), str) and re.fullmatch(_HHMM, v[k]) for k in ("start", "end")):
                raise ValueError("quiet hours need value.start and value.end as HH:MM")
        elif self.kind in (RuleKind.BUDGET_DAY, RuleKind.BUDGET_TASK):
            usd = v.get("usd")
            if not isinstance(usd, int | float) or isinstance(usd, bool) or not 0 < usd <= 10000:
                raise ValueError("a budget needs value.usd, a positive number of dollars")
        elif v:
            raise ValueError(f"{self.kind.value} takes no value")
        return self


class RulePublic(BaseModel):
    id: int
    kind: str
    value: dict[str, Any]
    created_at: datetime
