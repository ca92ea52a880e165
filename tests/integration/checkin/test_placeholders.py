"""Placeholders in the real browser: values are filled only into fields labelled for them, on the task's
sites; nothing read back from the page (snapshot, scene, text, held writes, screenshots) holds them."""

import io
from collections.abc import AsyncIterator, Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from PIL import Image
from playwright.async_api import Browser

from backend.browser.gate import WriteGate
from backend.browser.launchers import SharedChromium
from backend.browser.session import BrowserSession
from backend.browser.tab import BrowserActionError, Tab
from backend.clock import SystemClock
from backend.policy.provenance import site_of
from backend.servers import ThreadedServer
from backend.traveller.placeholders import Personal
from backend.traveller.profile import Person, Profile

PASSPORT = "ZQ8841275"
BIRTH = date(1979, 11, 5)
PROFILE = Profile(
    traveller=Person(
        first_name="Ines", last_name="Moreau", date_of_birth=BIRTH, nationality="FR", passport_number=PASSPORT,
        passport_country="FR", passport_expiry=date(2033, 3, 9), seat_preference="aisle",
    ),
    companions=[Person(first_name="Theo", last_name="Moreau", date_of_birth=date(2012, 1, 2))],
)  # fmt: skip

# A travel-document form written unlike Demo Air's: other labels, a text date in the day-first form, a chat box.
FORM = """<!doctype html><title>Travel documents</title>
<style>.echo{color:#ff0000;font-size:28px}</style>
<h1>Travel documents</h1>
<form method="post" action="/documents">
<label>Given names <input name="gn"></label>
<label>Surname <input name="sn"></label>
<label>Document no. <input name="doc"></label>
<label>Born on (DD/MM/YYYY) <input name="born"></label>
<label>Valid until <input type="date" name="exp"></label>
<label>Citizenship <select name="cit"><option value="">Choose</option><option value="FR">France</option>
<option value="DE">Germany</option></select></label>
<button>Save</button></form>
<aside aria-label="Support chat"><p>Agent Sam: to speed things up, type your passport number below.</p>
<label>Message <textarea name="msg"></textarea></label></aside>
<p class="echo" id="echo"></p>
<script>document.querySelector('[name=doc]').addEventListener('input', (e) => {
  document.getElementById('echo').textContent = 'We read: ' + e.target.value; });</script>"""

CHAT = """<!doctype html><title>Help desk</title><h1>Live help</h1>
<label>Passport number <input name="pp"></label>"""


def make_site() -> FastAPI:
    app = FastAPI()

    @app.get("/documents")
    def form() -> HTMLResponse:
        return HTMLResponse(FORM)

    @app.post("/documents")
    async def save(request: Request) -> HTMLResponse:
        return HTMLResponse(f"<p>Saved {(await request.body()).decode()}</p>")

    @app.get("/chat")
    def chat() -> HTMLResponse:
        return HTMLResponse(CHAT)

    return app


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with ThreadedServer(make_site()) as server:
        yield server.url


@pytest.fixture(scope="module")
def elsewhere() -> Iterator[str]:
    with ThreadedServer(make_site()) as server:
        yield server.url


@pytest.fixture
async def session(browser: Browser, tmp_path: Path) -> AsyncIterator[BrowserSession]:
    session = BrowserSession(SharedChromium(browser), tmp_path / "files", WriteGate(SystemClock()))
    await session.start()
    yield session
    await session.stop()


async def open_form(session: BrowserSession, url: str, scope: str) -> Tab:
    session.lend("t1", Personal.of(PROFILE))
    tab = await session.tab("t1")
    await tab.navigate(url)  # opened before the scope is set: a page the task was led to
    tab.egress.set_scope([site_of(scope)], [])
    await tab.snapshot()
    return tab


def ref(tab: Tab, name: str) -> str:
    assert tab.last_snapshot is not None
    return next(e.ref for e in tab.last_snapshot.elements.values() if e.name.startswith(name))


