"""Trips in the popup with the real extension: trips from mail listed with their flight, local departure,
passengers and booking code; "Check in" on Demo Air run by Deputy's agent (the scripted model) with both
approvals given in the popup, the progress shown, and the boarding pass links once Deputy saves them; the
notifications when a window opens and when passes are saved; and refusals said in words."""

import asyncio
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Locator, Page, expect

from backend.servers import ThreadedServer
from backend.skills.checkin.trips import TripFacts, keep_trip, offer_due
from backend.traveller.profile import Profile
from backend.traveller.vault import Vault
from tests import web
from tests.e2e.conftest import Chrome, api, pair_in_options, until
from tests.integration.checkin.pilot import Pilot
from tests.integration.checkin.test_demo_air import REN, YUKI
from tests.live import Deputy, start_deputy
from tests.model_server import ModelServer

pytestmark = pytest.mark.slow

SLOW_MS = 90_000  # a whole check-in by the agent in a real Chromium on a shared machine


@pytest.fixture
def model() -> Iterator[ModelServer]:
    with ModelServer([]) as server:
        yield server


@pytest.fixture
def agent(tmp_path: Path, model: ModelServer) -> Iterator[Deputy]:
    with start_deputy(
        tmp_path / "data", anthropic_api_key="test-key", anthropic_base_url=model.base_url, model="claude-sonnet-4-6"
    ) as server:
        yield server


def add_trip(deputy: Deputy, code: str, airline: str, flight: str, hours_away: float, passengers: list[str]) -> int:
    departs = deputy.clock.now() + timedelta(hours=hours_away)
    facts = TripFacts(code=code, airline=airline, flight=flight, departs=departs, passengers=passengers)
    trip = keep_trip(deputy.ctx.engine, facts, f"{airline}\nYour booking", deputy.clock.now())
    assert trip.id is not None
    return trip.id


async def local_departure(popup: Page, deputy: Deputy, trip_id: int) -> str:
    """The departure as the popup's browser writes it in its own time zone."""
    trips = (await api(deputy, "GET", "/api/trips")).json()
    departs = next(t["departs_at"] for t in trips if t["id"] == trip_id)
    options = "{weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit'}"
    return str(await popup.evaluate(f"new Date({departs!r}).toLocaleString(undefined, {options})"))


def trip_item(popup: Page, code: str) -> Locator:
    return popup.locator("#trips li.trip", has_text=code)


async def approve_in_popup(popup: Page, containing: str) -> None:
    card = popup.locator("article.card", has_text=containing)
    await expect(card).to_be_visible(timeout=SLOW_MS)
    await card.get_by_role("button", name="Approve").click()
    await expect(card).to_have_count(0, timeout=SLOW_MS)


async def notified(chrome: Chrome, notification_id: str) -> bool:
    return notification_id in await chrome.worker.evaluate("chrome.notifications.getAll()")


