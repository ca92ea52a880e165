"""What tests read from a running Wren: its change log and mailbox, through the test-only routes."""

from typing import Any

from tests import web


def reset(url: str) -> None:
    """Back to the seed with an empty change log."""
    web.post(f"{url}/_test/reset").raise_for_status()


def changes(url: str) -> list[dict[str, Any]]:
    """Every state change since the last reset: seq, endpoint, what, before, after."""
    response = web.get(f"{url}/_test/changes")
    response.raise_for_status()
    return list(response.json()["changes"])


def messages(url: str) -> list[dict[str, Any]]:
    """The mailbox now: id, folder, sender, address, subject, date, unread for every message."""
    response = web.get(f"{url}/_test/messages")
    response.raise_for_status()
    return list(response.json()["messages"])
