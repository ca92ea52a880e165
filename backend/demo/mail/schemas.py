"""Request bodies of the Demo Mail JSON API, and the shared state the routes reach through `SiteDep`."""

import re
from dataclasses import dataclass
from email.utils import getaddresses
from typing import Annotated, Any

from fastapi import Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from backend.clock import Clock
from backend.demo.changelog import ChangeLog
from backend.demo.mail.message import Address
from backend.demo.mail.store import Mailbox, Mailboxes, MailError

MAX_IDS = 1000
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


@dataclass
class MailSite:
    """What every route needs: the mailboxes, the change log, the clock, and how long sending takes."""

    mailboxes: Mailboxes
    changes: ChangeLog
    clock: Clock
    send_delay: float

    def record(self, request: Request, box: Mailbox, what: str, before: Any = None, after: Any = None) -> None:
        self.changes.record(f"{request.method} {request.url.path}", what, before, after, scope=box.id)


def get_site(request: Request) -> MailSite:
    site: MailSite = request.app.state.mail
    return site


SiteDep = Annotated[MailSite, Depends(get_site)]


def get_box(box: str, request: Request, site: SiteDep) -> Mailbox:
    mailbox = site.mailboxes.get(box)
    # Trash is emptied lazily: whatever has been there longer than the retention goes when the box is used.
    purged = mailbox.purge_expired_trash(site.clock.now())
    if purged:
        site.changes.record("trash retention", "expire_trash", purged, None, scope=mailbox.id)
    return mailbox


BoxDep = Annotated[Mailbox, Depends(get_box)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IdsBody(Strict):
    ids: list[str] = Field(min_length=1, max_length=MAX_IDS, description="Message ids")


class StarBody(IdsBody):
    starred: bool


class MarkBody(IdsBody):
    read: bool


class MoveBody(IdsBody):
    label: str = Field(min_length=1, max_length=100, description="'Inbox' or a user label")


class UndoBody(Strict):
    undo_id: str = Field(min_length=1, max_length=64)


class OutgoingBody(Strict):
    to: str = Field(default="", max_length=2000, description="Comma-separated addresses")
    cc: str = Field(default="", max_length=2000)
    subject: str = Field(default="", max_length=500)
    body: str = Field(default="", max_length=100_000)
    in_reply_to: str | None = None
    forward_of: str | None = None
    draft_id: str | None = None


def parse_recipients(field: str, text: str, strict: bool = True) -> list[Address]:
    """Addresses as a user types them ('Sam <sam@x.test>, jo@y.test'), or a 422 naming the bad one.

    Drafts are not strict: a half-typed address is kept as typed, as webmail keeps it in a draft.
    """
    addresses: list[Address] = []
    for part in (p.strip() for p in text.replace(";", ",").split(",")):
        if not part:
            continue
        parsed = getaddresses([part])
        name, email = parsed[0] if len(parsed) == 1 else ("", "")
        if not _EMAIL.match(email):
            if not strict:
                addresses.append(Address("", part))
                continue
            raise MailError(422, f"'{part}' in {field} is not a valid email address.")
        addresses.append(Address(name, email))
    return addresses
