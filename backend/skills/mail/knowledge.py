"""What Deputy knows of webmail of the Demo Mail kind: how to undo its changes, which writes are harmless.

Undo is learnt from the request the site actually received (attributed by the write gate), not from what
the model meant to do, so it undoes exactly what happened.
"""

import json
import re
from typing import Any

from backend.browser.gate import KnownWrite

_MESSAGES = re.compile(r"^(?P<base>(?:https?://[^/]+)?/mb/[^/]+/api)/messages/(?P<verb>[a-z-]+)$")

# The inverse request of each reversible change: archive is undone by moving back to the inbox, trash by
# restoring, spam by "not spam", a label by taking it off, and star / read marks by their opposite.
_INVERSE: dict[str, tuple[str, dict[str, Any]]] = {
    "archive": ("move", {"label": "Inbox"}),
    "trash": ("restore", {}),
    "spam": ("not-spam", {}),
}

_MAILBOX_PAGE = re.compile(r"^https?://[^/]+/mb/[^/]+/")


def is_mailbox_page(url: str) -> bool:
    return _MAILBOX_PAGE.match(url) is not None


KNOWN_WRITES = [
    KnownWrite(
        "POST",
        re.compile(r"^/mb/[^/]+/api/messages/mark$"),
        "opening a message marks it read",
        site=is_mailbox_page,
    ),
]


def undo_for(method: str, url: str, body: str | None) -> dict[str, Any] | None:
    """The site_request that undoes this change, or None if it cannot be undone."""
    match = _MESSAGES.match(url.split("?", 1)[0])
    if method != "POST" or match is None or body is None:
        return None
    try:
        sent = json.loads(body)
    except ValueError:
        return None
    ids = sent.get("ids") if isinstance(sent, dict) else None
    if not isinstance(ids, list) or not ids:
        return None
    verb, base = match["verb"], match["base"]
    if verb in _INVERSE:
        path, extra = _INVERSE[verb]
        return {"method": "POST", "url": f"{base}/messages/{path}", "body": {"ids": ids, **extra}}
    if verb == "label" and isinstance(sent.get("label"), str):
        return {"method": "POST", "url": f"{base}/messages/unlabel", "body": {"ids": ids, "label": sent["label"]}}
    if verb == "star" and isinstance(sent.get("starred"), bool):
        return {"method": "POST", "url": f"{base}/messages/star", "body": {"ids": ids, "starred": not sent["starred"]}}
    if verb == "mark" and isinstance(sent.get("read"), bool):
        return {"method": "POST", "url": f"{base}/messages/mark", "body": {"ids": ids, "read": not sent["read"]}}
    return None
