"""The real extension in a real Chromium, talking to a real Deputy server that acts on the demo sites.

Each test module has a Chromium with the unpacked extension loaded; each test starts with the extension as
just installed (one blank tab, empty storage, its worker started anew) and a fresh Deputy with its own data
folder. Pending approvals come from Deputy's executor acting on a fresh mailbox (no model), or,
in test_ask, from its agent driven by the scripted model server.
"""

import asyncio
import base64
import hashlib
import json
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from fastapi import FastAPI, Request
from playwright.async_api import BrowserContext, Page, Playwright, Worker, async_playwright, expect
from sqlmodel import Session

from backend.browser.flags import CHROMIUM_ARGS, find_chromium
from backend.ledger.pricing import Usage
from backend.servers import ThreadedServer
from backend.tasks import new_task
from tests import live, web
from tests.live import Deputy, start_deputy

# A wait in these tests ends as soon as the page shows what it waits for; the limit only decides when a wait
# has failed. Playwright's 5 s is too short for a task that launches the agent's browser and calls the model
# on two busy cores, so the limit is generous (a real failure still fails, later).
expect.set_options(timeout=30_000)

T = TypeVar("T")

EXTENSION_DIR = Path(__file__).resolve().parents[2] / "extension"
POLL_S, POLLS = 0.05, 300  # `until` checks every 50 ms, and fails after 300 checks
SCREENSHOTS = os.environ.get("DEPUTY_SCREENSHOTS")  # a folder: tests save the popup's and costs page's looks


def extension_id() -> str:
    """The id Chrome derives from the manifest's public key: SHA-256, first 32 hex digits mapped to a-p."""
    key = json.loads((EXTENSION_DIR / "manifest.json").read_text())["key"]
    digest = hashlib.sha256(base64.b64decode(key)).hexdigest()[:32]
    return "".join(chr(ord("a") + int(ch, 16)) for ch in digest)


EXTENSION_ID = extension_id()
EXTENSION_ORIGIN = f"chrome-extension://{EXTENSION_ID}"


@dataclass
class Mailbox:
    url: str

    @property
    def base(self) -> str:
        return self.url if self.url.endswith("/") else self.url + "/"

    async def whats(self) -> list[str]:
        async with httpx.AsyncClient(verify=web.TLS) as client:
            response = await client.get(f"{self.base}_test/changes")
        return [change["what"] for change in response.json()["changes"]]


@dataclass
class Chrome:
    """The user's Chromium with Deputy's extension."""

    context: BrowserContext

    @property
    def worker(self) -> Worker:
        """The extension's service worker (Chrome keeps its target across restarts, so this stays valid)."""
        workers = [w for w in self.context.service_workers if w.url.startswith(EXTENSION_ORIGIN)]
        assert workers, "the extension's service worker is not running"
        return workers[-1]

    async def open(self, path: str, width: int = 1280, height: int = 800) -> Page:
        page = await self.context.new_page()
        await page.set_viewport_size({"width": width, "height": height})
        await page.goto(f"{EXTENSION_ORIGIN}/{path}")
        return page

    async def popup(self) -> Page:
        """The popup's page, opened as a tab at the popup's size."""
        return await self.open("popup/popup.html", width=400, height=600)

    async def badge(self) -> str:
        return await self.worker.evaluate("chrome.action.getBadgeText({})")

    async def session_storage(self) -> dict[str, Any]:
        return await self.worker.evaluate("chrome.storage.session.get(null)")


