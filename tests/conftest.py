"""Shared fixtures: a real Chromium through async Playwright, and the demo sites on free loopback ports."""

from collections.abc import AsyncIterator, Iterator

import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright

from backend.browser.flags import CHROMIUM_ARGS, find_chromium
from backend.servers import ThreadedServer


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    chromium = find_chromium()
    if chromium is None:
        pytest.fail("Chromium is not installed: run scripts/test, which installs it.")
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS, headless=True)
        yield browser
        await browser.close()


@pytest.fixture
async def context(browser: Browser) -> AsyncIterator[BrowserContext]:
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    yield context
    await context.close()


@pytest.fixture
async def page(context: BrowserContext) -> Page:
    return await context.new_page()


def _serve(app: object) -> Iterator[ThreadedServer]:
    with ThreadedServer(app) as server:
        yield server


@pytest.fixture(scope="session")
def mail_server() -> Iterator[ThreadedServer]:
    from backend.demo.mail.app import create_app

    yield from _serve(create_app())


@pytest.fixture(scope="session")
def air_server() -> Iterator[ThreadedServer]:
    from backend.demo.air.app import create_app

    yield from _serve(create_app())


@pytest.fixture(scope="session")
def deploy_server() -> Iterator[ThreadedServer]:
    from backend.demo.deploy.app import create_app

    yield from _serve(create_app())


@pytest.fixture(scope="session")
def postbox_server() -> Iterator[ThreadedServer]:
    """Postbox, a plain server-rendered webmail unlike Demo Mail; reset it with POST /_test/reset."""
    from tests.sites.postbox.app import create_app

    yield from _serve(create_app())


@pytest.fixture(scope="session")
def heron_server() -> Iterator[ThreadedServer]:
    """Heron, a script-drawn webmail of cards, a folder tree and a preview pane; reset it with POST /_test/reset."""
    from tests.sites.heron.app import create_app

    yield from _serve(create_app())
