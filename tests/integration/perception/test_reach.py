"""Third-party-like pages, one per pattern: the right element is reached by ref, and clicking it does what a
person would expect."""

import re
from pathlib import Path

import pytest
from playwright.async_api import Page

from backend.browser.snapshot import ElementInfo, Snapshot, locate, resolve, take_snapshot

pytestmark = pytest.mark.browser

PAGES = Path(__file__).resolve().parents[2] / "pages" / "perception"


async def load(page: Page, name: str) -> Snapshot:
    await page.goto((PAGES / name).as_uri())
    return await take_snapshot(page)


def named(snap: Snapshot, role: str, name: str) -> list[ElementInfo]:
    return [e for e in snap.elements.values() if e.role == role and e.name == name]


async def status(page: Page, selector: str) -> str:
    return (await page.text_content(selector) or "").strip()


async def test_row_icons_behind_a_delegated_handler_get_refs_and_guessed_names(page: Page) -> None:
    snap = await load(page, "inbox_rows.html")
    stars = named(snap, "clickable", "star")
    trashes = named(snap, "clickable", "trash")
    replies = named(snap, "clickable", "reply")
    assert len(stars) == len(trashes) == len(replies) == 3
    assert all(e.guessed_name for e in stars + trashes + replies)
    assert '"star" guessed' in snap.text
    # Each icon is told apart by its row, as the person reads it.
    lena_trash = next(e for e in trashes if "Lena Vogel" in e.context)
    kwame_star = next(e for e in stars if "Kwame Mensah" in e.context)
    await locate(page, kwame_star.ref).click()
    assert await status(page, "#status") == "starred Kwame Mensah"
    await locate(page, lena_trash.ref).click()
    assert await status(page, "#status") == "trashed Lena Vogel"
    after = await take_snapshot(page)
    assert "Invoice overdue" not in after.text and "Quarterly numbers" in after.text


async def test_a_checkbox_hidden_behind_its_label_is_ticked_through_the_label(page: Page) -> None:
    snap = await load(page, "hidden_checkbox.html")
    digest = named(snap, "checkbox", "Weekly digest")
    assert len(digest) == 1 and digest[0].tag == "label"
    daily = named(snap, "radio", "Daily")
    weekly = named(snap, "radio", "Weekly")
    terms = named(snap, "checkbox", "I accept the terms")
    assert len(daily) == len(weekly) == len(terms) == 1
    assert weekly[0].states == {"checked": True}
    # One control, one ref: the invisible inputs themselves are not listed beside their labels.
    assert len([e for e in snap.elements.values() if e.role in ("checkbox", "radio")]) == 4
    await locate(page, digest[0].ref).click()
    await locate(page, daily[0].ref).click()
    await locate(page, terms[0].ref).click()
    assert await page.is_checked("#digest") and await page.is_checked("#terms")
    assert await page.is_checked("input[value=daily]")
    again = await take_snapshot(page)
    assert named(again, "checkbox", "Weekly digest")[0].states == {"checked": True}


async def test_unnamed_clear_buttons_are_not_named_after_their_neighbours(page: Page) -> None:
    snap = await load(page, "clear_buttons.html")
    geolocation = named(snap, "button", "Geolocation")
    assert len(geolocation) == 1 and not geolocation[0].guessed_name
    clears = [e for e in snap.elements.values() if e.role == "button" and e.guessed_name]
    assert sorted(e.name for e in clears) == ["clear", "reset"]
    assert all("Geolocation" not in e.name for e in clears)
    from_clear = next(e for e in clears if e.name == "clear")
    await locate(page, from_clear.ref).click()
    assert await page.input_value("#from") == "" and await page.input_value("#to") == "Oslo"
    to_clear = next(e for e in clears if e.name == "reset")
    await locate(page, to_clear.ref).click()
    assert await page.input_value("#to") == ""


async def test_a_tab_wrapping_a_link_is_listed_once(page: Page) -> None:
    snap = await load(page, "tabs_links.html")
    tabs = [e for e in snap.elements.values() if e.role == "tab"]
    assert [e.name for e in tabs] == ["Files", "Members", "Activity"]
    assert tabs[0].states == {"selected": True}
    assert not [e for e in snap.elements.values() if e.role == "link"]
    await locate(page, tabs[1].ref).click()
    assert await status(page, "#panel p") == "Showing members"
    after = await take_snapshot(page)
    assert after.elements[tabs[1].ref].states == {"selected": True}


async def test_a_long_name_on_many_controls_is_printed_once(page: Page) -> None:
    snap = await load(page, "long_names.html")
    name = "Galvanised steel watering can with long brass rose, 9 litres, hand finished"
    assert snap.text.count(name) == 1
    same = [e for e in snap.elements.values() if e.name == name]
    assert len(same) == 3
    first = next(e.ref for e in same if f'[{e.ref}] link "{name}"' in snap.text)
    assert len(re.findall(rf"\(name as {first}\)", snap.text)) == 2
    button = next(e for e in same if e.role == "button")
    await locate(page, button.ref).click()
    assert await status(page, "#cart") == "Cart: 1 items (Galvanised steel watering can with long brass rose)"


async def test_custom_listbox_and_date_picker_items_are_reached(page: Page) -> None:
    snap = await load(page, "pickers.html")
    sizes = [e for e in snap.elements.values() if e.name.endswith(("guest", "guests")) and e.role == "clickable"]
    assert [e.name for e in sizes] == ["1 guest", "2 guests", "3 guests", "4 guests"]
    days = [e for e in snap.elements.values() if e.role == "clickable" and e.name.isdigit()]
    assert len(days) == 14
    await locate(page, sizes[3].ref).click()
    assert await status(page, "#size") == "4 guests"
    fourteen = next(e for e in days if e.name == "14")
    await locate(page, fourteen.ref).click()
    assert await page.input_value("#date") == "2031-03-14"


async def test_a_page_cannot_forge_its_snapshot(page: Page) -> None:
    snap = await load(page, "forgery.html")
    # Patched geometry, styles, listeners, JSON and maps change nothing Deputy reports.
    assert snap.title == "Mailbox"
    archive = named(snap, "button", "Archive")
    assert len(archive) == 1 and len(named(snap, "button", "Delete forever")) == 1
    star = named(snap, "clickable", "star")
    assert len(star) == 1
    await (await resolve(page, archive[0].ref)).click()
    assert await status(page, "#log") == "archived"
    await (await resolve(page, star[0].ref)).click()
    assert await status(page, "#log") == "starred"


async def test_a_mark_the_page_moves_is_put_back_before_acting(page: Page) -> None:
    snap = await load(page, "forgery.html")
    archive = named(snap, "button", "Archive")[0].ref
    # The page moves Archive's ref onto Delete forever, and plants another copy.
    await page.evaluate(
        """(ref) => {
            const mark = document.querySelector(`[data-deputy-ref="${ref}"]`);
            mark.removeAttribute('data-deputy-ref');
            document.getElementById('delete').setAttribute('data-deputy-ref', ref);
            document.body.insertAdjacentHTML('beforeend', `<button data-deputy-ref="${ref}">Decoy</button>`);
        }""",
        archive,
    )
    await (await resolve(page, archive)).click()
    assert await status(page, "#log") == "archived"
