"""The service worker: the badge, keyboard shortcuts, and surviving Chrome stopping it or Deputy restarting."""

from pathlib import Path

import pytest
from playwright.async_api import expect

from tests.e2e.conftest import (
    Chrome,
    Mailbox,
    WorkerSwitch,
    api,
    approval,
    impostor_on,
    make_task,
    pair_in_options,
    propose_archive,
    record_call,
    save_look,
    until,
)
from tests.live import Deputy, start_deputy

pytestmark = pytest.mark.slow

RED = [217, 48, 37, 255]


async def badge_is(chrome: Chrome, text: str) -> bool:
    return await chrome.badge() == text


async def notifications(chrome: Chrome) -> list[str]:
    return list((await chrome.worker.evaluate("chrome.notifications.getAll()")).keys())


async def test_badge_counts_pending_approvals_then_shows_spend(
    paired: Chrome, deputy: Deputy, mailbox: Mailbox
) -> None:
    task = make_task(deputy, "Tidy my inbox", mailbox.url)
    record_call(deputy, task, input_tokens=40_000, output_tokens=20_000)  # $0.12 + $0.30
    await until(lambda: badge_is(paired, "$0.42"), "the badge to show today's spend")
    first = await propose_archive(deputy, mailbox, task)
    await until(lambda: badge_is(paired, "1"), "the badge to count one approval")
    assert await paired.worker.evaluate("chrome.action.getBadgeBackgroundColor({})") == RED
    deputy.clock.advance(1)
    second = await propose_archive(deputy, mailbox)
    await until(lambda: badge_is(paired, "2"), "the badge to count two approvals")
    # Answered elsewhere (the CLI): the badge follows the server.
    for approval_id in (first, second):
        await api(deputy, "POST", f"/api/approvals/{approval_id}/reject", {})
    await until(lambda: badge_is(paired, "$0.42"), "the badge to go back to the spend")


async def test_a_notification_announces_each_new_approval(paired: Chrome, deputy: Deputy, mailbox: Mailbox) -> None:
    approval_id = await propose_archive(deputy, mailbox)
    await until(lambda: _has_notification(paired, f"approval:{approval_id}"), "a notification for the new approval")
    await api(deputy, "POST", f"/api/approvals/{approval_id}/reject", {})
    await until(lambda: _no_notification(paired, f"approval:{approval_id}"), "the answered one to be withdrawn")


async def test_clicking_an_approval_notification_opens_the_popup(
    paired: Chrome, deputy: Deputy, mailbox: Mailbox
) -> None:
    approval_id = await propose_archive(deputy, mailbox)
    await until(lambda: _has_notification(paired, f"approval:{approval_id}"), "the approval's notification")
    await paired.worker.evaluate(f"chrome.notifications.onClicked.dispatch('approval:{approval_id}')")
    await until(lambda: _popup_open(paired), "the popup to open")
    await until(lambda: _no_notification(paired, f"approval:{approval_id}"), "the clicked notification to close")


async def test_approve_shortcut_approves_the_oldest_and_says_what(
    paired: Chrome, deputy: Deputy, mailbox: Mailbox
) -> None:
    oldest = await propose_archive(deputy, mailbox)
    deputy.clock.advance(5)
    newest = await propose_archive(deputy, mailbox)
    await until(lambda: badge_is(paired, "2"), "both approvals to reach the extension")
    await paired.worker.evaluate("chrome.commands.onCommand.dispatch('approve-oldest')")
    await until(lambda: _status_is(deputy, oldest, "executed"), "the oldest approval to run")
    assert (await approval(deputy, newest))["status"] == "pending"
    await until(lambda: _whats_equal(mailbox, ["archive"]), "the archive in the demo mail")
    # Nothing is approved blind: a notification says what was approved.
    await until(lambda: _has_notification(paired, "receipt:approved:"), "the 'Approved' notification")
    await until(lambda: badge_is(paired, "1"), "the badge to count the one left")


async def test_reject_shortcut_rejects_the_oldest(paired: Chrome, deputy: Deputy, mailbox: Mailbox) -> None:
    oldest = await propose_archive(deputy, mailbox)
    await until(lambda: badge_is(paired, "1"), "the approval to reach the extension")
    await paired.worker.evaluate("chrome.commands.onCommand.dispatch('reject-oldest')")
    await until(lambda: _status_is(deputy, oldest, "rejected"), "the approval to be rejected")
    assert (await approval(deputy, oldest))["decision_reason"] == "Rejected with the keyboard shortcut."
    assert await mailbox.whats() == []
    await until(lambda: _has_notification(paired, "receipt:rejected:"), "the 'Rejected' notification")


async def test_pause_shortcut_toggles(paired: Chrome, deputy: Deputy) -> None:
    await paired.worker.evaluate("chrome.commands.onCommand.dispatch('toggle-pause')")
    await until(lambda: _paused_is(deputy, True), "Deputy to pause")
    await until(lambda: _has_notification(paired, "receipt:paused:"), "the 'paused' notification")
    await paired.worker.evaluate("chrome.commands.onCommand.dispatch('toggle-pause')")
    await until(lambda: _paused_is(deputy, False), "Deputy to resume")


