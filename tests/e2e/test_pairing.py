"""Pairing through the options page, with a real code, and every way it can go wrong."""

import json
import socket
from collections.abc import Iterator

import httpx
import pytest
from playwright.async_api import expect

from backend.servers import ThreadedServer
from tests import web
from tests.e2e.conftest import EXTENSION_ORIGIN, Chrome, api, impostor_on, pair_in_options, save_look
from tests.live import Deputy


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def impostor() -> Iterator[tuple[ThreadedServer, list[str]]]:
    with impostor_on() as found:
        yield found


async def test_pairing_with_a_real_code_connects(chrome: Chrome, deputy: Deputy) -> None:
    page = await pair_in_options(chrome, deputy)
    stored = await chrome.worker.evaluate("chrome.storage.local.get('pairing')")
    assert stored["pairing"]["port"] == deputy.port
    # The server pinned the extension's origin to the token it issued.
    clients = (await api(deputy, "GET", "/api/clients")).json()
    assert [c["origin"] for c in clients if c["kind"] == "extension"] == [EXTENSION_ORIGIN]
    await expect(page.get_by_role("button", name="Unpair this browser")).to_be_visible()
    await save_look(page, "options-paired")


async def test_wrong_code_says_so(chrome: Chrome, deputy: Deputy) -> None:
    page = await chrome.open("options/options.html")
    await page.get_by_label("Pairing code").fill("ABCD-EFGH")
    await page.get_by_label("Port").fill(str(deputy.port))
    await page.get_by_role("button", name="Pair", exact=True).click()
    await expect(page.locator("#pair-result")).to_contain_text("That code is not valid")
    await save_look(page, "options-wrong-code")
    assert await chrome.worker.evaluate("chrome.storage.local.get('pairing')") == {}


async def test_used_and_expired_codes_say_so(chrome: Chrome, deputy: Deputy) -> None:
    used = deputy.new_code()
    async with httpx.AsyncClient(verify=web.TLS) as client:
        response = await client.post(f"{deputy.url}/api/pair", json={"code": used, "client": "other"})
    assert response.status_code == 200
    page = await chrome.open("options/options.html")
    await page.get_by_label("Port").fill(str(deputy.port))
    await page.get_by_label("Pairing code").fill(used)
    await page.get_by_role("button", name="Pair", exact=True).click()
    await expect(page.locator("#pair-result")).to_contain_text("That code was already used")

    expired = deputy.new_code()
    deputy.clock.advance(11 * 60)
    await page.get_by_label("Pairing code").fill(expired)
    await page.get_by_role("button", name="Pair", exact=True).click()
    await expect(page.locator("#pair-result")).to_contain_text("That code has expired")


async def test_deputy_not_running_says_so(chrome: Chrome) -> None:
    port = free_port()
    page = await chrome.open("options/options.html")
    await page.get_by_label("Pairing code").fill("ABCD-EF23")
    await page.get_by_label("Port").fill(str(port))
    await page.get_by_role("button", name="Pair", exact=True).click()
    await expect(page.locator("#pair-result")).to_contain_text(f"Deputy is not running on port {port}")
    await expect(page.locator("#pair-result")).to_contain_text("deputy up")


async def test_refuses_a_server_that_is_not_deputy(chrome: Chrome, impostor: tuple[ThreadedServer, list[str]]) -> None:
    server, seen = impostor
    page = await chrome.open("options/options.html")
    await page.get_by_label("Pairing code").fill("ABCD-EF23")
    await page.get_by_label("Port").fill(str(server.port))
    await page.get_by_role("button", name="Pair", exact=True).click()
    await expect(page.locator("#pair-result")).to_contain_text(f"Port {server.port} answers, but not as Deputy")
    # It asked who was there, and sent the code nowhere.
    assert seen == ["GET /api/health"]


async def test_server_refuses_an_unpaired_extension(chrome: Chrome, deputy: Deputy) -> None:
    url = json.dumps(deputy.url + "/api/state")
    token = json.dumps(deputy.local_token)
    # Even holding a valid token, a POST from the unpaired extension's origin is refused.
    status = await chrome.worker.evaluate(
        f"fetch({url}, {{method: 'POST', headers: {{'Authorization': 'Bearer ' + {token}, "
        "'Content-Type': 'application/json'}, body: '{\"paused\": true}'}).then(r => r.status)"
    )
    assert status == 403
    assert (await api(deputy, "GET", "/api/state")).json()["paused"] is False


async def test_unpairing_revokes_the_token(chrome: Chrome, deputy: Deputy) -> None:
    page = await pair_in_options(chrome, deputy)
    await page.get_by_role("button", name="Unpair this browser").click()
    await page.get_by_role("button", name="Unpair", exact=True).click()
    await expect(page.locator("#pair-result")).to_contain_text("Deputy revoked its token")
    await expect(page.locator("#connection")).to_contain_text("Not paired yet")
    clients = (await api(deputy, "GET", "/api/clients")).json()
    assert all(c["revoked_at"] for c in clients if c["kind"] == "extension")
    status = await chrome.worker.evaluate(
        f"fetch({json.dumps(deputy.url + '/api/state')}, {{method: 'POST', body: '{{}}'}}).then(r => r.status)"
    )
    assert status == 403
