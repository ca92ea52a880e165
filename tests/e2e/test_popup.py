"""The popup, opened as a tab: approval cards built from the server's description, and answering them."""

import re

import pytest
from playwright.async_api import Page, expect

from backend.servers import ThreadedServer
from tests.e2e.conftest import (
    Chrome,
    Mailbox,
    api,
    approval,
    make_task,
    on_server,
    propose_archive,
    record_call,
    save_look,
    until,
)
from tests.live import Deputy

pytestmark = pytest.mark.slow


async def test_popup_shows_a_pending_approval_with_screenshot_and_cost(
    paired: Chrome, deputy: Deputy, mailbox: Mailbox
) -> None:
    assert (await api(deputy, "POST", "/api/rules", {"kind": "budget_day", "value": {"usd": 0.05}})).status_code == 201
    task = make_task(deputy, "Archive last week's newsletters", mailbox.url)
    record_call(deputy, task, input_tokens=2000, output_tokens=500)  # $0.006 + $0.0075
    approval_id = await propose_archive(deputy, mailbox, task, reason="It is the weekly newsletter you never open.")
    popup = await paired.popup()
    card = popup.locator(f'article[data-id="{approval_id}"]')
    # The card says what it changes (the action and the message it acts on), never a ref.
    await expect(card.get_by_role("heading")).to_contain_text("Archive: ")
    await expect(card.get_by_role("heading")).not_to_contain_text("e1")
    await expect(card).to_contain_text("Changes something")  # the risk badge
    await expect(card).to_contain_text("$0.0135 spent on this task so far")
    await expect(card).to_contain_text("It is the weekly newsletter you never open.")
    await expect(card).to_contain_text("Archive last week's newsletters")  # the task it belongs to
    await expect(card.locator(".expiry")).to_have_text(re.compile(r"Expires in 1[45]:\d\d"))
    screenshot = card.get_by_role("img")
    await expect(screenshot).to_have_attribute("src", re.compile(r"^blob:chrome-extension://"))
    assert await screenshot.evaluate("img => img.complete && img.naturalWidth > 0")
    await expect(popup.locator("#spend-amount")).to_have_text("$0.0135")
    await expect(popup.locator("#spend-budget")).to_have_text("of $0.05 daily budget · $0.04 left")
    await expect(popup.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "27")
    await save_look(popup, "popup-approval")


async def test_approving_in_the_popup_runs_the_action(paired: Chrome, deputy: Deputy, mailbox: Mailbox) -> None:
    approval_id = await propose_archive(deputy, mailbox)
    popup = await paired.popup()
    card = popup.locator(f'article[data-id="{approval_id}"]')
    await card.get_by_role("button", name="Approve").click()
    await expect(card).to_have_count(0)
    await expect(popup.get_by_text("Nothing needs your OK")).to_be_visible()
    # Nobody waits on this approval, so Deputy's server runs it by itself.
    assert await until(lambda: _whats_equal(mailbox, ["archive"]), "the archive in the demo mail's change log")
    assert await until(lambda: _status(deputy, approval_id, "executed"), "the approval to be recorded as run")
    done = await approval(deputy, approval_id)
    assert done["decided_by"] == "user:chrome"


async def test_rejecting_with_a_reason_stores_the_reason(paired: Chrome, deputy: Deputy, mailbox: Mailbox) -> None:
    approval_id = await propose_archive(deputy, mailbox)
    popup = await paired.popup()
    card = popup.locator(f'article[data-id="{approval_id}"]')
    await card.get_by_role("button", name="Reject…").click()
    await card.get_by_label("Why not?").fill("Keep everything from my bank")
    await card.get_by_role("button", name="Reject", exact=True).click()
    await expect(card).to_have_count(0)
    stored = await approval(deputy, approval_id)
    assert stored["status"] == "rejected"
    assert stored["decision_reason"] == "Keep everything from my bank"
    assert await mailbox.whats() == []