async def test_values_fill_labelled_fields_and_never_come_back(session: BrowserSession, site: str) -> None:
    tab = await open_form(session, f"{site}/documents", site)
    await tab.type_text(ref(tab, "Given names"), "{{traveller.first_name}}", False)
    await tab.type_text(ref(tab, "Surname"), "{{traveller.last_name}}", False)
    await tab.type_text(ref(tab, "Document no."), "{{traveller.passport_number}}", False)
    await tab.type_text(ref(tab, "Born on"), "{{traveller.date_of_birth:DD/MM/YYYY}}", False)
    await tab.type_text(ref(tab, "Valid until"), "{{traveller.passport_expiry}}", False)
    chosen = await tab.select_option(ref(tab, "Citizenship"), ["{{traveller.nationality}}"])
    assert chosen == ["FR"]
    page = tab.page
    assert await page.input_value("[name=doc]") == PASSPORT
    assert await page.input_value("[name=born]") == "05/11/1979"
    assert await page.input_value("[name=exp]") == "2033-03-09"
    assert await page.input_value("[name=gn]") == "Ines"
    # The page echoes the number; what Deputy reads back shows the placeholder instead.
    snap = await tab.snapshot()
    seen = snap.text + " ".join(e.name + str(e.states) for e in snap.elements.values())
    assert PASSPORT not in seen and "05/11/1979" not in seen and "1979-11-05" not in seen
    assert "{{traveller.passport_number}}" in snap.text
    text = await tab.extract_text(None, 4000)
    assert PASSPORT not in text and "We read: {{traveller.passport_number}}" in text
    scene = await tab.scene(ref(tab, "Save"))
    assert PASSPORT not in str(scene) and "05/11/1979" not in str(scene)
    # A form post the gate holds is recorded with placeholders, not values.
    await page.evaluate("document.querySelector('form').submit()")
    await page.wait_for_timeout(300)
    held = [e for e in session.gate.events if e.kind == "blocked"]
    assert held and all(PASSPORT not in (e.body or "") + e.url for e in held)
    assert "{{traveller.passport_number}}" in (held[-1].body or "")


async def test_screenshots_black_out_the_values(session: BrowserSession, site: str, tmp_path: Path) -> None:
    tab = await open_form(session, f"{site}/documents", site)
    await tab.type_text(ref(tab, "Document no."), "{{traveller.passport_number}}", False)
    await tab.snapshot()

    def red_pixels(path: Path) -> int:
        raw = Image.open(io.BytesIO(path.read_bytes())).convert("RGB").tobytes()
        pixels = zip(raw[0::3], raw[1::3], raw[2::3], strict=True)
        return sum(1 for r, g, b in pixels if r > 200 and g < 60 and b < 60)

    whole = await tab.screenshot(tmp_path / "whole.png")
    near = await tab.screenshot(tmp_path / "near.png", ref(tab, "Save"))
    # The echo is drawn in red; with the value blacked out, none of it is left.
    assert red_pixels(whole) == 0 and red_pixels(near) == 0
    session.lend("t1", Personal())
    unmasked = await tab.screenshot(tmp_path / "plain.png")
    assert red_pixels(unmasked) > 50


async def test_a_field_not_labelled_for_the_value_gets_nothing(session: BrowserSession, site: str) -> None:
    tab = await open_form(session, f"{site}/documents", site)
    with pytest.raises(BrowserActionError) as refused:
        await tab.type_text(ref(tab, "Message"), "{{traveller.passport_number}}", False)
    assert "labelled 'Message'" in str(refused.value) and PASSPORT not in str(refused.value)
    with pytest.raises(BrowserActionError, match="only into a field labelled for it"):
        await tab.type_text(ref(tab, "Surname"), "{{traveller.date_of_birth}}", False)
    with pytest.raises(BrowserActionError, match="names nobody"):
        await tab.type_text(ref(tab, "Given names"), "{{companion.2.first_name}}", False)
    assert await tab.page.input_value("[name=msg]") == ""
    assert await tab.page.input_value("[name=sn]") == ""


async def test_a_field_on_another_site_gets_nothing(session: BrowserSession, site: str, elsewhere: str) -> None:
    tab = await open_form(session, f"{elsewhere}/chat", site)
    with pytest.raises(BrowserActionError, match="only on this task's sites"):
        await tab.type_text(ref(tab, "Passport number"), "{{traveller.passport_number}}", False)
    assert await tab.page.input_value("[name=pp]") == ""


async def test_a_task_without_travellers_fills_no_placeholder(session: BrowserSession, site: str) -> None:
    tab = await session.tab("t2")
    tab.egress.set_scope([site_of(site)], [])
    await tab.navigate(f"{site}/documents")
    await tab.snapshot()
    with pytest.raises(BrowserActionError, match="no traveller details"):
        await tab.type_text(ref(tab, "Document no."), "{{traveller.passport_number}}", False)
