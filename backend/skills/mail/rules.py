"""Mail rules: deterministic matches on what the inbox list shows, each with one action. Zero tokens.

A rule is data (a `UserRule` of kind "mail"): it runs only once the user saved it (typed it, or approved it
as a proposal), and it never calls the model. What it matches is only what a person sees in the list: the
sender as shown (or its address, where the list holds one), the subject's words, an unsubscribe or attachment
mark on the row.
"""

import re
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

RuleAction = Literal["archive", "mark_read", "star", "label"]
ACTIONS: tuple[str, ...] = ("archive", "mark_read", "star", "label")
ACTION_WORDS = {"archive": "Archive", "mark_read": "Mark read", "star": "Star", "label": "Label"}
# How many times undoing what a rule did retires it.
RETIRE_AFTER_UNDOS = 2


class MailRuleError(ValueError):
    """A rule that cannot be saved; the message says what to write instead."""


class Match(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sender: str | None = Field(None, max_length=200, description="Part of the sender as the list shows it.")
    domain: str | None = Field(None, max_length=200, description="The sender's domain, e.g. shopmart.example.")
    subject_words: list[str] = Field(default_factory=list, max_length=10, description="Every word in the subject.")
    list_unsubscribe: bool | None = Field(None, description="The row carries an unsubscribe mark or footer.")
    has_attachment: bool | None = Field(None, description="The row shows an attachment.")

    @model_validator(mode="after")
    def _something(self) -> "Match":
        self.subject_words = [w.strip().lower() for w in self.subject_words if w.strip()]
        if self.domain is not None:
            self.domain = self.domain.strip().lower().lstrip("@")
            if not re.fullmatch(r"[a-z0-9.-]+\.[a-z0-9-]+", self.domain):
                raise ValueError("domain must be a domain such as shopmart.example")
        if self.sender is not None:
            self.sender = self.sender.strip() or None
        if not any([self.sender, self.domain, self.subject_words, self.list_unsubscribe, self.has_attachment]):
            raise ValueError(
                "a rule must match something: sender, domain, subject_words, list_unsubscribe or has_attachment"
            )
        return self


class MailRule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field("", max_length=200)
    match: Match
    action: RuleAction
    label: str | None = Field(None, max_length=60)
    undos: int = Field(0, ge=0)
    retired: bool = False

    @model_validator(mode="after")
    def _label_fits(self) -> "MailRule":
        if self.action == "label" and not (self.label and self.label.strip()):
            raise ValueError("a label rule needs label, the label's name")
        if not self.name:
            self.name = describe(self)
        return self

    @classmethod
    def from_value(cls, value: dict[str, Any]) -> "MailRule":
        try:
            return cls.model_validate(value)
        except ValidationError as error:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'rule'}: {e['msg'].removeprefix('Value error, ')}"
                for e in error.errors()
            )
            raise MailRuleError(
                f'Not a mail rule ({problems}). Example: {{"match": {{"sender": "LaunchList"}}, "action": "archive"}}'
            ) from None

    def to_value(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)


def describe(rule: MailRule) -> str:
    """The rule as a sentence: "Archive mail from LaunchList whose subject has 'daily'"."""
    m = rule.match
    parts = []
    if m.sender:
        parts.append(f"from {m.sender}")
    if m.domain:
        parts.append(f"from @{m.domain}")
    if m.subject_words:
        parts.append("whose subject has " + ", ".join(f"'{w}'" for w in m.subject_words))
    if m.list_unsubscribe:
        parts.append("with an unsubscribe link")
    if m.has_attachment:
        parts.append("with an attachment")
    verb = f"Label '{rule.label}'" if rule.action == "label" else ACTION_WORDS[rule.action]
    return f"{verb} mail " + " and ".join(parts)


@dataclass(frozen=True)
class Seen:
    """One message as the list shows it: what rules and the reader look at."""

    sender: str
    subject: str
    snippet: str = ""
    unsubscribe: bool = False
    attachment: bool = False
    address: str = ""  # the sender's address, where the list holds it (often only in a tooltip)


_WORD = re.compile(r"[\w'-]+")


def matches(rule: MailRule, seen: Seen) -> bool:
    m = rule.match
    sender = seen.sender.lower()
    address = seen.address.lower()
    # A rule names the sender as the list shows it or by address: either may be all the page shows.
    if m.sender and m.sender.lower() not in sender and m.sender.lower() not in address:
        return False
    if m.domain and not any(
        s.endswith("@" + m.domain) or s.endswith("." + m.domain) or m.domain in s for s in (sender, address) if s
    ):
        return False
    words = set(_WORD.findall(seen.subject.lower()))
    if m.subject_words and not all(w in words or w in seen.subject.lower() for w in m.subject_words):
        return False
    if m.list_unsubscribe is not None and m.list_unsubscribe != seen.unsubscribe:
        return False
    return not (m.has_attachment is not None and m.has_attachment != seen.attachment)


def first_match(rules: list[tuple[int, MailRule]], seen: Seen) -> tuple[int, MailRule] | None:
    """The first saved, unretired rule that matches: rules run in the order they were saved."""
    for rule_id, rule in rules:
        if not rule.retired and matches(rule, seen):
            return rule_id, rule
    return None
