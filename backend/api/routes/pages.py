"""Deputy's own pages: approvals (for people without the extension, and for the tray's menu) and costs.

They are plain files; everything they show comes from the same authenticated API as the extension's
popup, with the same cards. A page pairs like the extension does (a one-time code, then a token pinned
to its origin) and keeps the token in its own storage. The cards are the extension's own modules.
"""

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from backend.api.deps import not_found

router = APIRouter(tags=["pages"], include_in_schema=False)

STATIC = Path(__file__).resolve().parent.parent / "static"
EXTENSION = Path(__file__).resolve().parents[3] / "extension"
OWN_FILES = {"page.html", "page.js", "page.css"}
EXTENSION_FILES = {
    "options/rules.js",
    "popup/cards.js",
    "popup/popup.css",
    "shared/api.js",
    "shared/describe.js",
    "shared/digest.js",
    "shared/dom.js",
    "shared/format.js",
    "shared/messages.js",
    "shared/results.js",
    "shared/theme.css",
}
MEDIA = {".js": "text/javascript", ".css": "text/css", ".html": "text/html"}
# The page holds a token: no framing (clickjacking), no scripts or connections but Deputy's own.
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' blob:; connect-src 'self' ws://127.0.0.1:* ws://localhost:*; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    ),
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def _file(path: Path) -> FileResponse:
    if not path.is_file():
        raise not_found(f"Page file {path.name!r}")
    return FileResponse(path, media_type=MEDIA.get(path.suffix, "application/octet-stream"), headers=HEADERS)


@router.get("/approvals")
def approvals_page() -> FileResponse:
    return _file(STATIC / "page.html")


@router.get("/costs")
def costs_page() -> FileResponse:
    return _file(STATIC / "page.html")


@router.get("/ui/{name}")
def own_file(name: str) -> FileResponse:
    if name not in OWN_FILES:
        raise not_found(f"Page file {name!r}")
    return _file(STATIC / name)


@router.get("/ui/extension/{folder}/{name}")
def extension_file(folder: str, name: str) -> FileResponse:
    if f"{folder}/{name}" not in EXTENSION_FILES:
        raise not_found(f"Page file {name!r}")
    return _file(EXTENSION / folder / name)
