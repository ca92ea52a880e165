"""The agent's browser: one context from its launcher (Deputy's profile, or a shared Chromium), one tab per
task, and the write gate.

If the browser crashes or is closed, the next use starts it again and reopens each task's tab at the page
it was on; task state lives in the database, not in the browser.
"""

import asyncio
import logging
from pathlib import Path

from playwright.async_api import BrowserContext, Page

from backend.browser.egress import Egress
from backend.browser.gate import WriteGate
from backend.browser.launchers import Launcher
from backend.browser.tab import Tab
from backend.traveller.placeholders import Personal

log = logging.getLogger(__name__)


class BrowserSession:
    def __init__(self, launcher: Launcher, files_dir: Path, gate: WriteGate) -> None:
        self.launcher = launcher
        self.files_dir = files_dir
        self.gate = gate
        self.restarts = 0
        self._context: BrowserContext | None = None
        self._tabs: dict[str, Tab] = {}
        # Per task, not per tab: a browser restart reopens tabs but must not forget what a task read or typed.
        self._egress: dict[str, Egress] = {}
        self._personal: dict[str, Personal] = {}  # travellers lent to a task (check-in), by task
        self._lock = asyncio.Lock()
        gate.task_of = self.task_of
        gate.egresses = lambda: self._egress
        gate.redact = self._redact

    @property
    def running(self) -> bool:
        return self._context is not None

    async def start(self) -> None:
        async with self._lock:
            await self._launch()

    async def _launch(self) -> None:
        context = await self.launcher.open()
        context.on("close", self._on_context_closed)
        await self.gate.install(context)
        self._context = context
        log.info("The agent's browser started (%s).", self.launcher)

    def _on_context_closed(self, _context: BrowserContext) -> None:
        if self._context is not None:
            log.warning("The agent's browser went away; it restarts on next use.")
            self._context = None

    def _on_crash(self, page: Page) -> None:
        log.warning("A page of the agent's browser crashed (%s); it is reopened on next use.", page.url)

    async def _ensure_running(self) -> BrowserContext:
        if self._context is not None:
            return self._context
        urls = {task: tab.url for task, tab in self._tabs.items()}
        self._tabs.clear()
        await self._launch()
        self.restarts += 1
        assert self._context is not None
        for task_id, url in urls.items():
            tab = await self._open_tab(task_id)
            if url and url != "about:blank":
                await tab.navigate(url)
        return self._context

    async def _open_tab(self, task_id: str) -> Tab:
        assert self._context is not None
        page = await self._context.new_page()
        page.on("crash", self._on_crash)
        tab = Tab(task_id, page, self._egress.setdefault(task_id, Egress()), personal=self._personal.get(task_id))
        self._tabs[task_id] = tab
        return tab

    async def tab(self, task_id: str) -> Tab:
        """The task's tab, opened if needed; the browser is restarted first if it crashed."""
        async with self._lock:
            await self._ensure_running()
            tab = self._tabs.get(task_id)
            if tab is not None and tab.pages and not tab.page.is_closed():
                return tab
            if tab is not None and tab.page.is_closed():
                url = tab.page.url
                tab = await self._open_tab(task_id)
                if url and url != "about:blank":
                    await tab.navigate(url)
                return tab
            return await self._open_tab(task_id)

    def lend(self, task_id: str, personal: Personal) -> None:
        """Let `task_id` fill these travellers' details through placeholders, until its tab closes."""
        self._personal[task_id] = personal
        tab = self._tabs.get(task_id)
        if tab is not None:
            tab.personal = personal

    def _redact(self, task_id: str | None, text: str) -> str:
        personal = self._personal.get(task_id or "")
        return personal.redact(text) if personal else text

    def task_of(self, page: Page) -> str | None:
        for task_id, tab in self._tabs.items():
            if page in tab.pages:
                return task_id
        return None

    async def close_tab(self, task_id: str) -> None:
        self._egress.pop(task_id, None)
        self._personal.pop(task_id, None)
        tab = self._tabs.pop(task_id, None)
        if tab is not None:
            await tab.close()

    async def stop(self) -> None:
        async with self._lock:
            context, self._context = self._context, None
            if context is not None:
                await context.close()
            await self.launcher.close()
            self._tabs.clear()
