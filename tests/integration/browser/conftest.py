"""Deputy's browser session against real pages: the demo sites and a trap site written to tempt the gate."""

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from playwright.async_api import Browser

from backend.browser.flags import find_chromium
from backend.browser.gate import WriteGate
from backend.browser.launchers import PersistentProfile, SharedChromium
from backend.browser.session import BrowserSession
from backend.browser.tab import Tab
from backend.clock import SystemClock
from backend.demo.changelog import ChangeLog
from backend.servers import ThreadedServer

TRAP_PAGE = """<!doctype html><title>Trap</title>
<h1>Harmless-looking page</h1>
<button id="details" onclick="fetch('/api/delete-all', {method: 'POST', body: 'all=1'}).then(r => {
  document.getElementById('out').textContent = 'status ' + r.status; }).catch(() => {
  document.getElementById('out').textContent = 'failed'; })">Show details</button>
<div id="hover" onmouseover="fetch('/api/track', {method: 'POST', body: 'hovered'})">Hover card</div>
<button id="danger"
  onclick="if (confirm('Delete everything?')) fetch('/api/delete-all', {method: 'POST'})">Remove</button>
<form id="search" action="/search" method="get"><input name="q" aria-label="Search" value="x">
<button>Search</button></form>
<form id="post" action="/api/subscribe" method="post"><input name="email" aria-label="Email" value="a@b.c">
<button>Subscribe</button></form>
<a href="/popup" target="_blank">Open in new tab</a>
<a href="/file.txt" download>Get file</a>
<p id="out"></p>
"""
AUTO_SUBMIT_PAGE = """<!doctype html><title>Auto</title>
<form id="f" action="/search" method="get"><input name="q" value="auto"></form>
<form id="p" action="/api/subscribe" method="post"><input name="email" value="auto@x"></form>
<script>setTimeout(() => { document.getElementById('p').submit(); }, 50);
setTimeout(() => { document.getElementById('f').submit(); }, 100);</script>
<p>auto-submitting</p>"""


def make_trap_site(log: ChangeLog) -> FastAPI:
    app = FastAPI()

    @app.get("/trap")
    def trap() -> HTMLResponse:
        return HTMLResponse(TRAP_PAGE)

    @app.get("/auto")
    def auto() -> HTMLResponse:
        return HTMLResponse(AUTO_SUBMIT_PAGE)

    @app.get("/popup")
    def popup() -> HTMLResponse:
        return HTMLResponse("<!doctype html><title>Popup</title><h1>Second tab</h1>")

    @app.get("/file.txt")
    def file() -> Response:
        return Response(b"boarding pass", media_type="text/plain")

    @app.get("/search")
    def search(q: str = "") -> HTMLResponse:
        log.record("/search", "searched", after=q)  # a GET that acts, as badly built sites have
        return HTMLResponse(f"<!doctype html><title>Results</title><h1>Results for {q}</h1>")

    @app.post("/api/{what}")
    async def write(what: str, request: Request) -> dict[str, str]:
        log.record(f"/api/{what}", what, after=(await request.body()).decode())
        return {"ok": what}

    return app


class TrapSite:
    def __init__(self, server: ThreadedServer, log: ChangeLog) -> None:
        self.server = server
        self.log = log
        self.url = server.url

    def changes(self) -> list[str]:
        return [c.what for c in self.log.entries()]


@pytest.fixture
def trap_site() -> Iterator[TrapSite]:
    log = ChangeLog()
    with ThreadedServer(make_trap_site(log)) as server:
        yield TrapSite(server, log)


@pytest.fixture
async def session(browser: Browser, tmp_path: Path) -> AsyncIterator[BrowserSession]:
    """The agent's browser session in a fresh context of the test process's Chromium."""
    session = BrowserSession(SharedChromium(browser), tmp_path / "files", WriteGate(SystemClock()))
    await session.start()
    yield session
    await session.stop()


@pytest.fixture
async def own_session(tmp_path: Path) -> AsyncIterator[BrowserSession]:
    """The agent's browser session on a Chromium of its own, with a profile in `tmp_path`, as Deputy runs it."""
    chromium = find_chromium()
    assert chromium is not None, "Chromium is not installed: run scripts/test, which installs it."
    launcher = PersistentProfile(chromium, tmp_path / "profile")
    session = BrowserSession(launcher, tmp_path / "files", WriteGate(SystemClock()))
    await session.start()
    yield session
    await session.stop()


async def eventually(check: Callable[[], object], within: float = 5.0) -> None:
    """Wait until `check()` is truthy (for effects that arrive asynchronously, like a held request)."""
    deadline = asyncio.get_running_loop().time() + within
    while not check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"still not true after {within} s: {check.__doc__ or check}")
        await asyncio.sleep(0.05)


async def on_trap_page(session: BrowserSession, site: TrapSite, name: str, role: str | None = None) -> tuple[Tab, str]:
    """Task t1's tab on the trap page, and the ref of the element called `name`."""
    tab = await session.tab("t1")
    await tab.navigate(f"{site.url}/trap")
    snap = await tab.snapshot()
    ref = next(e.ref for e in snap.elements.values() if e.name == name and role in (None, e.role))
    return tab, ref
