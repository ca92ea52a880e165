"""The Wren app factory: its page, the JSON API the page calls, and the test-only routes."""

import threading
from html import escape
from typing import Any, Literal

from fastapi import FastAPI, HTTPException, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from backend.demo.changelog import ChangeLog
from tests.sites.wren import page
from tests.sites.wren.seed import Message, seed_messages

PER_PAGE = 10


class Picked(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ids: list[int] = Field(min_length=1, max_length=100)


class MoveBody(Picked):
    to: Literal["inbox", "archive", "trash"]


class ReadBody(Picked):
    read: bool


def _row(m: Message) -> dict[str, Any]:
    return {
        "id": m.id,
        "sender": m.sender,
        "address": m.address,
        "subject": m.subject,
        "date": m.date,
        "unread": m.unread,
    }


def create_app() -> FastAPI:
    """Wren with Lena Vogel's seeded Inbox and an empty change log."""
    app = FastAPI(title="Wren", docs_url=None, redoc_url=None, openapi_url=None)
    lock = threading.Lock()
    state: dict[str, Any] = {}

    def reset() -> None:
        with lock:
            state["messages"] = {m.id: m for m in seed_messages()}
            state["changes"] = ChangeLog()

    reset()

    def messages() -> dict[int, Message]:
        return state["messages"]

    def picked(ids: list[int]) -> list[Message]:
        missing = [i for i in ids if i not in messages()]
        if missing:
            raise HTTPException(404, f"No message {missing[0]}.")
        return [messages()[i] for i in ids]

    @app.get("/")
    def home() -> RedirectResponse:
        return RedirectResponse("/mail/", status_code=303)

    @app.get("/mail/", response_class=HTMLResponse)
    def mail() -> str:
        return page.SHELL

    @app.get("/mail/wren.js")
    def script() -> Response:
        return Response(page.SCRIPT, media_type="text/javascript")

    @app.get("/api/list")
    def listing(page: int = Query(default=0, ge=0, le=100)) -> dict[str, Any]:
        inbox = [m for m in messages().values() if m.folder == "inbox"]
        shown = inbox[page * PER_PAGE : (page + 1) * PER_PAGE]
        return {"items": [_row(m) for m in shown], "total": len(inbox)}

    def opened(message_id: int, endpoint: str) -> Message:
        # Opening a message marks it read, as webmails do, and the log says so.
        (m,) = picked([message_id])
        with lock:
            if m.unread:
                m.unread = False
                state["changes"].record(endpoint, "read", {"ids": [m.id], "unread": True}, {"ids": [m.id]})
        return m

    @app.get("/api/message/{message_id}")
    def preview(message_id: int) -> dict[str, Any]:
        return _row(opened(message_id, "GET /api/message"))

    @app.get("/mail/message/{message_id}", response_class=HTMLResponse)
    def message_page(message_id: int) -> str:
        m = opened(message_id, "GET /mail/message")
        return f"<!doctype html><title>{escape(m.subject)}</title><h1>{escape(m.subject)}</h1><p>{escape(m.sender)}</p>"

    @app.post("/api/move")
    def move(body: MoveBody) -> dict[str, Any]:
        moved = picked(body.ids)
        with lock:
            before = {m.id: m.folder for m in moved}
            for m in moved:
                m.folder = body.to
            state["changes"].record("POST /api/move", "move", {"folders": before}, {"ids": body.ids, "to": body.to})
        return {"moved": len(moved)}

    @app.post("/api/read")
    def read(body: ReadBody) -> dict[str, Any]:
        marked = picked(body.ids)
        with lock:
            for m in marked:
                m.unread = not body.read
            state["changes"].record("POST /api/read", "mark", None, {"ids": body.ids, "read": body.read})
        return {"marked": len(marked)}

    @app.get("/_test/changes")
    def changes() -> dict[str, Any]:
        return {"changes": [c.to_json() for c in state["changes"].entries()]}

    @app.get("/_test/messages")
    def everything() -> dict[str, Any]:
        return {"messages": [{**_row(m), "folder": m.folder} for m in messages().values()]}

    @app.post("/_test/reset")
    def reset_route() -> dict[str, Any]:
        reset()
        return {"messages": len(messages())}

    return app
