"""Demo Mail's search box: free words and Gmail-style operators (from:, to:, subject:, label:, is:, in:)."""

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from backend.demo.mail.message import Message

_TOKEN = re.compile(r'(\w+):"([^"]*)"|(\w+):(\S+)|"([^"]*)"|(\S+)')

# `in:` scopes, as label sets; plain searches skip Spam and Trash, as real webmail does.
_IN_SCOPES = {
    "inbox": "INBOX",
    "sent": "SENT",
    "drafts": "DRAFT",
    "draft": "DRAFT",
    "spam": "SPAM",
    "trash": "TRASH",
    "starred": "STARRED",
}
_IS_FLAGS = {"unread": ("UNREAD", True), "read": ("UNREAD", False), "starred": ("STARRED", True)}


@dataclass
class Query:
    text: str
    words: list[str] = field(default_factory=list)
    fields: list[tuple[str, str]] = field(default_factory=list)
    flags: list[tuple[str, bool]] = field(default_factory=list)
    scope: str | None = None
    anywhere: bool = False

    @classmethod
    def parse(cls, text: str) -> "Query":
        query = cls(text=text.strip())
        for match in _TOKEN.finditer(text):
            key_q, value_q, key, value, phrase, word = match.groups()
            key = (key_q or key or "").lower()
            value = (value_q if key_q else value) or ""
            if key == "in":
                query.anywhere = value.lower() in ("anywhere", "all")
                query.scope = _IN_SCOPES.get(value.lower())
            elif key == "is" and value.lower() in _IS_FLAGS:
                query.flags.append(_IS_FLAGS[value.lower()])
            elif key in ("from", "to", "subject", "label"):
                query.fields.append((key, value.lower()))
            elif key:
                query.words.append(match.group(0).lower())
            else:
                query.words.append((phrase if phrase is not None else word).lower())
        return query

    def matches(self, message: "Message") -> bool:
        if self.scope is not None:
            if self.scope not in message.labels:
                return False
        elif not self.anywhere and message.labels & {"SPAM", "TRASH"}:
            return False
        if any((label in message.labels) != wanted for label, wanted in self.flags):
            return False
        if not all(self._field_matches(message, key, value) for key, value in self.fields):
            return False
        haystack = " ".join(
            [
                message.sender.name,
                message.sender.email,
                " ".join(a.formatted() for a in message.to),
                message.subject,
                message.text,
            ]
        ).lower()
        return all(word in haystack for word in self.words)

    @staticmethod
    def _field_matches(message: "Message", key: str, value: str) -> bool:
        match key:
            case "from":
                return value in message.sender.formatted().lower()
            case "to":
                return any(value in a.formatted().lower() for a in [*message.to, *message.cc])
            case "subject":
                return value in message.subject.lower()
            case _:
                return any(value == label.lower() for label in message.labels)