async def on_server(deputy: Deputy, coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine on Deputy's loop (where its browser lives) without blocking this test's loop."""
    return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coro, deputy.ctx.loop))


async def api(deputy: Deputy, method: str, path: str, body: object = None) -> httpx.Response:
    """Deputy's API as the CLI uses it: the local token, no Origin."""
    async with httpx.AsyncClient(base_url=deputy.url, verify=web.TLS) as client:
        return await client.request(method, path, json=body, headers={"Authorization": f"Bearer {deputy.local_token}"})


async def approval(deputy: Deputy, approval_id: str) -> dict[str, Any]:
    return (await api(deputy, "GET", f"/api/approvals/{approval_id}")).json()


def make_task(deputy: Deputy, instruction: str, url: str | None = None) -> str:
    with Session(deputy.ctx.engine) as session:
        task = new_task(session, instruction, deputy.clock.now(), url=url)
        session.commit()
        return task.id


def record_call(deputy: Deputy, task_id: str, input_tokens: int, output_tokens: int, step: int = 1) -> None:
    """A model call in Deputy's ledger, as the agent records it (Sonnet: $3 in, $15 out per million)."""
    book = deputy.ctx.book
    usage = Usage(input_tokens=input_tokens, output_tokens=output_tokens)
    book.record(book.reserve(task_id, 0), "claude-sonnet-4-5", usage, step, 900, "tool_use")


async def until(check: Callable[[], Awaitable[T]], what: str) -> T:
    """Poll `check` until it returns something truthy; fail with `what` if it never does."""
    result = None
    for _ in range(POLLS):
        if result := await check():
            return result
        await asyncio.sleep(POLL_S)
    raise AssertionError(f"gave up waiting for {what} (last: {result!r})")


async def propose_archive(
    deputy: Deputy,
    mailbox: Mailbox,
    task_id: str | None = None,
    reason: str = "It is a newsletter you never open.",
) -> str:
    """A real pending approval: Deputy ticks the first message and proposes clicking Archive.

    Nobody waits on it (waits=False), so once approved the server runs it by itself.
    """
    task_id = task_id or make_task(deputy, "Tidy my inbox", mailbox.url)
    executor = deputy.ctx.executor

    async def ref(name: str, role: str) -> str:
        tab = await deputy.ctx.browser.tab(task_id)
        snapshot = await tab.snapshot()
        return next(e.ref for e in snapshot.elements.values() if e.name == name and e.role == role)

    async def flow() -> str:
        assert (await executor.propose(task_id, "navigate", {"url": mailbox.url})).status == "done"
        assert (await executor.propose(task_id, "check", {"ref": await ref("Select", "checkbox")})).status == "done"
        outcome = await executor.propose(
            task_id, "click", {"ref": await ref("Archive", "button")}, reason=reason, waits=False
        )
        assert outcome.status == "pending", outcome.message
        assert outcome.approval_id is not None
        return outcome.approval_id

    return await on_server(deputy, flow())


async def pair_in_options(chrome: Chrome, deputy: Deputy) -> Page:
    """Pair the extension the way a person does: a code from Deputy, typed into the options page."""
    page = await chrome.open("options/options.html")
    await page.get_by_label("Pairing code").fill(deputy.new_code())
    await page.get_by_label("Port").fill(str(deputy.port))
    await page.get_by_role("button", name="Pair", exact=True).click()
    await expect(page.locator("#connection")).to_contain_text(f"Connected to Deputy on port {deputy.port}")
    return page


@contextmanager
def impostor_on(port: int = 0) -> Iterator[tuple[ThreadedServer, list[str]]]:
    """A server that is not Deputy on a loopback port; it records each request, and whether it had a token."""
    seen: list[str] = []
    app = FastAPI()

    @app.api_route("/{path:path}", methods=["GET", "POST"])
    async def anything(path: str, request: Request) -> dict[str, str]:
        token = " with a token" if "authorization" in request.headers else ""
        seen.append(f"{request.method} /{path}{token}")
        return {"status": "ok", "app": "something-else"}

    with ThreadedServer(app, port=port) as server:
        yield server, seen


class WorkerSwitch:
    """Stops the extension's service worker the way Chrome does when it is idle, and sees it start again.

    A CDP session on one of the extension's own pages sees the extension's service worker registration
    (a session on a web page does not); `ServiceWorker.stopAllWorkers` then stops it. Chrome keeps the
    target id across the restart, so Playwright's Worker object evaluates in the new instance.
    """

    def __init__(self, chrome: Chrome) -> None:
        self.chrome = chrome
        self.status = ""

    async def __aenter__(self) -> "WorkerSwitch":
        self.page = await self.chrome.open("costs/costs.html")
        self.cdp = await self.chrome.context.new_cdp_session(self.page)
        self.cdp.on("ServiceWorker.workerVersionUpdated", self._seen)
        await self.cdp.send("ServiceWorker.enable")
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.cdp.detach()
        await self.page.close()

    def _seen(self, event: dict[str, Any]) -> None:
        for version in event["versions"]:
            if version["scriptURL"].startswith(EXTENSION_ORIGIN):
                self.status = version["runningStatus"]

    async def _is(self, status: str) -> bool:
        return self.status == status

    async def stop(self) -> None:
        await self.cdp.send("ServiceWorker.stopAllWorkers")
        await until(lambda: self._is("stopped"), "the service worker to stop")

    async def running(self) -> None:
        await until(lambda: self._is("running"), "the service worker to start again")

    async def start(self) -> None:
        await self.cdp.send("ServiceWorker.startWorker", {"scopeURL": f"{EXTENSION_ORIGIN}/"})
        await self.running()


async def save_look(page: Page, name: str) -> None:
    if SCREENSHOTS:  # Playwright creates the folder
        await page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


@pytest.fixture(scope="session")
async def playwright() -> AsyncIterator[Playwright]:
    async with async_playwright() as pw:
        yield pw


@pytest.fixture(autouse=True)
def deputys_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(live, "SHARED", False)


@pytest.fixture(scope="module")
async def extension_context(
    playwright: Playwright, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[BrowserContext]:
    """One Chromium with the extension for each test module; `chrome` gives each test a fresh start in it."""
    executable = find_chromium()
    if executable is None:
        pytest.fail("Chromium is not installed: run scripts/test, which installs it.")
    context = await playwright.chromium.launch_persistent_context(
        tmp_path_factory.mktemp("chrome") / "profile",
        executable_path=str(executable),
        args=[*CHROMIUM_ARGS, f"--disable-extensions-except={EXTENSION_DIR}", f"--load-extension={EXTENSION_DIR}"],
        headless=True,
    )
    if not any(w.url.startswith(EXTENSION_ORIGIN) for w in context.service_workers):
        await context.wait_for_event("serviceworker")
    yield context
    await context.close()


# Everything the extension keeps outside its worker's memory, emptied as on a fresh install.
FORGET_ALL = """Promise.all([
  chrome.storage.local.clear(), chrome.storage.session.clear(), chrome.alarms.clearAll(),
  chrome.action.setBadgeText({text: ""}), chrome.action.setTitle({title: ""}),
  chrome.notifications.getAll()
    .then((shown) => Promise.all(Object.keys(shown).map((id) => chrome.notifications.clear(id)))),
])"""


async def fresh_extension(chrome: Chrome) -> None:
    """The extension as just installed: one blank tab, its storage emptied, its worker started anew."""
    blank = await chrome.context.new_page()
    for page in chrome.context.pages:
        if page is not blank:
            await page.close()
    await chrome.worker.evaluate(FORGET_ALL)
    async with WorkerSwitch(chrome) as switch:
        await switch.stop()
        await switch.start()


@pytest.fixture
async def chrome(extension_context: BrowserContext) -> Chrome:
    chrome = Chrome(extension_context)
    assert chrome.worker.url.split("/")[2] == EXTENSION_ID
    await fresh_extension(chrome)
    return chrome


@pytest.fixture
def deputy(tmp_path: Path) -> Iterator[Deputy]:
    with start_deputy(tmp_path / "data") as server:
        yield server


@pytest.fixture
async def mailbox(mail_server: ThreadedServer) -> Mailbox:
    async with httpx.AsyncClient(verify=web.TLS) as client:
        response = await client.post(f"{mail_server.url}/_test/mailboxes")
    return Mailbox(response.raise_for_status().json()["url"])


@pytest.fixture
async def paired(chrome: Chrome, deputy: Deputy) -> Chrome:
    page = await pair_in_options(chrome, deputy)
    await page.close()
    return chrome
