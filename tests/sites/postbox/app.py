"""The Postbox app factory: pages, form posts that redirect, and the test-only routes."""

import json
import re
from typing import Any
from urllib.parse import parse_qsl

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from tests.sites.postbox import pages
from tests.sites.postbox.seed import DEFAULT_COLLECTOR, DEFAULT_LIBRARY
from tests.sites.postbox.store import FOLDERS, Mailbox, PostboxError

ADDRESS = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")
MAX_FORM_BYTES = 64 * 1024
# The toolbar's `op` values and what each does to the ticked messages.
MOVES = {"archive": "archive", "bin": "bin", "junk": "junk", "inbox": "inbox"}


def create_app(collector_url: str = DEFAULT_COLLECTOR, library_url: str = DEFAULT_LIBRARY) -> FastAPI:
    """Postbox with Sam Okafor's seeded mailbox.

    `collector_url` is the outside host the injected "verify" link points at; `library_url` the site of
    the honest newsletter link. Tests can change both with `POST /_test/reset`.
    """
    app = FastAPI(title="Postbox", docs_url=None, redoc_url=None, openapi_url=None)
    box = Mailbox(collector_url=collector_url, library_url=library_url)

    @app.exception_handler(PostboxError)
    async def problem(request: Request, error: PostboxError) -> Response:
        if request.url.path.startswith("/_test/"):
            return JSONResponse({"detail": error.detail}, status_code=error.status)
        return HTMLResponse(pages.problem_page(box, error.detail), status_code=error.status)

    def back_to(target: str, notice: str) -> RedirectResponse:
        box.notice = notice
        # Only paths on this site, so a posted `back` cannot send the browser elsewhere.
        local = target if target.startswith("/") and not target.startswith("//") else "/folder/inbox"
        return RedirectResponse(local, status_code=303)

    @app.get("/")
    def home() -> RedirectResponse:
        return RedirectResponse("/folder/inbox", status_code=303)

    @app.get("/folder/{name}", response_class=HTMLResponse)
    def folder(name: str) -> str:
        return pages.folder_page(box, name)

    @app.get("/search", response_class=HTMLResponse)
    def search(q: str = Query(default="", max_length=200)) -> str:
        return pages.search_page(box, q)

    @app.get("/message/{message_id}", response_class=HTMLResponse)
    def message(message_id: str) -> str:
        return pages.message_page(box, box.open(_id(message_id)))

    @app.post("/messages")
    async def act(request: Request) -> Response:
        form = await _read_form(request)
        back, op = _first(form, "back"), _first(form, "op")
        ids = [_id(v) for k, v in form if k == "id"]
        if not ids:
            return back_to(back, "Tick at least one message first.")
        if op == "flag":
            done = box.flag("POST /messages", ids)
            return back_to(back, f"Flagged {_count(done)}.")
        if op not in MOVES:
            raise PostboxError(400, "Choose what to do with the ticked messages from the toolbar.")
        done = box.move("POST /messages", ids, MOVES[op])
        return back_to(back, f"Moved {_count(done)} to {FOLDERS[MOVES[op]]}.")

    @app.post("/message/{message_id}/move")
    async def move_one(message_id: str, request: Request) -> Response:
        form = await _read_form(request)
        to = _first(form, "to")
        found = box.get(_id(message_id))
        came_from = found.folder
        box.move(f"POST /message/{found.id}/move", [found.id], to)
        return back_to(f"/folder/{came_from}", f"Moved “{found.subject}” to {FOLDERS[to]}.")

    @app.get("/bin/remove", response_class=HTMLResponse)
    def confirm_remove(request: Request) -> Response:
        # Only asks: nothing changes until the confirmation page's own POST.
        ids = [_id(v) for k, v in request.query_params.multi_items() if k == "id"]
        if not ids:
            return back_to("/folder/bin", "Tick at least one message first.")
        return HTMLResponse(pages.remove_confirm_page(box, [box.get(i) for i in ids]))

    @app.post("/bin/remove")
    async def remove(request: Request) -> Response:
        ids = [_id(v) for k, v in await _read_form(request) if k == "id"]
        done = box.remove("POST /bin/remove", ids)
        return back_to("/folder/bin", f"Removed {_count(done)} permanently.")

    @app.post("/bin/empty")
    def empty(request: Request) -> Response:
        done = box.empty_bin("POST /bin/empty")
        return back_to("/folder/bin", f"The Bin is empty: {_count(done)} removed permanently.")

    @app.get("/compose", response_class=HTMLResponse)
    def compose(reply: str | None = None, forward: str | None = None) -> str:
        if reply is not None:
            original = box.get(_id(reply))
            subject = original.subject if original.subject.startswith("Re:") else f"Re: {original.subject}"
            quoted = f"\n\nOn {original.date:%d %b %Y}, {original.sender_name} wrote:\n> {original.subject}"
            return pages.compose_page(
                box, to=original.sender_address, subject=subject, body=quoted, origin=("in_reply_to", original.id)
            )
        if forward is not None:
            original = box.get(_id(forward))
            note = (
                "\n\n---------- Forwarded message ----------\n"
                f"From: {original.sender_name}\nSubject: {original.subject}"
            )
            return pages.compose_page(
                box, subject=f"Fwd: {original.subject}", body=note, origin=("forward_of", original.id)
            )
        return pages.compose_page(box)

    @app.post("/compose")
    async def send(request: Request) -> Response:
        form = await _read_form(request)
        to_text, subject, body = _first(form, "to"), _first(form, "subject"), _first(form, "body")
        origin = {key: _id(_first(form, key)) for key in ("in_reply_to", "forward_of") if _first(form, key)}
        recipients = [part.strip() for part in re.split(r"[,;]", to_text) if part.strip()]
        bad = [r for r in recipients if not ADDRESS.match(r)]
        if not recipients or bad:
            error = f"{bad[0]!r} is not an email address." if bad else "Add at least one recipient in To."
            kept = next(iter(origin.items()), None)
            page = pages.compose_page(box, to=to_text, subject=subject, body=body, origin=kept, error=error)
            return HTMLResponse(page, status_code=422)
        box.send("POST /compose", recipients, subject, body, **origin)
        return back_to("/folder/sent", f"Message sent to {', '.join(recipients)}.")

    @app.get("/_test/changes")
    def changes(since: int = Query(default=0, ge=0)) -> dict[str, Any]:
        return {"changes": [c.to_json() for c in box.changes.entries(since=since)]}

    @app.get("/_test/messages")
    def messages() -> dict[str, Any]:
        listed = sorted(box.messages.values(), key=lambda m: m.id)
        return {
            "messages": [
                {
                    "id": m.id,
                    "folder": m.folder,
                    "subject": m.subject,
                    "sender": m.sender_address,
                    "unread": m.unread,
                    "flagged": m.flagged,
                }
                for m in listed
            ]
        }

    @app.post("/_test/reset")
    async def reset(request: Request) -> dict[str, Any]:
        raw = await request.body()
        try:
            options = json.loads(raw) if raw.strip() else {}
        except ValueError as exc:
            raise PostboxError(400, "Send the reset options as JSON, or nothing.") from exc
        urls = {"collector_url", "library_url"}
        if (
            not isinstance(options, dict)
            or set(options) - urls
            or not all(isinstance(v, str) for v in options.values())
        ):
            raise PostboxError(400, "Reset takes only collector_url and library_url, each a URL.")
        box.reset(options.get("collector_url"), options.get("library_url"))
        return {"messages": len(box.messages), "collector_url": box.collector_url}

    return app


async def _read_form(request: Request) -> list[tuple[str, str]]:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in ("", "application/x-www-form-urlencoded"):
        raise PostboxError(415, "Send the form as the page does (application/x-www-form-urlencoded).")
    raw = await request.body()
    if len(raw) > MAX_FORM_BYTES:
        raise PostboxError(413, "The form is too large.")
    try:
        return parse_qsl(raw.decode("utf-8"), keep_blank_values=True)
    except (UnicodeDecodeError, ValueError) as exc:
        raise PostboxError(400, "The form could not be read.") from exc


def _first(form: list[tuple[str, str]], key: str) -> str:
    return next((v for k, v in form if k == key), "")


def _id(text: str) -> int:
    if not text.isdigit() or len(text) > 9:
        raise PostboxError(404, "That message is no longer in your mailbox.")
    return int(text)


def _count(messages: list[Any]) -> str:
    return f"{len(messages)} message{'s' if len(messages) != 1 else ''}"
