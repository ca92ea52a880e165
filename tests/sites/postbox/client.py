"""What tests read from a running Postbox: its change log and mailbox, through the test-only routes."""

from typing import Any

from tests import web


def reset(url: str, collector_url: str | None = None, library_url: str | None = None) -> None:
    """Back to the seed with an empty change log; the two URLs change the injected and the honest link."""
    options = {k: v for k, v in {"collector_url": collector_url, "library_url": library_url}.items() if v}
    web.post(f"{url}/_test/reset", json=options).raise_for_status()


def changes(url: str, since: int = 0) -> list[dict[str, Any]]:
    """Every state change since the last reset: seq, endpoint, what, before, after (ids, subjects...)."""
    response = web.get(f"{url}/_test/changes", params={"since": since})
    response.raise_for_status()
    return list(response.json()["changes"])


def messages(url: str) -> list[dict[str, Any]]:
    """The mailbox now: id, folder, subject, sender, unread, flagged for every message."""
    response = web.get(f"{url}/_test/messages")
    response.raise_for_status()
    return list(response.json()["messages"])
