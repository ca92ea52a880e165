"""The Heron app factory: one page drawn by its script, a JSON API it calls, and the test-only routes."""

import re
from typing import Any, TypeVar

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tests.sites.heron import page
from tests.sites.heron.seed import FOLDERS, OWNER_ADDRESS, OWNER_NAME
from tests.sites.heron.store import HeronError, Mailbox, card

ADDRESS = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")
PAGE_SIZE = 20
Body = TypeVar("Body", bound=BaseModel)


class Picked(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ids: list[int] = Field(min_length=1, max_length=200)


class MoveBody(Picked):
    to: str = Field(max_length=60)


class MarkBody(Picked):
    read: bool


class FlagBody(Picked):
    flagged: bool


class SendBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    to: str = Field(max_length=500)
    subject: str = Field(max_length=300)
    body: str = Field(max_length=20000)


async def _body(request: Request, model: type[Body]) -> Body:
    try:
        return model.model_validate_json(await request.body())
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "body"
        raise HeronError(422, f"{where}: {first['msg']}") from None


def create_app() -> FastAPI:
    """Heron with Ines Duarte's seeded mailbox."""
    app = FastAPI(title="Heron", docs_url=None, redoc_url=None, openapi_url=None)
    box = Mailbox()

    @app.exception_handler(HeronError)
    async def problem(request: Request, error: HeronError) -> Response:
        return JSONResponse({"detail": error.detail}, status_code=error.status)

    @app.get("/")
    def home() -> RedirectResponse:
        return RedirectResponse("/mail/", status_code=303)

    @app.get("/mail/", response_class=HTMLResponse)
    def mail() -> str:
        return page.SHELL.replace("__OWNER__", f"{OWNER_NAME} &lt;{OWNER_ADDRESS}&gt;")

    @app.get("/mail/heron.js")
    def script() -> Response:
        return Response(page.script(), media_type="text/javascript")

    @app.get("/api/folders")
    def folders() -> dict[str, Any]:
        listed = [{"key": k, "name": n, "parent": p, "unread": box.unread(k)} for k, (n, p) in FOLDERS.items()]
        return {"folders": listed}

    @app.get("/api/conversations")
    def conversations(
        folder: str = Query(default="inbox", max_length=60),
        offset: int = Query(default=0, ge=0, le=10000),
        limit: int = Query(default=PAGE_SIZE, ge=1, le=100),
    ) -> dict[str, Any]:
        inside = box.folder(folder)
        return {"items": [card(c) for c in inside[offset : offset + limit]], "total": len(inside)}

    @app.get("/api/conversations/{conversation_id}")
    def conversation(conversation_id: int) -> dict[str, Any]:
        c = box.get(conversation_id)
        return {**card(c), "address": c.address, "body": c.body}

    @app.post("/api/conversations/{conversation_id}/open")
    def opened(conversation_id: int) -> dict[str, Any]:
        return card(box.opened(conversation_id))

    @app.post("/api/conversations/move")
    async def move(request: Request) -> dict[str, Any]:
        sent = await _body(request, MoveBody)
        return {"moved": len(box.move("POST /api/conversations/move", sent.ids, sent.to))}

    @app.post("/api/conversations/read")
    async def mark(request: Request) -> dict[str, Any]:
        sent = await _body(request, MarkBody)
        return {"marked": len(box.mark("POST /api/conversations/read", sent.ids, sent.read))}

    @app.post("/api/conversations/flag")
    async def flag(request: Request) -> dict[str, Any]:
        sent = await _body(request, FlagBody)
        return {"flagged": len(box.flag("POST /api/conversations/flag", sent.ids, sent.flagged))}

    @app.post("/api/bin/empty")
    def empty() -> dict[str, Any]:
        return {"removed": len(box.empty_bin("POST /api/bin/empty"))}

    @app.post("/api/send")
    async def send(request: Request) -> dict[str, Any]:
        sent = await _body(request, SendBody)
        recipients = [p.strip() for p in re.split(r"[,;]", sent.to) if p.strip()]
        bad = [r for r in recipients if not ADDRESS.match(r)]
        if not recipients or bad:
            raise HeronError(422, f"{bad[0]!r} is not an email address." if bad else "Add a recipient.")
        return {"id": box.send("POST /api/send", recipients, sent.subject, sent.body).id}

    @app.get("/_test/changes")
    def changes(since: int = Query(default=0, ge=0)) -> dict[str, Any]:
        return {"changes": [c.to_json() for c in box.changes.entries(since=since)]}

    @app.get("/_test/conversations")
    def everything() -> dict[str, Any]:
        listed = sorted(box.conversations.values(), key=lambda c: c.id)
        return {
            "conversations": [
                {
                    "id": c.id,
                    "folder": c.folder,
                    "subject": c.subject,
                    "sender": c.sender,
                    "unread": c.unread,
                    "flagged": c.flagged,
                }
                for c in listed
            ]
        }

    @app.post("/_test/reset")
    def reset() -> dict[str, Any]:
        box.reset()
        return {"conversations": len(box.conversations)}

    return app
