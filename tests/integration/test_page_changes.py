"""Waiting for a page to change, as a replay does for a target that arrives late: in a real Chromium, counted
in Deputy's own world, with Deputy's marks left out and a change between two looks never missed."""

import pytest
from playwright.async_api import Page

from backend.browser.snapshot import page_changes, take_snapshot

pytestmark = pytest.mark.browser

LONG_S = 30.0  # a wait that ends only if the change is missed, which the result then shows

SEAT_MAP = '<main><p>Loading your seats…</p><div id="map"></div></main>'
# The page's script draws the seat map a moment later. It is started once Deputy has noted the page's version:
# on a busy machine a timer set with the page could fire before that, and the wait would rightly see nothing new.
SEATS_ARRIVE = """setTimeout(() => {
  document.getElementById("map").innerHTML = '<button type="button">Seat 4C</button>';
}, 300)"""


async def test_a_node_added_a_moment_later_ends_the_wait(page: Page) -> None:
    await page.set_content(SEAT_MAP)
    _, version = await page_changes(page, None, 0)
    await page.evaluate(SEATS_ARRIVE)
    changed, now = await page_changes(page, version, LONG_S)
    assert changed and now > version
    snapshot = await take_snapshot(page)
    assert any(e.role == "button" and e.name == "Seat 4C" for e in snapshot.elements.values())


async def test_deputys_own_marks_are_not_a_change(page: Page) -> None:
    await page.set_content("<main><a href='#a'>One</a><button>Two</button><input aria-label='Three'></main>")
    _, version = await page_changes(page, None, 0)
    await take_snapshot(page)  # marks each element it lists
    await take_snapshot(page)
    changed, now = await page_changes(page, version, 0)
    assert not changed and now == version


async def test_a_change_made_before_the_wait_began_is_reported_at_once(page: Page) -> None:
    # The race a replay has: the page changes while Deputy is still reading the look that missed.
    await page.set_content("<main><h1>Your booking</h1><p id='state'>Checking…</p></main>")
    _, version = await page_changes(page, None, 0)
    await page.evaluate("document.getElementById('state').textContent = 'Ready'")
    changed, _ = await page_changes(page, version, LONG_S)
    assert changed


async def test_a_new_document_is_a_change(page: Page) -> None:
    await page.set_content("<main><p>First page</p></main>")
    _, version = await page_changes(page, None, 0)
    await page.goto("data:text/html,<main><p>Second page</p></main>")
    changed, _ = await page_changes(page, version, LONG_S)
    assert changed


async def test_a_page_that_replaces_its_mutation_observer_cannot_hide_a_change(page: Page) -> None:
    # Unlike Demo Air's seat map: a feed that redraws one text node and has patched the observer in its world.
    await page.set_content(
        """
        <script>window.MutationObserver = function () { return { observe() {}, disconnect() {} }; };</script>
        <section aria-label="Deploys"><ol><li>build 41 <span id="s">running</span></li></ol></section>
        """
    )
    _, version = await page_changes(page, None, 0)
    # The page's own script redraws the text once Deputy has noted the version, as SEATS_ARRIVE does.
    await page.evaluate('setTimeout(() => { document.getElementById("s").firstChild.data = "passed"; }, 200)')
    changed, _ = await page_changes(page, version, LONG_S)
    assert changed
    assert "passed" in (await take_snapshot(page)).text


async def test_a_quiet_page_ends_the_wait_unchanged(page: Page) -> None:
    await page.set_content("<main><p>Nothing moves here.</p></main>")
    _, version = await page_changes(page, None, 0)
    assert await page_changes(page, version, 0.3) == (False, version)
