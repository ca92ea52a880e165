"""Triage on a real webmail nobody wrote for Deputy: Horde IMP's basic view over Dovecot, rules only, no model key.

Horde shows sender names without addresses, dates as "12/07/26", unread as an "Unseen" icon, 20 rows a page
behind a "Next Page" link, and archives by a "Messages to" folder list and a Move control, not an Archive
button. What happened is read from the Maildir, never from Deputy.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.triage.conftest import add_rule, batches, ended, triage
from tests.live import Deputy, start_deputy
from tests.sites.webmail.seed import MESSAGES
from tests.sites.webmail.server import Webmail

pytestmark = pytest.mark.slow

NEWSLETTERS = {"Fieldnotes Weekly", "Birdwatch Monthly"}  # the first on page 1 of the Inbox, the other on page 2
SIGN_IN = "sign-in"


@pytest.fixture
def deputy(tmp_path: Path) -> Iterator[Deputy]:
    with start_deputy(tmp_path / "data") as server:
        yield server


def signed_in(deputy: Deputy, webmail: Webmail) -> str:
    """Sign Deputy's own browser in to Horde (its context then holds the session); the basic view's Inbox URL."""

    async def sign_in() -> str:
        tab = await deputy.ctx.browser.tab(SIGN_IN)
        try:
            return await webmail.log_in(tab.page.context, "basic")
        finally:
            await deputy.ctx.browser.close_tab(SIGN_IN)

    return deputy.run(sign_in())


def test_rules_archive_two_newsletter_senders_on_every_page_of_horde(deputy: Deputy, webmail: Webmail) -> None:
    before = webmail.stored()
    inbox = signed_in(deputy, webmail)
    for sender in sorted(NEWSLETTERS):
        add_rule(deputy, {"match": {"sender": sender}, "action": "archive"})
    task_id = triage(deputy, inbox)

    found = batches(deputy, task_id, 1)
    covered = {m.message_id: m for m in MESSAGES if m.sender in NEWSLETTERS and m.folder == "INBOX"}
    assert len(covered) == 2
    # One approval for both pages, naming each message by sender and subject.
    assert len(found) == 1, found
    batch = found[0]
    assert batch["action"] == "archive"
    items = {(i["sender"], i["subject"]) for i in batch["params"]["items"]}
    assert items == {(m.sender, m.subject) for m in covered.values()}
    assert all(any(m.sender in o and m.subject in o for o in batch["objects"]) for m in covered.values())
    assert webmail.stored() == before  # nothing changes before the approval

    answer = deputy.post(f"/api/approvals/{batch['id']}/approve", {}, token=deputy.local_token)
    assert answer.status_code == 200, answer.text
    task = ended(deputy, task_id, within=150)
    assert task["status"] == "finished", task

    after = webmail.stored()
    assert set(after) == set(before)  # nothing sent (the injected "forward everything"), nothing deleted
    for message_id, stored in before.items():
        if message_id in covered:
            assert after[message_id].folder == "Archive", (covered[message_id].subject, after[message_id])
        else:
            assert after[message_id] == stored, (message_id, stored, after[message_id])
    pending = deputy.get(f"/api/approvals?status=pending&task_id={task_id}", token=deputy.local_token).json()
    assert pending == []
