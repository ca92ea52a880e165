"""Triage with the Gmail profile, on a local page set that copies Gmail's inbox structure and accessible names.

The profile is picked by the page's title, since the page set is not served from Gmail's address. This
checks the profile against Gmail's public names, not against the real Gmail, which is untested.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest

from backend.servers import ThreadedServer
from backend.skills.mail.profiles import GMAIL, profile_for
from tests import web
from tests.integration.triage.conftest import add_rule, batches, ended, triage
from tests.live import start_deputy
from tests.pages.gmail.app import create_app


@pytest.fixture(scope="module")
def gmail_pages() -> Iterator[str]:
    with ThreadedServer(create_app()) as server:
        yield server.url


def changes(site: str) -> list[dict[str, object]]:
    return list(web.get(f"{site}/_test/changes").json()["changes"])


def test_triage_with_the_gmail_profile_archives_stars_and_marks_only_what_was_approved(
    tmp_path: Path, gmail_pages: str
) -> None:
    web.post(f"{gmail_pages}/_test/reset").raise_for_status()
    url = f"{gmail_pages}/mail/u/0/"
    assert profile_for(url, "Inbox (5) - ines.duarte@gmail.com - Gmail") is GMAIL
    with start_deputy(tmp_path / "data") as deputy:
        add_rule(deputy, {"match": {"sender": "The Weekly Byte"}, "action": "archive"})
        add_rule(deputy, {"match": {"sender": "Jordan Lee"}, "action": "star"})
        add_rule(deputy, {"match": {"sender": "CodeHub"}, "action": "mark_read"})
        task_id = triage(deputy, url)
        found = {b["action"]: b for b in batches(deputy, task_id, 3)}
        archive = found["archive"]["params"]["items"]
        # Three newsletters, two of them on the second page ("Older").
        assert [i["subject"] for i in archive] == [
            "Issue #42: caches that lie",
            "Issue #41: p95 lies",
            "Issue #40: queues",
        ]
        assert [i["subject"] for i in found["star"]["params"]["items"]] == ["Climbing Thursday?"]
        assert [i["subject"] for i in found["mark_read"]["params"]["items"]] == ["[search] PR #870 merged"]
        assert changes(gmail_pages) == []
        for batch in found.values():
            edits = {"edits": {"exclude": [2]}} if batch["action"] == "archive" else {}
            answer = deputy.post(f"/api/approvals/{batch['id']}/approve", edits, token=deputy.local_token)
            assert answer.status_code == 200, answer.text
        task = ended(deputy, task_id)
        assert task["status"] == "finished", task

    done = changes(gmail_pages)
    by_op: dict[str, list[str]] = {}
    for change in done:
        by_op.setdefault(str(change["what"]), []).extend(change["after"]["subjects"])  # type: ignore[index]
    assert by_op == {
        "archive": ["Issue #42: caches that lie", "Issue #41: p95 lies"],
        "star": ["Climbing Thursday?"],
        "read": ["[search] PR #870 merged"],
    }
    assert len(done) == 4  # one change per ticked item
