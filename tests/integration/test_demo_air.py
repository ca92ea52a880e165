"""Demo Air end to end: check in as a traveller would in Chromium, and prove what happened from the site's
change log."""

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from playwright.async_api import BrowserContext, Page, expect

from backend.clock import ManualClock
from backend.demo.air.app import create_app
from backend.servers import ThreadedServer

FREE_WINDOW_SEAT = "Seat 14A, window, free"
LEGROOM_SEAT = "Seat 12A, window, extra legroom, €18.00"


@pytest.fixture
async def air(air_server: ThreadedServer, page: Page) -> str:
    """The Demo Air address, with the site back at its seed."""
    response = await page.request.post(f"{air_server.url}/_test/reset")
    assert response.ok
    return air_server.url


async def changes(page: Page, url: str) -> list[dict[str, Any]]:
    response = await page.request.get(f"{url}/_test/changes?since=0")
    assert response.ok
    return (await response.json())["changes"]


async def accept_cookies(page: Page) -> None:
    banner = page.get_by_role("region", name="Cookie consent")
    await expect(banner).to_be_visible()
    await banner.get_by_role("button", name="Accept all").click()
    await expect(banner).to_be_hidden()


async def find_booking(page: Page, url: str, code: str, last_name: str) -> None:
    await page.goto(url)
    await accept_cookies(page)
    await page.get_by_label("Booking code").fill(code)
    await page.get_by_label("Last name").fill(last_name)
    await page.get_by_role("button", name="Find booking").click()


async def enter_passport(page: Page, number: str, expiry: str, born: str) -> None:
    await page.get_by_label("Nationality").select_option(label="Portugal")
    await page.get_by_label("Passport number").fill(number)
    await page.get_by_label("Passport expiry date").fill(expiry)
    await page.get_by_label("Date of birth").fill(born)
    await page.get_by_role("button", name="Continue").click()


async def reach_seat_map(page: Page, url: str) -> None:
    """Find DQ7K2M, give a valid passport, and dismiss the checked-bag offer."""
    await find_booking(page, url, "DQ7K2M", "Rivera")
    await page.get_by_role("link", name="Start check-in").click()
    await enter_passport(page, "P4K7R2X91", "2031-06-30", "1990-04-12")
    offer = page.get_by_role("dialog", name="Add a checked bag?")
    await expect(offer).to_be_visible()
    await offer.get_by_role("button", name="No thanks").click()
    await expect(offer).to_be_hidden()


