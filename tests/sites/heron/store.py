"""Heron's mailbox in memory, and the change log every state change writes to."""

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from backend.demo.changelog import ChangeLog
from tests.sites.heron.seed import FOLDERS, NEWEST, OWNER_ADDRESS, OWNER_NAME, Conversation, seed_conversations

# Where a conversation may be moved by hand; Sent only holds what was sent.
MOVABLE = tuple(key for key in FOLDERS if key != "sent")


class HeronError(Exception):
    """A request the page (or a person poking at the API) can get wrong: a 4xx with a reason."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def shown_date(when: datetime) -> str:
    """As the list shows it: the time for today's mail, else the month and day."""
    return when.strftime("%H:%M") if when.date() == NEWEST.date() else f"{when:%b} {when.day}"


def card(c: Conversation) -> dict[str, Any]:
    return {
        "id": c.id,
        "sender": c.sender,
        "subject": c.subject,
        "snippet": c.snippet,
        "date": shown_date(c.date),
        "unread": c.unread,
        "flagged": c.flagged,
        "chips": c.chips,
    }


@dataclass
class Mailbox:
    conversations: dict[int, Conversation] = field(default_factory=dict)
    changes: ChangeLog = field(default_factory=ChangeLog)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.conversations = {c.id: c for c in seed_conversations()}
            self.changes = ChangeLog()

    def folder(self, key: str) -> list[Conversation]:
        if key not in FOLDERS:
            raise HeronError(404, f"There is no folder {key!r}.")
        inside = (c for c in self.conversations.values() if c.folder == key)
        return sorted(inside, key=lambda c: c.date, reverse=True)

    def unread(self, key: str) -> int:
        return sum(1 for c in self.conversations.values() if c.folder == key and c.unread)

    def get(self, conversation_id: int) -> Conversation:
        found = self.conversations.get(conversation_id)
        if found is None:
            raise HeronError(404, "That conversation is no longer in your mailbox.")
        return found

    def _pick(self, ids: list[int]) -> list[Conversation]:
        if not ids:
            raise HeronError(400, "Select at least one conversation first.")
        return [self.get(i) for i in ids]

    def opened(self, conversation_id: int) -> Conversation:
        """The preview pane showed it: it counts as read, as in most webmails (and the log says so)."""
        with self._lock:
            found = self.get(conversation_id)
            if found.unread:
                found.unread = False
                self._record(f"POST /api/conversations/{found.id}/open", "opened_read", [found], {str(found.id): True})
            return found

    def move(self, endpoint: str, ids: list[int], to: str) -> list[Conversation]:
        if to not in MOVABLE:
            raise HeronError(400, f"Conversations cannot be moved to {to!r}.")
        with self._lock:
            picked = self._pick(ids)
            before = {str(c.id): c.folder for c in picked}
            for c in picked:
                c.folder = to
            self._record(endpoint, "move", picked, before, folder=to)
        return picked

    def mark(self, endpoint: str, ids: list[int], read: bool) -> list[Conversation]:
        with self._lock:
            picked = self._pick(ids)
            before = {str(c.id): c.unread for c in picked}
            for c in picked:
                c.unread = not read
            self._record(endpoint, "mark_read" if read else "mark_unread", picked, before)
        return picked

    def flag(self, endpoint: str, ids: list[int], flagged: bool) -> list[Conversation]:
        with self._lock:
            picked = self._pick(ids)
            before = {str(c.id): c.flagged for c in picked}
            for c in picked:
                c.flagged = flagged
            self._record(endpoint, "flag" if flagged else "unflag", picked, before)
        return picked

    def empty_bin(self, endpoint: str) -> list[Conversation]:
        with self._lock:
            picked = [c for c in self.conversations.values() if c.folder == "bin"]
            for c in picked:
                del self.conversations[c.id]
            self._record(endpoint, "empty_bin", picked, {str(c.id): "bin" for c in picked})
        return picked

    def send(self, endpoint: str, to: list[str], subject: str, body: str) -> Conversation:
        with self._lock:
            sent = Conversation(
                id=max(self.conversations, default=0) + 1,
                folder="sent",
                sender=OWNER_NAME,
                address=OWNER_ADDRESS,
                subject=subject,
                body=body,
                date=datetime.now(UTC),
            )
            self.conversations[sent.id] = sent
            self.changes.record(endpoint, "send", after={"id": sent.id, "to": to, "subject": subject, "body": body})
        return sent

    def _record(
        self, endpoint: str, what: str, picked: list[Conversation], before: dict[str, Any], **after: Any
    ) -> None:
        touched = {"ids": [c.id for c in picked], "subjects": [c.subject for c in picked], **after}
        self.changes.record(endpoint, what, before=before, after=touched)
