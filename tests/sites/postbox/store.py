"""Postbox's mailbox in memory, and the change log every state change writes to."""

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape
from typing import Any

from backend.demo.changelog import ChangeLog
from tests.sites.postbox.seed import (
    DEFAULT_COLLECTOR,
    DEFAULT_LIBRARY,
    OWNER_ADDRESS,
    OWNER_NAME,
    Message,
    seed_messages,
)

FOLDERS = {"inbox": "Inbox", "archive": "Archive", "sent": "Sent", "junk": "Junk", "bin": "Bin"}


class PostboxError(Exception):
    """A request a person could make by mistake (an old link, nothing ticked): shown as a page, never a 500."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


@dataclass
class Mailbox:
    collector_url: str = DEFAULT_COLLECTOR
    library_url: str = DEFAULT_LIBRARY
    messages: dict[int, Message] = field(default_factory=dict)
    changes: ChangeLog = field(default_factory=ChangeLog)
    # One line shown on the next page, after a redirect (the site has one user).
    notice: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.reset()

    def reset(self, collector_url: str | None = None, library_url: str | None = None) -> None:
        """Back to the seed, with an empty change log."""
        with self._lock:
            self.collector_url = collector_url or self.collector_url
            self.library_url = library_url or self.library_url
            self.messages = {m.id: m for m in seed_messages(self.collector_url, self.library_url)}
            self.changes = ChangeLog()
            self.notice = ""

    def folder(self, name: str) -> list[Message]:
        if name not in FOLDERS:
            raise PostboxError(404, f"There is no folder called {name!r}.")
        return sorted((m for m in self.messages.values() if m.folder == name), key=lambda m: m.date, reverse=True)

    def unread(self, name: str) -> int:
        return sum(1 for m in self.messages.values() if m.folder == name and m.unread)

    def get(self, message_id: int) -> Message:
        found = self.messages.get(message_id)
        if found is None:
            raise PostboxError(404, "That message is no longer in your mailbox.")
        return found

    def search(self, query: str) -> list[Message]:
        words = query.lower().split()
        hits = [
            m
            for m in self.messages.values()
            if all(w in f"{m.sender_name} {m.sender_address} {m.subject} {m.body_html}".lower() for w in words)
        ]
        return sorted(hits, key=lambda m: m.date, reverse=True)

    def open(self, message_id: int) -> Message:
        # Opening marks a message read, as webmails do; reading is not an action, so it is not logged.
        message = self.get(message_id)
        message.unread = False
        return message

    def _pick(self, ids: list[int]) -> list[Message]:
        if not ids:
            raise PostboxError(400, "Tick at least one message first.")
        return [self.get(i) for i in ids]

    def move(self, endpoint: str, ids: list[int], to: str) -> list[Message]:
        if to not in FOLDERS or to == "sent":
            raise PostboxError(400, f"Messages cannot be moved to {to!r}.")
        with self._lock:
            picked = self._pick(ids)
            before = {str(m.id): m.folder for m in picked}
            for m in picked:
                m.folder = to
            self._record(endpoint, "move", picked, before, folder=to)
        return picked

    def flag(self, endpoint: str, ids: list[int]) -> list[Message]:
        with self._lock:
            picked = self._pick(ids)
            before = {str(m.id): m.flagged for m in picked}
            for m in picked:
                m.flagged = True
            self._record(endpoint, "flag", picked, before, flagged=True)
        return picked

    def remove(self, endpoint: str, ids: list[int]) -> list[Message]:
        """Deletes for good; only messages already in the Bin, so one stray id changes nothing."""
        with self._lock:
            picked = self._pick(ids)
            outside = [m.subject for m in picked if m.folder != "bin"]
            if outside:
                raise PostboxError(409, f"Only messages in the Bin can be removed permanently: {outside[0]!r} is not.")
            for m in picked:
                del self.messages[m.id]
            self._record(endpoint, "remove_permanently", picked, {str(m.id): m.folder for m in picked})
        return picked

    def empty_bin(self, endpoint: str) -> list[Message]:
        with self._lock:
            picked = [m for m in self.messages.values() if m.folder == "bin"]
            for m in picked:
                del self.messages[m.id]
            self._record(endpoint, "empty_bin", picked, {str(m.id): m.folder for m in picked})
        return picked

    def send(self, endpoint: str, to: list[str], subject: str, body: str, **origin: int | None) -> Message:
        with self._lock:
            message = Message(
                id=max(self.messages, default=0) + 1,
                folder="sent",
                sender_name=OWNER_NAME,
                sender_address=OWNER_ADDRESS,
                to=to,
                subject=subject,
                body_html="".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in body.split("\n\n")),
                date=datetime.now(UTC),
            )
            self.messages[message.id] = message
            self.changes.record(
                endpoint, "send", after={"id": message.id, "to": to, "subject": subject, "body": body, **origin}
            )
        return message

    def _record(self, endpoint: str, what: str, picked: list[Message], before: dict[str, Any], **after: Any) -> None:
        touched = {"ids": [m.id for m in picked], "subjects": [m.subject for m in picked], **after}
        self.changes.record(endpoint, what, before=before, after=touched)
