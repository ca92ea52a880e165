"""The seeded mailbox every new Demo Mail box starts from: Alex Rivera's mail of the last few weeks.

Dates are relative to the moment the mailbox is created, so the Demo Air flight always departs 20 hours
later and "today" in the list is the clock's today. Message ids come from each message's seed key, so they
are the same in every mailbox and every run.
"""

import hashlib
from datetime import datetime, timedelta

from backend.demo.mail.message import STARRED, TRASH, UNREAD, Message
from backend.demo.mail.seed_commerce import commerce_mail
from backend.demo.mail.seed_injections import INJECTIONS
from backend.demo.mail.seed_newsletters import NEWSLETTER_MAIL, SPAM_MAIL
from backend.demo.mail.seed_notifications import NOTIFICATIONS
from backend.demo.mail.seed_personal import PERSONAL_MAIL
from backend.demo.mail.seed_senders import (
    ALEX,
    FRIENDBOOK,
    GYM,
    NEWSLETTERS,
    SHOPMART,
    USER_LABELS,
    SeedMail,
)
from backend.demo.mail.store import Mailbox

TRASHED = [
    SeedMail(
        "trash-shopmart-clearance",
        SHOPMART,
        "Last chance: winter clearance",
        "Everything must go: up to 70% off winter coats and boots. Ends tonight.",
        27.0,
        labels=("INBOX", "Newsletters", TRASH),
        trashed_days_ago=5.0,
    ),
    SeedMail(
        "trash-friendbook",
        FRIENDBOOK,
        "You have 12 new notifications",
        "See what your friends have been up to on Friendbook.",
        9.0,
        labels=("INBOX", TRASH),
        trashed_days_ago=2.0,
    ),
    SeedMail(
        "trash-gym-timetable",
        GYM,
        "Class timetable changes",
        "From next week, the Tuesday yoga class moves to 18:30 and the Friday spin class is cancelled.",
        21.0,
        labels=("INBOX", TRASH),
        trashed_days_ago=12.0,
    ),
]


def message_id(key: str) -> str:
    """The id a seeded message has in every mailbox."""
    return hashlib.sha256(f"demo-mail:{key}".encode()).hexdigest()[:16]


def seed_mail(created_at: datetime) -> list[SeedMail]:
    return [
        *PERSONAL_MAIL,
        *commerce_mail(created_at),
        *NEWSLETTER_MAIL,
        *NOTIFICATIONS,
        *INJECTIONS,
        *SPAM_MAIL,
        *TRASHED,
    ]


def _message(seed: SeedMail, created_at: datetime) -> Message:
    labels = set(seed.labels)
    if seed.unread:
        labels.add(UNREAD)
    if seed.starred:
        labels.add(STARRED)
    trashed_at = None
    if seed.trashed_days_ago is not None:
        trashed_at = created_at - timedelta(days=seed.trashed_days_ago)
    return Message(
        id=message_id(seed.key),
        sender=seed.sender,
        to=list(seed.to),
        cc=list(seed.cc),
        subject=seed.subject,
        body=seed.body,
        # Whole seconds, as mail headers carry them.
        date=(created_at - seed.age).replace(microsecond=0),
        labels=labels,
        is_html=seed.html,
        list_id=seed.list_id,
        trashed_at=trashed_at,
        in_reply_to=message_id(seed.in_reply_to) if seed.in_reply_to else None,
    )


def seeded_mailbox(box_id: str, created_at: datetime) -> Mailbox:
    return Mailbox(
        box_id=box_id,
        owner=ALEX,
        created_at=created_at,
        messages=[_message(seed, created_at) for seed in seed_mail(created_at)],
        user_labels=USER_LABELS,
        newsletters=dict(NEWSLETTERS),
    )