async def test_allow_like_this_lets_the_next_one_run(paired: Chrome, deputy: Deputy, mailbox: Mailbox) -> None:
    task = make_task(deputy, "Archive the newsletters", mailbox.url)
    approval_id = await propose_archive(deputy, mailbox, task)
    popup = await paired.popup()
    card = popup.locator(f'article[data-id="{approval_id}"]')
    await card.get_by_label("Allow like this for this task").check()
    await card.get_by_role("button", name="Approve").click()
    await until(lambda: _clicked(deputy, task), "the first archive to finish")
    # The next archive in the same task runs without asking.
    second = await _archive_next(deputy, task)
    assert second == "done"
    assert await mailbox.whats() == ["archive", "archive"]


async def test_editing_the_text_before_approving_runs_the_edited_text(
    paired: Chrome, deputy: Deputy, air_server: ThreadedServer
) -> None:
    start = air_server.url + "/"
    task = make_task(deputy, "Check in for booking DQ7K2M", start)

    async def propose() -> str:
        executor = deputy.ctx.executor
        await executor.propose(task, "navigate", {"url": start})
        snapshot = await (await deputy.ctx.browser.tab(task)).snapshot()
        field = {e.name: e.ref for e in snapshot.elements.values() if e.role == "textbox"}
        await executor.propose(task, "type_text", {"ref": field["Booking code"], "text": "DQ7K2M"})
        # Typing and pressing Enter submits the form: that asks, with the typed text shown and editable.
        params = {"ref": field["Last name"], "text": "Riviera", "submit": True}
        outcome = await executor.propose(task, "type_text", params, reason="The name on the booking.", waits=False)
        assert outcome.approval_id is not None, outcome.message
        return outcome.approval_id

    approval_id = await on_server(deputy, propose())
    popup = await paired.popup()
    card = popup.locator(f'article[data-id="{approval_id}"]')
    await expect(card).to_contain_text("Riviera")
    await card.get_by_role("button", name="Edit").click()
    text = card.get_by_label("Text to put in the field")
    await expect(text).to_be_focused()
    await text.fill("Rivera")
    await card.get_by_role("button", name="Approve").click()
    await expect(card).to_have_count(0)
    await until(lambda: _status(deputy, approval_id, "executed"), "the edited action to run")
    assert (await approval(deputy, approval_id))["params"]["text"] == "Rivera"
    # With the corrected name, the airline found the booking.
    assert await until(lambda: _tab_url_ends(deputy, task, "/checkin/trip"), "the booking to be found")


async def test_popup_is_usable_with_the_keyboard_alone(paired: Chrome, deputy: Deputy, mailbox: Mailbox) -> None:
    first = await propose_archive(deputy, mailbox)
    popup = await paired.popup()
    await expect(popup.locator(f'article[data-id="{first}"]')).to_be_visible()
    order = []
    for _ in range(12):
        await popup.keyboard.press("Tab")
        order.append(await _focused_name(popup))
    # Header controls first, then the card's controls in reading order, then "Ask Deputy to…".
    expected = ["Pause", "Costs (opens a tab)", "Settings (opens a tab)"]
    assert order[:3] == expected, order
    card_part = order[3:]
    assert card_part.index("Allow like this for this task") < card_part.index("Approve") < card_part.index("Reject…")
    assert card_part.index("Reject…") < card_part.index("Ask Deputy to…") < card_part.index("Start")
    # Reject with a reason, from the keyboard only.
    await popup.get_by_role("button", name="Reject…").focus()
    await popup.keyboard.press("Enter")
    assert await _focused_name(popup) == "Why not? (optional, Deputy reads it)"
    await popup.keyboard.type("Not this one")
    await popup.keyboard.press("Enter")
    await expect(popup.locator(f'article[data-id="{first}"]')).to_have_count(0)
    assert (await approval(deputy, first))["decision_reason"] == "Not this one"
    # Focus is not lost when the card goes away.
    assert await _focused_name(popup) != ""


