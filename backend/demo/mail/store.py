"""Demo Mail's state: independent mailboxes, each a set of messages and the changes a user can make.

Every method that changes a mailbox returns what the messages looked like before and after, so the API
can write both to the change log. The app serves from one event loop and these methods never await, so
a change is never interleaved with another.
"""

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from backend.clock import Clock
from backend.demo.mail.message import (
    DRAFT,
    INBOX,
    SENT,
    SPAM,
    STARRED,
    TRASH,
    Address,
    Message,
)
from backend.demo.mail.search import Query

TRASH_RETENTION = timedelta(days=30)

# The left navigation, in order: view id -> title.
SYSTEM_VIEWS = {
    "inbox": "Inbox",
    "starred": "Starred",
    "sent": "Sent",
    "drafts": "Drafts",
    "all": "All Mail",
    "spam": "Spam",
    "trash": "Trash",
}

LabelSnapshot = dict[str, list[str]]


class MailError(Exception):
    """A request the mailbox cannot carry out; `status` is the HTTP status the API answers with."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


@dataclass
class LabelChange:
    before: LabelSnapshot = field(default_factory=dict)
    after: LabelSnapshot = field(default_factory=dict)

    @property
    def ids(self) -> list[str]:
        return list(self.after)


def _labels(message: Message) -> list[str]:
    return sorted(message.labels)


class Mailbox:
    def __init__(
        self,
        box_id: str,
        owner: Address,
        created_at: datetime,
        messages: Iterable[Message],
        user_labels: Iterable[str],
        newsletters: dict[str, str],
    ) -> None:
        self.id = box_id
        self.owner = owner
        self.created_at = created_at
        self.messages = {m.id: m for m in messages}
        self.user_labels = sorted(user_labels)
        self.newsletters = newsletters
        self.unsubscribed: set[str] = set()
        self._undo: dict[str, LabelSnapshot] = {}

    # Reading

    def get(self, message_id: str) -> Message:
        message = self.messages.get(message_id)
        if message is None:
            raise MailError(404, f"No message with id '{message_id}' in this mailbox.")
        return message

    def require(self, ids: Iterable[str]) -> list[Message]:
        """All the messages or an error: a request naming one unknown id changes nothing at all."""
        return [self.get(i) for i in dict.fromkeys(ids)]

    def check_label(self, label: str) -> str:
        for known in self.user_labels:
            if known.lower() == label.lower():
                return known
        raise MailError(404, f"No label named '{label}'. Labels: {', '.join(self.user_labels)}.")

    def view_filter(self, view: str, label: str | None = None) -> Callable[[Message], bool]:
        def live(m: Message) -> bool:
            return not m.labels & {TRASH, SPAM}

        match view:
            case "inbox":
                return lambda m: INBOX in m.labels and live(m)
            case "starred":
                return lambda m: STARRED in m.labels and live(m)
            case "sent":
                return lambda m: SENT in m.labels and TRASH not in m.labels
            case "drafts":
                return lambda m: DRAFT in m.labels and TRASH not in m.labels
            case "all":
                return lambda m: DRAFT not in m.labels and live(m)
            case "spam":
                return lambda m: SPAM in m.labels and TRASH not in m.labels
            case "trash":
                return lambda m: TRASH in m.labels
            case "label":
                name = self.check_label(label or "")
                return lambda m: name in m.labels and live(m)
        raise MailError(404, f"No view named '{view}'. Views: {', '.join([*SYSTEM_VIEWS, 'label'])}.")

    def listing(self, view: str, label: str | None = None, query: Query | None = None) -> list[Message]:
        """Newest first; a search ignores the view, since it carries its own scope (in:, label:)."""
        keep = query.matches if query is not None else self.view_filter(view, label)
        found = [m for m in self.messages.values() if keep(m)]
        return sorted(found, key=lambda m: m.date, reverse=True)

    def navigation(self) -> list[dict[str, object]]:
        """The left navigation with the counts a webmail shows: unread for most, the total for Drafts."""
        entries: list[dict[str, object]] = []
        for view, title in SYSTEM_VIEWS.items():
            count = 0
            if view == "drafts":
                count = len(self.listing(view))
            elif view in ("inbox", "spam"):
                count = sum(m.unread for m in self.listing(view))
            entries.append({"view": view, "name": title, "kind": "system", "unread": count})
        for name in self.user_labels:
            unread = sum(m.unread for m in self.listing("label", name))
            entries.append({"view": "label", "label": name, "name": name, "kind": "user", "unread": unread})
        return entries

    # Changing

    def relabel(
        self, ids: Iterable[str], now: datetime, add: Iterable[str] = (), remove: Iterable[str] = ()
    ) -> LabelChange:
        messages = self.require(ids)
        add, remove = set(add), set(remove)
        change = LabelChange()
        for message in messages:
            new = (message.labels - remove) | add
            if new == message.labels:
                continue
            change.before[message.id] = _labels(message)
            if TRASH in new and TRASH not in message.labels:
                message.trashed_at = now
            if TRASH not in new:
                message.trashed_at = None
            message.labels = new
            change.after[message.id] = _labels(message)
        return change

    def move(self, ids: Iterable[str], label: str, now: datetime) -> LabelChange:
        """Move out of Trash and Spam into Inbox or a label; a label move leaves the Inbox, as in Gmail."""
        if label.lower() == "inbox":
            return self.relabel(ids, now, add={INBOX}, remove={TRASH, SPAM})
        return self.relabel(ids, now, add={self.check_label(label)}, remove={INBOX, TRASH, SPAM})

    def remember_undo(self, change: LabelChange) -> str | None:
        if not change.before:
            return None
        undo_id = secrets.token_hex(6)
        self._undo[undo_id] = change.before
        return undo_id

    def undo(self, undo_id: str, now: datetime) -> LabelChange:
        """Put the labels back as they were before the action; each undo works once."""
        before = self._undo.pop(undo_id, None)
        if before is None:
            raise MailError(404, "Nothing to undo: the action was already undone or is unknown.")
        change = LabelChange()
        for message_id, labels in before.items():
            message = self.messages.get(message_id)
            if message is None:
                continue
            change.before[message_id] = _labels(message)
            message.labels = set(labels)
            if TRASH not in message.labels:
                message.trashed_at = None
            change.after[message_id] = _labels(message)
        return change

    def delete_forever(self, ids: Iterable[str]) -> dict[str, dict[str, object]]:
        messages = self.require(ids)
        kept = [m for m in messages if not m.labels & {TRASH, SPAM}]
        if kept:
            raise MailError(
                409,
                f"Message '{kept[0].id}' is not in Trash or Spam; move it to Trash before deleting it forever.",
            )
        gone = {m.id: {"subject": m.subject, "from": m.sender.email, "labels": _labels(m)} for m in messages}
        for message in messages:
            del self.messages[message.id]
        return gone

    def purge_expired_trash(self, now: datetime) -> dict[str, dict[str, object]]:
        expired = [
            m.id for m in self.messages.values() if m.trashed_at is not None and now - m.trashed_at > TRASH_RETENTION
        ]
        return self.delete_forever(expired) if expired else {}

    def compose(
        self,
        now: datetime,
        to: list[Address],
        cc: list[Address],
        subject: str,
        body: str,
        in_reply_to: str | None,
        labels: set[str],
        draft_id: str | None = None,
    ) -> Message:
        """A new outgoing message (sent or draft); a given draft is replaced by it."""
        if draft_id is not None:
            draft = self.get(draft_id)
            if DRAFT not in draft.labels:
                raise MailError(409, f"Message '{draft_id}' is not a draft.")
            del self.messages[draft_id]
        message = Message(
            id=draft_id if draft_id and DRAFT in labels else secrets.token_hex(8),
            sender=self.owner,
            to=to,
            cc=cc,
            subject=subject,
            body=body,
            date=now,
            labels=labels,
            in_reply_to=in_reply_to,
        )
        self.messages[message.id] = message
        return message

    def discard_draft(self, draft_id: str) -> dict[str, object]:
        draft = self.get(draft_id)
        if DRAFT not in draft.labels:
            raise MailError(409, f"Message '{draft_id}' is not a draft.")
        del self.messages[draft_id]
        return draft.sent_record()

    def newsletter(self, list_id: str) -> str:
        name = self.newsletters.get(list_id)
        if name is None:
            raise MailError(404, f"No mailing list '{list_id}'.")
        return name


@dataclass
class Mailboxes:
    """Every mailbox the app serves, by id; `seed` builds a fresh mailbox's contents."""

    clock: Clock
    seed: Callable[[str, datetime], Mailbox]
    boxes: dict[str, Mailbox] = field(default_factory=dict)

    def create(self, box_id: str | None = None) -> Mailbox:
        box_id = box_id or secrets.token_hex(4)
        box = self.seed(box_id, self.clock.now())
        self.boxes[box_id] = box
        return box

    def get(self, box_id: str) -> Mailbox:
        box = self.boxes.get(box_id)
        if box is None:
            raise MailError(404, f"No mailbox '{box_id}'. Create one with POST /_test/mailboxes.")
        return box
