"""Demo Mail's JSON API under /mb/{box}/api: GET for every read, POST for every change.

Every successful POST is written to the change log (scope = the mailbox id) with what the messages looked
like before and after; a rejected request changes nothing and is not logged.
"""

import asyncio
from typing import Any

from fastapi import APIRouter, Query, Request

from backend.demo.mail.message import DRAFT, INBOX, SENT, SPAM, STARRED, TRASH, UNREAD
from backend.demo.mail.schemas import (
    BoxDep,
    IdsBody,
    MarkBody,
    MoveBody,
    OutgoingBody,
    SiteDep,
    StarBody,
    UndoBody,
    parse_recipients,
)
from backend.demo.mail.search import Query as SearchQuery
from backend.demo.mail.store import SYSTEM_VIEWS, LabelChange, MailError

PAGE_SIZE = 50

router = APIRouter(prefix="/mb/{box}/api")


@router.get("/labels")
async def labels(box: BoxDep) -> dict[str, Any]:
    return {"labels": box.navigation(), "owner": box.owner.to_json()}


@router.get("/messages")
async def list_messages(
    box: BoxDep,
    site: SiteDep,
    view: str = "inbox",
    label: str | None = None,
    q: str | None = Query(default=None, max_length=500),
    page: int = Query(default=1, ge=1, le=10_000),
) -> dict[str, Any]:
    query = SearchQuery.parse(q) if q and q.strip() else None
    if query is not None:
        title = f"Search results for '{query.text}'"
    elif view == "label":
        label = box.check_label(label or "")
        title = label
    else:
        title = SYSTEM_VIEWS.get(view, view)
    found = box.listing(view, label, query)
    pages = max(1, -(-len(found) // PAGE_SIZE))
    page = min(page, pages)
    start = (page - 1) * PAGE_SIZE
    shown = found[start : start + PAGE_SIZE]
    now = site.clock.now()
    return {
        "view": "search" if query else view,
        "label": label,
        "q": query.text if query else None,
        "title": title,
        "page": page,
        "pages": pages,
        "page_size": PAGE_SIZE,
        "total": len(found),
        "first": start + 1 if shown else 0,
        "last": start + len(shown),
        "messages": [m.summary(now) for m in shown],
        "ids": [m.id for m in found],
    }


@router.get("/messages/{message_id}")
async def read_message(message_id: str, box: BoxDep, site: SiteDep) -> dict[str, Any]:
    return box.get(message_id).detail(site.clock.now())


def _answer(change: LabelChange, undo_id: str | None = None) -> dict[str, Any]:
    return {"changed": change.ids, "undo_id": undo_id}


def _label_action(what: str, add: set[str], remove: set[str], undoable: bool) -> Any:
    async def action(body: IdsBody, box: BoxDep, site: SiteDep, request: Request) -> dict[str, Any]:
        change = box.relabel(body.ids, site.clock.now(), add=add, remove=remove)
        undo_id = box.remember_undo(change) if undoable else None
        site.record(request, box, what, change.before, change.after)
        return _answer(change, undo_id)

    action.__name__ = what
    return action


for path, what, add, remove, undoable in [
    ("archive", "archive", set(), {INBOX}, True),
    ("trash", "trash", {TRASH}, set(), True),
    ("restore", "restore", set(), {TRASH}, False),
    ("spam", "report_spam", {SPAM}, {INBOX}, True),
    ("not-spam", "not_spam", {INBOX}, {SPAM}, False),
]:
    router.post(f"/messages/{path}", name=what)(_label_action(what, add, remove, undoable))


@router.post("/messages/move")
async def move(body: MoveBody, box: BoxDep, site: SiteDep, request: Request) -> dict[str, Any]:
    change = box.move(body.ids, body.label, site.clock.now())
    site.record(request, box, "move", change.before, change.after)
    return _answer(change, box.remember_undo(change))


@router.post("/messages/label")
async def label(body: MoveBody, box: BoxDep, site: SiteDep, request: Request) -> dict[str, Any]:
    """ "Label as": add a user label and leave the message where it is (unlike a move)."""
    change = box.relabel(body.ids, site.clock.now(), add={box.check_label(body.label)})
    site.record(request, box, "label", change.before, change.after)
    return _answer(change, box.remember_undo(change))


@router.post("/messages/unlabel")
async def unlabel(body: MoveBody, box: BoxDep, site: SiteDep, request: Request) -> dict[str, Any]:
    change = box.relabel(body.ids, site.clock.now(), remove={box.check_label(body.label)})
    site.record(request, box, "unlabel", change.before, change.after)
    return _answer(change)


@router.post("/messages/star")
async def star(body: StarBody, box: BoxDep, site: SiteDep, request: Request) -> dict[str, Any]:
    add, remove = ({STARRED}, set()) if body.starred else (set(), {STARRED})
    change = box.relabel(body.ids, site.clock.now(), add=add, remove=remove)
    site.record(request, box, "star" if body.starred else "unstar", change.before, change.after)
    return _answer(change)


@router.post("/messages/mark")
async def mark(body: MarkBody, box: BoxDep, site: SiteDep, request: Request) -> dict[str, Any]:
    add, remove = (set(), {UNREAD}) if body.read else ({UNREAD}, set())
    change = box.relabel(body.ids, site.clock.now(), add=add, remove=remove)
    site.record(request, box, "mark_read" if body.read else "mark_unread", change.before, change.after)
    return _answer(change)


@router.post("/messages/delete-forever")
async def delete_forever(body: IdsBody, box: BoxDep, site: SiteDep, request: Request) -> dict[str, Any]:
    gone = box.delete_forever(body.ids)
    site.record(request, box, "delete_forever", gone, None)
    return {"deleted": list(gone)}


@router.post("/undo")
async def undo(body: UndoBody, box: BoxDep, site: SiteDep, request: Request) -> dict[str, Any]:
    change = box.undo(body.undo_id, site.clock.now())
    site.record(request, box, "undo", change.before, change.after)
    return _answer(change)


def _outgoing(body: OutgoingBody, box: BoxDep, sending: bool) -> dict[str, Any]:
    to = parse_recipients("To", body.to, strict=sending)
    cc = parse_recipients("Cc", body.cc, strict=sending)
    if sending and not (to or cc):
        raise MailError(422, "Add at least one recipient in To before sending.")
    for ref in (body.in_reply_to, body.forward_of):
        if ref is not None:
            box.get(ref)
    return {"to": to, "cc": cc, "subject": body.subject, "body": body.body, "in_reply_to": body.in_reply_to}


@router.post("/send")
async def send(body: OutgoingBody, box: BoxDep, site: SiteDep, request: Request) -> dict[str, Any]:
    fields = _outgoing(body, box, sending=True)
    if body.draft_id is not None:
        box.get(body.draft_id)
    # Sending takes a moment in real webmail; the client shows a spinner meanwhile.
    await asyncio.sleep(site.send_delay)
    message = box.compose(site.clock.now(), labels={SENT}, draft_id=body.draft_id, **fields)
    sent = {**message.sent_record(), "forward_of": body.forward_of, "from_draft": body.draft_id}
    site.record(request, box, "send", None, sent)
    return {"id": message.id}


@router.post("/drafts")
async def save_draft(body: OutgoingBody, box: BoxDep, site: SiteDep, request: Request) -> dict[str, Any]:
    fields = _outgoing(body, box, sending=False)
    before = box.get(body.draft_id).sent_record() if body.draft_id else None
    message = box.compose(site.clock.now(), labels={DRAFT}, draft_id=body.draft_id, **fields)
    site.record(request, box, "save_draft", before, message.sent_record())
    return {"id": message.id}


@router.post("/drafts/{draft_id}/discard")
async def discard_draft(draft_id: str, box: BoxDep, site: SiteDep, request: Request) -> dict[str, Any]:
    gone = box.discard_draft(draft_id)
    site.record(request, box, "discard_draft", gone, None)
    return {"deleted": [draft_id]}
