"""The user's rules: stored data the policy reads on every decision, never part of a prompt."""

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import JSON, Column
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from backend.ledger.money import MoneyError, parse_usd, usd


class RuleKind(StrEnum):
    SITE_ALLOW = "site_allow"  # value: {"host": "mail.example"}: a site every task may act on, besides its own
    SITE_BLOCK = "site_block"  # value: {"host": ...}
    NEVER_SEND = "never_send"  # value: {}
    ALWAYS_ASK = "always_ask"  # value: {"host": ...}: every change asks on this site, grants or not
    GRANT = "grant"  # value: {"action": "click", "kind": "archive"}: allowed for every task
    QUIET_HOURS = "quiet_hours"  # value: {"start": "22:00", "end": "07:00"}: nothing but reads
    BUDGET_DAY = "budget_day"  # value: {"usd": 2.0, "micro_usd": 2000000}: micro_usd is the exact limit
    BUDGET_TASK = "budget_task"  # value: {"usd": 0.5, "micro_usd": 500000}
    MAIL = "mail"  # value: a mail rule (backend.skills.mail.rules.MailRule): what it matches, what it does


class UserRule(SQLModel, table=True):
    __tablename__ = "user_rule"

    id: int | None = SQLField(default=None, primary_key=True)
    kind: str = SQLField(index=True, max_length=16)
    value: dict[str, Any] = SQLField(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime


_HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"
# The most a budget rule may allow, in dollars: above this it is a typo, not a limit.
RULE_BUDGET_MOST_USD = Decimal(10_000)


def budget_micros(rule: UserRule) -> int:
    """A budget rule's exact limit in micro-dollars (rules stored before micro_usd existed carry only usd)."""
    value = rule.value
    return int(value["micro_usd"]) if "micro_usd" in value else parse_usd(value["usd"], most=RULE_BUDGET_MOST_USD)


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
            if "usd" not in v or not set(v) <= {"usd", "micro_usd"}:
                raise ValueError('a budget needs value.usd, a number of dollars such as 5, 5.25 or "0.10"')
            try:
                micros = parse_usd(v["usd"], most=RULE_BUDGET_MOST_USD)
            except MoneyError as error:
                raise ValueError(f"a budget needs value.usd, a number of dollars: {error}") from None
            # micro_usd is recomputed from what was typed, so the two can never disagree.
            self.value = {"usd": usd(micros), "micro_usd": micros}
        elif self.kind == RuleKind.MAIL:
            from backend.skills.mail.rules import MailRule, MailRuleError

            try:
                self.value = MailRule.from_value(v).to_value()
            except MailRuleError as error:
                raise ValueError(str(error)) from None
        elif v:
            raise ValueError(f"{self.kind.value} takes no value")
        return self


class RulePublic(BaseModel):
    id: int
    kind: str
    value: dict[str, Any]
    created_at: datetime


class RulePatch(BaseModel):
    """A change to a mail rule: what it matches, what it does, its label, or whether it is retired."""

    model_config = ConfigDict(extra="forbid")

    match: dict[str, Any] | None = None
    action: str | None = None
    label: str | None = Field(None, max_length=60)
    name: str | None = Field(None, max_length=200)
    retired: bool | None = Field(None, description="false brings a retired rule back, with its undos counted anew.")


class PlainRule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=500, description='A rule in your words: "archive newsletters".')