async def test_worker_restart_reconnects_without_losing_approvals(
    paired: Chrome, deputy: Deputy, mailbox: Mailbox
) -> None:
    first = await propose_archive(deputy, mailbox)
    await until(lambda: badge_is(paired, "1"), "the first approval to reach the extension")
    await paired.worker.evaluate("globalThis.instance = 'before the restart'")
    assert await paired.worker.evaluate("chrome.alarms.get('deputy-wake').then(a => a.periodInMinutes)") == 0.5
    async with WorkerSwitch(paired) as switch:
        await switch.stop()
        # While the worker is stopped its socket is gone; this approval is not pushed to anyone.
        deputy.clock.advance(1)
        second = await propose_archive(deputy, mailbox)
        popup = await paired.popup()  # any event wakes the worker; opening the popup is one
        await switch.running()
    assert await paired.worker.evaluate("globalThis.instance ?? 'a new instance'") == "a new instance"
    for approval_id in (first, second):
        await expect(popup.locator(f'article[data-id="{approval_id}"]')).to_be_visible()
    await until(lambda: badge_is(paired, "2"), "the badge to count both")
    # The new worker's socket is live: a new approval arrives by itself.
    deputy.clock.advance(1)
    third = await propose_archive(deputy, mailbox)
    await expect(popup.locator(f'article[data-id="{third}"]')).to_be_visible()
    await until(lambda: badge_is(paired, "3"), "the badge to count three")


async def test_deputy_restart_shows_disconnected_then_reconnects(
    chrome: Chrome, mailbox: Mailbox, tmp_path: Path
) -> None:
    data = tmp_path / "restarting"
    with start_deputy(data) as first_run:
        port = first_run.port
        page = await pair_in_options(chrome, first_run)
        pending = await propose_archive(first_run, mailbox)
        popup = await chrome.popup()
        await expect(popup.locator(f'article[data-id="{pending}"]')).to_be_visible()
    await expect(popup.get_by_role("heading", name="Deputy isn't running")).to_be_visible()
    await expect(popup.get_by_text(f"Nothing answers on port {port}")).to_be_visible()
    await expect(page.locator("#connection")).to_contain_text(f"Deputy is not answering on port {port}")
    await until(lambda: badge_is(chrome, "off"), "the badge to say Deputy is off")
    await save_look(popup, "popup-disconnected")
    with start_deputy(data, port=port) as second_run:
        # The extension retries with backoff and, once back, fetches what is pending again.
        await expect(popup.locator(f'article[data-id="{pending}"]')).to_be_visible(timeout=20_000)
        await expect(popup.locator("#conn")).to_have_text("Connected")
        await expect(page.locator("#connection")).to_contain_text(f"Connected to Deputy on port {port}")
        await api(second_run, "POST", f"/api/approvals/{pending}/reject", {"reason": "Changed my mind"})
        await expect(popup.locator(f'article[data-id="{pending}"]')).to_have_count(0)


async def test_the_token_is_never_sent_to_a_server_that_is_not_deputy(chrome: Chrome, tmp_path: Path) -> None:
    with start_deputy(tmp_path / "data") as deputy:
        port = deputy.port
        await pair_in_options(chrome, deputy)
    # Something else takes Deputy's port: the worker asks who is there, and stops at the answer.
    with impostor_on(port) as (_, seen):
        popup = await chrome.popup()
        await expect(popup.get_by_role("heading", name="That port isn't Deputy")).to_be_visible(timeout=20_000)
    assert seen
    assert set(seen) == {"GET /api/health"}


async def test_a_revoked_token_asks_to_pair_again(paired: Chrome, deputy: Deputy) -> None:
    popup = await paired.popup()
    await expect(popup.get_by_text("Nothing needs your OK")).to_be_visible()
    await api(deputy, "POST", "/api/clients/chrome/revoke")  # deputy pair --revoke chrome
    await expect(popup.get_by_role("heading", name="Pair again")).to_be_visible()
    await expect(popup.get_by_text("This browser was unpaired from Deputy.")).to_be_visible()
    await until(lambda: badge_is(paired, "off"), "the badge to say Deputy is off")


async def test_a_token_revoked_while_the_worker_slept_asks_to_pair_again(paired: Chrome, deputy: Deputy) -> None:
    async with WorkerSwitch(paired) as switch:
        await switch.stop()
        await api(deputy, "POST", "/api/clients/chrome/revoke")
        popup = await paired.popup()
        await switch.running()
    await expect(popup.get_by_role("heading", name="Pair again")).to_be_visible()
    await expect(popup.get_by_text("This browser was unpaired from Deputy.")).to_be_visible()


async def _has_notification(chrome: Chrome, prefix: str) -> bool:
    return any(n.startswith(prefix) for n in await notifications(chrome))


async def _no_notification(chrome: Chrome, prefix: str) -> bool:
    return not await _has_notification(chrome, prefix)


async def _popup_open(chrome: Chrome) -> bool:
    found = await chrome.worker.evaluate("chrome.runtime.getContexts({contextTypes: ['POPUP']})")
    return any(c["documentUrl"].endswith("/popup/popup.html") for c in found)


async def _status_is(deputy: Deputy, approval_id: str, status: str) -> bool:
    return (await approval(deputy, approval_id))["status"] == status


async def _paused_is(deputy: Deputy, paused: bool) -> bool:
    return (await api(deputy, "GET", "/api/state")).json()["paused"] is paused


async def _whats_equal(mailbox: Mailbox, expected: list[str]) -> bool:
    return await mailbox.whats() == expected