@pytest.mark.browser
async def test_full_check_in_ends_with_a_boarding_pass_to_download(
    air: str, page: Page, context: BrowserContext
) -> None:
    await page.goto(air)
    # The cookie banner sits over the form until the traveller answers it.
    await expect(page.get_by_role("region", name="Cookie consent")).to_be_visible()
    await find_booking(page, air, "dq7k2m", "rivera")
    await expect(page.get_by_role("heading", name="Your trip to Amsterdam")).to_be_visible()
    await expect(page.get_by_text("Online check-in is open")).to_be_visible()
    await page.get_by_role("link", name="Start check-in").click()
    await enter_passport(page, "P4K7R2X91", "2031-06-30", "1990-04-12")

    offer = page.get_by_role("dialog", name="Add a checked bag?")
    await expect(offer).to_be_visible()
    await offer.get_by_role("button", name="No thanks").click()
    # The seat map arrives after the page; expect waits for it.
    seat = page.get_by_role("button", name=FREE_WINDOW_SEAT)
    await expect(seat).to_be_visible()
    await seat.click()
    await expect(seat).to_have_attribute("aria-pressed", "true")
    await expect(page.locator("#seat-picks")).to_contain_text(FREE_WINDOW_SEAT)
    await page.get_by_role("button", name="Continue").click()

    # A free seat needs no payment: straight to the last step.
    await expect(page.get_by_role("heading", name="Check in", exact=True)).to_be_visible()
    await page.get_by_role("button", name="Check in", exact=True).click()
    goods = page.get_by_label("I confirm that no one on this booking is carrying dangerous goods")
    await expect(goods).to_have_attribute("aria-invalid", "true")
    await expect(
        page.get_by_text("Confirm that no one on this booking is carrying dangerous goods before")
    ).to_be_visible()
    assert [c["what"] for c in await changes(page, air)] == ["passenger details saved", "seat chosen"]

    await goods.focus()
    await page.keyboard.press("Space")
    await expect(goods).to_be_checked()
    await page.get_by_role("button", name="Check in", exact=True).click()
    await expect(page.get_by_role("heading", name="You are checked in")).to_be_visible()

    async with context.expect_page() as opened:
        await page.get_by_role("link", name="View boarding pass").click()
    boarding = await opened.value
    await expect(boarding.get_by_role("heading", name="Boarding pass")).to_be_visible()
    picture = boarding.get_by_role("img", name="Boarding pass for Alex Rivera, flight DA 417, seat 14A")
    await expect(picture).to_be_visible()
    await expect(picture).to_have_js_property("naturalWidth", 1000)

    async with boarding.expect_download() as pdf_download:
        await boarding.get_by_role("link", name="Download PDF").click()
    pdf = await pdf_download.value
    assert pdf.suggested_filename.endswith(".pdf")
    assert (await pdf.path()).read_bytes().startswith(b"%PDF-")

    async with boarding.expect_download() as png_download:
        await boarding.get_by_role("link", name="Download PNG").click()
    png = await png_download.value
    assert png.suggested_filename.endswith(".png")
    assert (await png.path()).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")

    log = await changes(page, air)
    assert [c["what"] for c in log] == ["passenger details saved", "seat chosen", "checked in"]
    assert {c["scope"] for c in log} == {"DQ7K2M"}
    details, seat_change, checked_in = log
    assert details["endpoint"] == "POST /checkin/passengers"
    assert details["after"]["passport_number"] == "P4K7R2X91"
    assert seat_change["before"]["seat"] is None
    assert seat_change["after"]["seat"] == "14A"
    assert checked_in["after"]["flight"] == "DA 417"
    assert [p["seat"] for p in checked_in["after"]["passengers"]] == ["14A"]


@pytest.mark.browser
async def test_wrong_last_name_shows_an_inline_error_and_changes_nothing(air: str, page: Page) -> None:
    await page.goto(air)
    # Keyboard only, with the cookie banner still open: the form is reachable and submits with Enter.
    await page.get_by_label("Booking code").focus()
    await page.keyboard.type("DQ7K2M")
    await page.keyboard.press("Tab")
    await expect(page.get_by_label("Last name")).to_be_focused()
    await page.keyboard.type("Smith")
    await page.keyboard.press("Enter")

    await expect(page.get_by_role("alert")).to_contain_text("We could not find that booking")
    await expect(page.get_by_label("Booking code")).to_have_value("DQ7K2M")
    await expect(page.get_by_role("link", name="Start check-in")).to_have_count(0)
    assert await changes(page, air) == []


@pytest.mark.browser
async def test_check_in_is_not_open_three_days_before_departure(air: str, page: Page) -> None:
    await find_booking(page, air, "HB4N8P", "Okafor")
    await expect(page.get_by_role("heading", name="Online check-in is not open yet")).to_be_visible()
    await expect(page.get_by_role("link", name="Start check-in")).to_have_count(0)

    status = await page.get_by_role("status").inner_text()
    opens = re.search(r"opens on (\w{3} \d{1,2} \w{3} \d{4}, \d{2}:\d{2}) UTC", status)
    departure = await page.locator("dt:text-is('Departure') + dd").inner_text()
    assert opens is not None
    moment = "%a %d %b %Y, %H:%M"
    assert datetime.strptime(departure, f"{moment} UTC") - datetime.strptime(opens[1], moment) == timedelta(hours=24)

    # The steps stay shut even when asked for directly.
    await page.goto(f"{air}/checkin/passengers")
    await expect(page).to_have_url(f"{air}/checkin/trip")
    assert await changes(page, air) == []