async def test_a_trip_from_mail_is_checked_in_from_the_popup_and_its_boarding_passes_linked(
    chrome: Chrome, agent: Deputy, model: ModelServer, air_server: ThreadedServer
) -> None:
    async with httpx.AsyncClient(verify=web.TLS) as client:
        (await client.post(f"{air_server.url}/_test/reset")).raise_for_status()
    Vault(agent.settings.data_dir).save(Profile(traveller=YUKI, companions=[REN]))
    model.set_script(Pilot("FM5W6C", passengers=2))
    trip_id = add_trip(agent, "FM5W6C", "Demo Air", "DA 233", 20, ["Yuki Nakamura", "Ren Nakamura"])
    # A second trip unlike the first: another airline, three travellers, its window not yet open.
    add_trip(agent, "QX7P2M", "Skylark", "SK 1042", 70, ["Ana Ruiz", "Ben Ruiz", "Caro Ruiz"])
    await (await pair_in_options(chrome, agent)).close()
    popup = await chrome.popup()

    demo_air = trip_item(popup, "FM5W6C")
    await expect(demo_air).to_contain_text("Demo Air DA233")
    await expect(demo_air).to_contain_text("Yuki Nakamura, Ren Nakamura")
    await expect(demo_air).to_contain_text(f"Departs {await local_departure(popup, agent, trip_id)}")
    await expect(demo_air).to_contain_text("Check-in is open")
    skylark = trip_item(popup, "QX7P2M")
    await expect(skylark).to_contain_text("Skylark SK1042")
    await expect(skylark).to_contain_text("Ana Ruiz, Ben Ruiz, Caro Ruiz")
    await expect(skylark).to_contain_text("Check-in opens")
    await expect(skylark.get_by_role("button", name="Check in")).to_be_hidden()

    page = demo_air.get_by_label("Check-in page for Demo Air")
    await page.fill("the demo air site")
    await demo_air.get_by_role("button", name="Check in").click()
    await expect(demo_air.get_by_role("status")).to_have_text(
        "Enter the airline's check-in page, a web address starting with https://."
    )
    assert (await api(agent, "GET", "/api/tasks")).json() == []

    await page.fill(f"{air_server.url}/")
    await demo_air.get_by_role("button", name="Check in").click()
    await expect(demo_air.locator(".trip-state")).to_contain_text("Waiting for your approval", timeout=SLOW_MS)
    await approve_in_popup(popup, "dangerous goods")
    await approve_in_popup(popup, "Check in")
    await expect(demo_air.locator(".trip-state")).to_contain_text("Checked in", timeout=SLOW_MS)

    links = demo_air.get_by_role("list", name="Boarding passes").get_by_role("link")
    await expect(links).to_have_count(2, timeout=SLOW_MS)
    first = await links.first.get_attribute("href")
    assert first is not None and first.startswith("blob:")
    head = await popup.evaluate(f"fetch({first!r}).then(r => r.text()).then(t => t.slice(0, 4))")
    assert head == "%PDF"

    async with httpx.AsyncClient(verify=web.TLS) as client:
        changes = (await client.get(f"{air_server.url}/_test/changes", params={"scope": "FM5W6C"})).json()["changes"]
    assert [c["what"] for c in changes].count("checked in") == 1
    trips = (await api(agent, "GET", "/api/trips")).json()
    checked = next(t for t in trips if t["id"] == trip_id)
    assert checked["checkin_status"] == "finished"
    await until(lambda: notified(chrome, f"passes:{checked['checkin_task_id']}"), "the boarding pass notification")
    # The airline's page is remembered for its next trip, in this browser only.
    pages = await chrome.worker.evaluate("chrome.storage.local.get('checkinPages')")
    assert pages == {"checkinPages": {"demo air": f"{air_server.url}/"}}


async def test_an_opening_window_is_announced_and_a_refused_check_in_is_said_in_words(
    paired: Chrome, deputy: Deputy
) -> None:
    trip_id = add_trip(deputy, "LM4K8D", "Heronair", "HR 77", 23.5, ["Jo Blake"])
    popup = await paired.popup()
    heron = trip_item(popup, "LM4K8D")
    await expect(heron).to_contain_text("Heronair HR77")

    await asyncio.to_thread(offer_due, deputy.ctx.engine, deputy.ctx.bus, datetime.now().astimezone())
    await until(lambda: notified(paired, f"trip:{trip_id}"), "the check-in-open notification")

    # No traveller profile here, and no model key: Deputy refuses, and the popup says why, not a status code.
    await heron.get_by_label("Check-in page for Heronair").fill("http://127.0.0.1:9/checkin")
    await heron.get_by_role("button", name="Check in").click()
    status = heron.get_by_role("status")
    await expect(status).to_contain_text("Deputy could not start the check-in: ")
    said = await status.text_content() or ""
    assert "409" not in said and "Traceback" not in said and len(said) > len("Deputy could not start the check-in: ")
    assert (await api(deputy, "GET", "/api/tasks")).json() == []
    await expect(heron.get_by_role("button", name="Check in")).to_be_enabled()
