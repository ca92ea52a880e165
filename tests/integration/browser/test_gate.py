"""The write gate in a real Chromium: nothing changes a site unless an action cleared for writes is running."""

from playwright.async_api import expect

from backend.browser.gate import Clearance
from backend.browser.session import BrowserSession
from tests.integration.browser.conftest import TrapSite, eventually, on_trap_page


def blocked(session: BrowserSession) -> list[str]:
    return [f"{e.method} {e.url.split('/', 3)[-1]}" for e in session.gate.events if e.kind == "blocked"]


async def test_harmless_looking_click_that_posts_a_deletion_is_held(
    session: BrowserSession, trap_site: TrapSite
) -> None:
    tab, ref = await on_trap_page(session, trap_site, "Show details")
    async with session.gate.cleared("t1", Clearance("a1", writes=False)):  # a read, as it looked
        await tab.click(ref)
        await tab.settle()
    await expect(tab.page.locator("#out")).to_have_text("failed")
    assert trap_site.changes() == []
    assert blocked(session) == ["POST api/delete-all"]
    event = next(e for e in session.gate.events if e.kind == "blocked")
    assert event.task_id == "t1"
    assert event.action_id == "a1"
    assert event.body == "all=1"
    assert "cleared only to read" in event.detail


async def test_write_passes_during_a_cleared_action_and_is_attributed(
    session: BrowserSession, trap_site: TrapSite
) -> None:
    tab, ref = await on_trap_page(session, trap_site, "Show details")
    async with session.gate.cleared("t1", Clearance("a2", writes=True)):
        await tab.click(ref)
        await tab.settle()
    await expect(tab.page.locator("#out")).to_have_text("status 200")
    assert trap_site.changes() == ["delete-all"]
    passed = [e for e in session.gate.events if e.kind == "passed"]
    assert [(e.action_id, e.method) for e in passed] == [("a2", "POST")]


async def test_script_firing_on_hover_with_no_action_running_is_held(
    session: BrowserSession, trap_site: TrapSite
) -> None:
    tab = await session.tab("t1")
    await tab.navigate(f"{trap_site.url}/trap")
    await tab.page.hover("#hover")
    await eventually(lambda: blocked(session) == ["POST api/track"])
    assert trap_site.changes() == []


async def test_auto_submitting_page_sends_nothing(session: BrowserSession, trap_site: TrapSite) -> None:
    tab = await session.tab("t1")
    await tab.navigate(f"{trap_site.url}/auto")
    await eventually(lambda: sorted(blocked(session)) == ["GET search?q=auto", "POST api/subscribe"])
    assert trap_site.changes() == []
    await expect(tab.page.locator("p")).to_have_text("auto-submitting")


async def test_get_form_submitted_by_a_cleared_action_goes_through(
    session: BrowserSession, trap_site: TrapSite
) -> None:
    tab, ref = await on_trap_page(session, trap_site, "Search", "button")
    async with session.gate.cleared("t1", Clearance("a3", writes=False)):
        await tab.click(ref)
        await tab.page.wait_for_url("**/search?q=x")
    assert trap_site.changes() == ["searched"]


async def test_post_form_submission_is_held_without_clearance(session: BrowserSession, trap_site: TrapSite) -> None:
    tab, ref = await on_trap_page(session, trap_site, "Subscribe")
    async with session.gate.cleared("t1", Clearance("a4", writes=False)):
        await tab.click(ref)
        await tab.settle()
    assert trap_site.changes() == []
    assert blocked(session) == ["POST api/subscribe"]


async def test_confirm_dialogs_are_dismissed_unless_accepting_was_approved(
    session: BrowserSession, trap_site: TrapSite
) -> None:
    tab, ref = await on_trap_page(session, trap_site, "Remove")
    async with session.gate.cleared("t1", Clearance("a5", writes=True)):
        await tab.click(ref)
        await tab.settle()
    dialogs = [e for e in session.gate.events if e.kind == "dialog"]
    assert [(d.method, d.detail) for d in dialogs] == [("confirm", "Delete everything? (dismissed)")]
    assert trap_site.changes() == []
    async with session.gate.cleared("t1", Clearance("a6", writes=True, accept_dialogs=True)):
        await tab.click(ref)
        await tab.settle()
    assert trap_site.changes() == ["delete-all"]
    assert [e.detail for e in session.gate.events if e.kind == "dialog"][-1] == "Delete everything? (accepted)"