@pytest.mark.browser
async def test_a_paid_seat_is_only_chosen_once_payment_is_taken(air: str, page: Page) -> None:
    await reach_seat_map(page, air)
    seat = page.get_by_role("button", name=LEGROOM_SEAT)
    await expect(seat).to_be_visible()
    await seat.click()
    await expect(page.locator("#seat-total")).to_have_text("€18.00")
    await page.get_by_role("button", name="Continue").click()

    await expect(page.get_by_role("heading", name="Payment")).to_be_visible()
    assert [c["what"] for c in await changes(page, air)] == ["passenger details saved", "seat added to basket"]

    await page.get_by_label("Name on card").fill("Alex Rivera")
    await page.get_by_label("Card number").fill("4242 4242 4242 4241")
    await page.get_by_label("Expiry date").fill("09/35")
    await page.get_by_label("Security code").fill("123")
    await page.get_by_role("button", name="Pay €18.00").click()
    await expect(page.get_by_label("Card number")).to_have_accessible_description(re.compile("not valid"))
    assert "payment taken" not in [c["what"] for c in await changes(page, air)]

    await page.get_by_label("Card number").fill("4242 4242 4242 4242")
    await page.get_by_label("Security code").fill("123")
    await page.get_by_role("button", name="Pay €18.00").click()
    await expect(page.get_by_role("heading", name="Check in", exact=True)).to_be_visible()
    await expect(page.get_by_role("row", name=re.compile("Alex Rivera 12A"))).to_be_visible()

    log = await changes(page, air)
    assert [c["what"] for c in log] == [
        "passenger details saved",
        "seat added to basket",
        "payment taken",
        "seat chosen",
    ]
    payment = log[2]["after"]
    assert (payment["amount"], payment["currency"], payment["card_last4"]) == ("18.00", "EUR", "4242")
    assert log[3]["after"]["seat"] == "12A"
    assert "4242424242424242" not in json.dumps(log)


@pytest.mark.browser
async def test_passport_errors_show_inline_and_nothing_is_saved(air: str, page: Page) -> None:
    await find_booking(page, air, "DQ7K2M", "Rivera")
    await page.get_by_role("link", name="Start check-in").click()
    await enter_passport(page, "AB-12", "2020-01-31", "2091-01-01")

    number = page.get_by_label("Passport number")
    await expect(number).to_have_attribute("aria-invalid", "true")
    await expect(number).to_have_accessible_description(re.compile("6 to 9 letters and digits"))
    expiry = page.get_by_label("Passport expiry date")
    await expect(expiry).to_have_accessible_description(re.compile("expires before your flight"))
    await expect(page.get_by_label("Date of birth")).to_have_accessible_description(re.compile("in the past"))
    await expect(page.get_by_label("Nationality")).not_to_have_attribute("aria-invalid", "true")
    await expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    assert await changes(page, air) == []

    await page.goto(f"{air}/checkin/passengers")
    await expect(page.get_by_label("Passport number")).to_have_value("")
    await page.goto(f"{air}/checkin/seats")
    await expect(page).to_have_url(f"{air}/checkin/passengers")


async def test_check_in_opens_24_hours_before_departure_and_bad_input_gets_4xx() -> None:
    clock = ManualClock(datetime(2030, 3, 10, 9, 30, tzinfo=UTC))
    transport = httpx.ASGITransport(app=create_app(clock))
    async with httpx.AsyncClient(transport=transport, base_url="http://air.test") as client:
        found = await client.post("/checkin/find", data={"booking_code": "HB4N8P", "last_name": "okafor"})
        assert found.status_code == 303
        early = await client.get("/checkin/passengers")
        assert (early.status_code, early.headers["location"]) == (303, "/checkin/trip")

        clock.advance(timedelta(days=2).total_seconds() - 60)
        assert (await client.get("/checkin/passengers")).status_code == 303
        clock.advance(60)
        assert (await client.get("/checkin/passengers")).status_code == 200

        assert (await client.get("/checkin/complete")).status_code == 405
        assert (await client.post("/checkin/find", json={"booking_code": "HB4N8P"})).status_code == 415
        undecodable = await client.post(
            "/checkin/find",
            content=b"booking_code=%FF%FE",
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        assert undecodable.status_code in (400, 422)
        assert (await client.post("/checkin/seats", data={"seat_1": "99Z"})).status_code == 303
        assert (await client.get("/checkin/boarding-pass/one.png")).status_code == 422
        assert (await client.get("/_test/changes?since=-1")).status_code == 422
        assert (await client.get("/_test/changes")).json() == {"changes": []}