async def test_empty_state(paired: Chrome) -> None:
    popup = await paired.popup()
    await expect(popup.get_by_text("Nothing needs your OK")).to_be_visible()
    await expect(popup.get_by_label("Ask Deputy to…")).to_be_visible()
    await expect(popup.locator("#conn")).to_have_text("Connected")
    await save_look(popup, "popup-empty")


async def test_pause_and_resume(paired: Chrome, deputy: Deputy) -> None:
    popup = await paired.popup()
    pause = popup.get_by_role("button", name="Pause")
    await pause.click()
    await expect(popup.get_by_role("button", name="Resume")).to_have_attribute("aria-pressed", "true")
    await expect(popup.get_by_text("Nothing runs until you resume.")).to_be_visible()
    assert (await api(deputy, "GET", "/api/state")).json()["paused"] is True
    await popup.get_by_role("button", name="Resume").click()
    await expect(popup.get_by_role("button", name="Pause")).to_have_attribute("aria-pressed", "false")
    assert (await api(deputy, "GET", "/api/state")).json()["paused"] is False


async def test_pause_elsewhere_shows_in_the_popup(paired: Chrome, deputy: Deputy) -> None:
    popup = await paired.popup()
    await expect(popup.get_by_role("button", name="Pause")).to_be_visible()
    await api(deputy, "POST", "/api/state", {"paused": True})  # from the CLI or the tray
    await expect(popup.get_by_role("button", name="Resume")).to_have_attribute("aria-pressed", "true")


async def test_ask_deputy_explains_why_a_task_cannot_start(paired: Chrome) -> None:
    popup = await paired.popup()
    await popup.get_by_label("Ask Deputy to…").fill("archive the newsletters")
    await popup.get_by_role("button", name="Start").click()
    # This Deputy has no model key: the server says so, and the popup shows it.
    await expect(popup.locator("#ask-result")).to_contain_text("ANTHROPIC_API_KEY")


async def test_unpaired_popup_leads_to_pairing(chrome: Chrome) -> None:
    popup = await chrome.popup()
    await expect(popup.get_by_role("heading", name="Connect Deputy")).to_be_visible()
    await expect(popup.get_by_role("button", name="Pair in settings")).to_be_visible()
    await save_look(popup, "popup-unpaired")


async def _status(deputy: Deputy, approval_id: str, status: str) -> bool:
    return (await approval(deputy, approval_id))["status"] == status


async def _tab_url_ends(deputy: Deputy, task_id: str, end: str) -> bool:
    async def url() -> str:
        return (await deputy.ctx.browser.tab(task_id)).url

    return (await on_server(deputy, url())).endswith(end)


async def _whats_equal(mailbox: Mailbox, expected: list[str]) -> bool:
    return await mailbox.whats() == expected


async def _clicked(deputy: Deputy, task_id: str) -> bool:
    records = (await api(deputy, "GET", f"/api/audit?task_id={task_id}")).json()
    return any(r["kind"] == "executed" and r["action"] == "click" for r in records)


async def _focused_name(page: Page) -> str:
    return await page.evaluate(
        """() => {
          const el = document.activeElement;
          if (!el || el === document.body) return "";
          const label = el.getAttribute("aria-label") || (el.labels && el.labels[0] && el.labels[0].textContent);
          return (label || el.textContent || "").trim();
        }"""
    )


async def _archive_next(deputy: Deputy, task_id: str) -> str:
    async def flow() -> str:
        tab = await deputy.ctx.browser.tab(task_id)
        executor = deputy.ctx.executor
        snapshot = await tab.snapshot()
        select = next(e.ref for e in snapshot.elements.values() if e.name == "Select" and e.role == "checkbox")
        assert (await executor.propose(task_id, "check", {"ref": select})).status == "done"
        snapshot = await tab.snapshot()
        archive = next(e.ref for e in snapshot.elements.values() if e.name == "Archive" and e.role == "button")
        return (await executor.propose(task_id, "click", {"ref": archive}, waits=False)).status

    return await on_server(deputy, flow())
