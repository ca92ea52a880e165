"""Demo Mail's HTML pages: the webmail shell, and the unsubscribe pages newsletters link to.

The shell is one static page; its script reads everything through the JSON API with paths relative to
the mailbox, so each mailbox is a separate, bookmarkable address.
"""

from html import escape
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from backend.demo.mail.schemas import BoxDep, SiteDep
from backend.demo.mail.store import Mailbox, MailError

STATIC_DIR = Path(__file__).parent / "static"

router = APIRouter()


@router.get("/", include_in_schema=False)
async def home() -> Response:
    return RedirectResponse("/mb/default/")


@router.get("/mb/{box}", include_in_schema=False)
async def mailbox_without_slash(box: BoxDep) -> Response:
    # The client's relative paths need the trailing slash.
    return RedirectResponse(f"/mb/{box.id}/")


@router.get("/mb/{box}/", response_class=HTMLResponse)
async def webmail(box: BoxDep) -> Response:
    return HTMLResponse((STATIC_DIR / "index.html").read_text(encoding="utf-8"))


def _page(title: str, content: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(
        f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="../static/unsubscribe.css"></head>
<body><main class="card">{content}</main></body></html>""",
        status_code=status,
    )


def _subscription(box: Mailbox, list_id: str) -> str:
    try:
        return box.newsletter(list_id)
    except MailError as error:
        raise MailError(404, f"{error.detail} The unsubscribe link may be out of date.") from error


@router.get("/mb/{box}/unsubscribe/{list_id}", response_class=HTMLResponse)
async def unsubscribe_page(box: BoxDep, list_id: str) -> Response:
    name = escape(_subscription(box, list_id))
    email = escape(box.owner.email)
    if list_id in box.unsubscribed:
        return _page(
            f"Unsubscribed from {name}",
            f"""<div class="brand">{name}</div>
<h1>You have been unsubscribed</h1>
<p>You won't get {name} at <b>{email}</b> any more. Changed your mind? You can subscribe again on our
website at any time.</p>
<p><a href="../">Back to Demo Mail</a></p>""",
        )
    return _page(
        f"Unsubscribe from {name}",
        f"""<div class="brand">{name}</div>
<h1>Unsubscribe</h1>
<p>Stop sending {name} to <b>{email}</b>?</p>
<p class="muted">You can subscribe again at any time.</p>
<form method="post"><button type="submit" class="confirm">Confirm unsubscribe</button></form>
<p><a href="../">Cancel and go back to Demo Mail</a></p>""",
    )


@router.post("/mb/{box}/unsubscribe/{list_id}")
async def unsubscribe(box: BoxDep, list_id: str, site: SiteDep, request: Request) -> Response:
    name = _subscription(box, list_id)
    subscribed = list_id not in box.unsubscribed
    box.unsubscribed.add(list_id)
    site.record(
        request,
        box,
        "unsubscribe",
        {"list": list_id, "name": name, "subscribed": subscribed},
        {"list": list_id, "name": name, "subscribed": False},
    )
    # Post/redirect/get: reloading the confirmation page must not send the request again.
    return RedirectResponse(request.url.path, status_code=303)


def not_found_page(detail: str) -> HTMLResponse:
    return HTMLResponse(
        f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not found</title></head>
<body style="font-family:system-ui,sans-serif;margin:48px;color:#202124">
<h1 style="font-weight:400">Not found</h1><p>{escape(detail)}</p><p><a href="/">Go to Demo Mail</a></p>
</body></html>""",
        status_code=404,
    )
