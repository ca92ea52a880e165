"""A real webmail (Horde IMP over Dovecot) works in our Chromium as a person would use it, and the Maildir shows
exactly what their hands did. This proves the fixture that Deputy's triage is then checked against."""

import pytest
from playwright.async_api import BrowserContext, Locator, Page, expect

from tests.sites.webmail.horde import View
from tests.sites.webmail.seed import by_key, inbox_newest_first
from tests.sites.webmail.server import Webmail

NEWEST_SUBJECTS = [m.subject for m in inbox_newest_first()]


async def open_inbox(context: BrowserContext, webmail: Webmail, view: View) -> Page:
    inbox = await webmail.log_in(context, view)
    page = await context.new_page()
    await page.goto(inbox)
    return page


async def drag(page: Page, source: Locator, target: Locator) -> None:
    """Press, move a little so the drag begins, glide to the target and let go; Horde's drag code needs the
    moves in between, which Playwright's drag_to does not make."""
    start = await source.bounding_box()
    end = await target.bounding_box()
    assert start is not None and end is not None
    x, y = start["x"] + 20, start["y"] + start["height"] / 2
    await page.mouse.move(x, y)
    await page.mouse.down()
    await page.mouse.move(x + 20, y + 5, steps=5)
    await page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=15)
    await page.mouse.up()


@pytest.mark.browser
async def test_the_dynamic_view_scrolls_a_page_and_moves_a_dragged_row(
    context: BrowserContext, webmail: Webmail
) -> None:
    before = webmail.stored()
    page = await open_inbox(context, webmail, "dynamic")
    subjects = page.locator(".msglist .vpRow .msgSubject")
    await expect(subjects.first).to_have_text(NEWEST_SUBJECTS[0])
    first_screen = await subjects.all_inner_texts()
    assert 8 <= len(first_screen) < len(NEWEST_SUBJECTS)
    assert first_screen == NEWEST_SUBJECTS[: len(first_screen)]
    await expect(page.locator(".msglist .vpRow.flagUnseen")).to_have_count(
        sum(m.unread for m in inbox_newest_first()[: len(first_screen)])
    )

    # The list draws only the rows in view; a click in the scrollbar's trough below its cursor pages down.
    trough = await page.locator(".vpScroll").bounding_box()
    cursor = await page.locator(".vpScrollCursor").bounding_box()
    assert trough is not None and cursor is not None
    await page.mouse.click(trough["x"] + trough["width"] / 2, cursor["y"] + cursor["height"] + 10)
    await expect(subjects.first).not_to_have_text(NEWEST_SUBJECTS[0])
    second_screen = await subjects.all_inner_texts()
    start = NEWEST_SUBJECTS.index(second_screen[0])
    assert start > 0
    assert second_screen == NEWEST_SUBJECTS[start : start + len(second_screen)]
    photos = by_key("mum")
    assert photos.subject in second_screen and photos.subject not in first_screen

    row = page.locator(".msglist .vpRow").filter(has_text=photos.subject)
    archive = page.locator(".imp-sidebar-mbox[title='Archive']")
    async with page.expect_response(lambda r: "/imp/moveMessages" in r.url) as moved:
        await drag(page, row, archive)
    assert (await moved.value).ok
    await expect(row).to_have_count(0)

    after = webmail.stored()
    assert after[photos.message_id] == ("Archive", photos.flags)
    assert {k: v for k, v in after.items() if k != photos.message_id} == {
        k: v for k, v in before.items() if k != photos.message_id
    }


@pytest.mark.browser
async def test_the_basic_view_pages_and_moves_a_ticked_message(context: BrowserContext, webmail: Webmail) -> None:
    before = webmail.stored()
    page = await open_inbox(context, webmail, "basic")
    subjects = page.locator("#messages a.mboxSubject")
    await expect(subjects).to_have_text(NEWEST_SUBJECTS[:20])

    await page.get_by_title("Next Page").first.click()
    await expect(subjects).to_have_text(NEWEST_SUBJECTS[20:])

    mot = by_key("car")
    await page.locator("#messages tr").filter(has_text=mot.subject).get_by_role("checkbox").check()
    await page.locator("#targetMailbox1").select_option(label="Archive")
    await page.locator("a.moveAction").first.click()
    await expect(subjects.filter(has_text=mot.subject)).to_have_count(0)

    after = webmail.stored()
    assert after[mot.message_id] == ("Archive", mot.flags)
    assert {k: v for k, v in after.items() if k != mot.message_id} == {
        k: v for k, v in before.items() if k != mot.message_id
    }


async def test_each_test_starts_from_the_seeded_mailbox(webmail: Webmail) -> None:
    stored = webmail.stored()
    assert len(stored) == 36
    assert stored[by_key("mum").message_id] == ("INBOX", "S")
    assert stored[by_key("invoice-217").message_id] == ("INBOX", "F")
    assert stored[by_key("continuity").message_id] == ("INBOX", "")
    assert stored[by_key("old-trip").message_id] == ("Archive", "S")
