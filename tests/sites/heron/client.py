"""What tests read from a running Heron: its change log and mailbox, through the test-only routes."""

from typing import Any

from tests import web


def reset(url: str) -> None:
    """Back to the seed with an empty change log."""
    web.post(f"{url}/_test/reset").raise_for_status()


def changes(url: str, since: int = 0) -> list[dict[str, Any]]:
    """Every state change since the last reset: seq, endpoint, what, before, after (ids, subjects...)."""
    response = web.get(f"{url}/_test/changes", params={"since": since})
    response.raise_for_status()
    return list(response.json()["changes"])


def conversations(url: str) -> list[dict[str, Any]]:
    """The mailbox now: id, folder, subject, sender, unread, flagged for every conversation."""
    response = web.get(f"{url}/_test/conversations")
    response.raise_for_status()
    return list(response.json()["conversations"])
