"""One mail message, its addresses, and the JSON shapes the Demo Mail client reads."""

import html
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# Gmail-style system labels; UNREAD and STARRED are labels too, so one list says everything about a message.
INBOX = "INBOX"
SENT = "SENT"
DRAFT = "DRAFT"
SPAM = "SPAM"
TRASH = "TRASH"
STARRED = "STARRED"
UNREAD = "UNREAD"
SYSTEM_LABELS = (INBOX, SENT, DRAFT, SPAM, TRASH, STARRED, UNREAD)

SNIPPET_LENGTH = 140


@dataclass(frozen=True)
class Address:
    name: str
    email: str

    def formatted(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email

    def to_json(self) -> dict[str, str]:
        return {"name": self.name or self.email, "email": self.email}


@dataclass
class Message:
    id: str
    sender: Address
    to: list[Address]
    subject: str
    body: str
    date: datetime
    labels: set[str]
    is_html: bool = False
    cc: list[Address] = field(default_factory=list)
    list_id: str | None = None
    trashed_at: datetime | None = None
    in_reply_to: str | None = None
    text: str = ""

    def __post_init__(self) -> None:
        # Search and snippets read plain text; hidden HTML text stays in, as it does in real webmail.
        self.text = plain_text(self.body, self.is_html)

    @property
    def unread(self) -> bool:
        return UNREAD in self.labels

    @property
    def starred(self) -> bool:
        return STARRED in self.labels

    def user_labels(self) -> list[str]:
        return sorted(label for label in self.labels if label not in SYSTEM_LABELS)

    def summary(self, now: datetime) -> dict[str, Any]:
        return {
            "id": self.id,
            "from": self.sender.to_json(),
            "to": [a.to_json() for a in self.to],
            "subject": self.subject or "(no subject)",
            "snippet": _SPACE.sub(" ", self.text)[:SNIPPET_LENGTH],
            "date": self.date.isoformat(),
            "date_short": short_date(self.date, now),
            "unread": self.unread,
            "starred": self.starred,
            "labels": self.user_labels(),
            "system_labels": sorted(label for label in self.labels if label in SYSTEM_LABELS),
        }

    def detail(self, now: datetime) -> dict[str, Any]:
        return {
            **self.summary(now),
            "cc": [a.to_json() for a in self.cc],
            "date_full": full_date(self.date),
            "body": self.body,
            "is_html": self.is_html,
            "text": self.text,
            "in_reply_to": self.in_reply_to,
            "unsubscribe": f"unsubscribe/{self.list_id}" if self.list_id else None,
        }

    def sent_record(self) -> dict[str, Any]:
        """What the change log keeps about outgoing mail, so tests can prove what was sent."""
        return {
            "id": self.id,
            "to": [a.email for a in self.to],
            "cc": [a.email for a in self.cc],
            "subject": self.subject,
            "body": self.body,
            "in_reply_to": self.in_reply_to,
        }


_TAG = re.compile(r"<[^>]+>")
_BLOCK = re.compile(r"<(br|/p|/div|/tr|/li|/h[1-6]|/ol|/ul)[^>]*>", re.IGNORECASE)
_DROPPED = re.compile(r"<(style|script)[^>]*>.*?</\1>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
_INLINE_SPACE = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_SPACE = re.compile(r"\s+")
_SPACE_BEFORE_PUNCTUATION = re.compile(r" +([.,;:!?])")


def plain_text(body: str, is_html: bool) -> str:
    """The text of a body, paragraphs kept: what search reads and what Reply and Forward quote."""
    if not is_html:
        return body.strip()
    body = _DROPPED.sub(" ", body)
    body = _BLOCK.sub("\n\n", body)
    body = html.unescape(_TAG.sub(" ", body))
    # Tags become spaces so table cells stay apart; a space left before punctuation is one they added.
    lines = (_SPACE_BEFORE_PUNCTUATION.sub(r"\1", _INLINE_SPACE.sub(" ", line)).strip() for line in body.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def short_date(date: datetime, now: datetime) -> str:
    if date.date() == now.date():
        return date.strftime("%H:%M")
    if date.year == now.year:
        return f"{date.strftime('%b')} {date.day}"
    return f"{date.month}/{date.day}/{date.strftime('%y')}"


def full_date(date: datetime) -> str:
    return f"{date.strftime('%a')}, {date.day} {date.strftime('%b %Y, %H:%M')}"
