"""One event loop on a thread of its own for every Deputy a test process starts, and the one Chromium they share.

Playwright's objects belong to the loop that made them, so Deputys that share a Chromium share a loop. Each
Deputy then gets a fresh browser context of it (0.3-0.6 s) instead of a Chromium of its own (2-3 s on two busy
cores). The tasks a server starts are counted as its own, and those still running when it has stopped are
cancelled, as `asyncio.run` did when each server had a loop to itself.
"""

import asyncio
import contextvars
import socket
import threading
import time
import weakref
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import uvicorn
from playwright.async_api import Browser, Playwright, async_playwright

from backend.browser.flags import CHROMIUM_ARGS, find_chromium
from backend.browser.launchers import SharedChromium

T = TypeVar("T")

_owner: contextvars.ContextVar[object | None] = contextvars.ContextVar("server", default=None)


class ServedApp:
    """An app served on the shared loop: what the tests read of a running server."""

    def __init__(self, port: int) -> None:
        self.host = "127.0.0.1"
        self.port = port

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


class SharedLoop:
    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.loop.set_task_factory(self._counted)
        self._tasks: dict[int, weakref.WeakSet[asyncio.Task[Any]]] = {}
        self._pw: Playwright | None = None
        self._chromium: Browser | None = None
        self._lock = threading.Lock()
        threading.Thread(target=self.loop.run_forever, name="deputy-servers", daemon=True).start()

    def _counted(
        self, loop: asyncio.AbstractEventLoop, coro: Any, context: contextvars.Context | None = None
    ) -> asyncio.Task[Any]:
        task: asyncio.Task[Any] = asyncio.Task(coro, loop=loop, context=context)
        owner = (context or contextvars.copy_context()).get(_owner)
        if owner is not None:
            self._tasks.setdefault(id(owner), weakref.WeakSet()).add(task)
        return task

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 60) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def chromium(self) -> SharedChromium:
        """The process's Chromium (launched on first use, again if it went away), for a Deputy to open contexts of."""
        with self._lock:
            if self._chromium is None or not self._chromium.is_connected():
                self._chromium = self.run(self._launch())
            return SharedChromium(self._chromium)

    async def _launch(self) -> Browser:
        executable = find_chromium()
        if executable is None:
            raise RuntimeError("Chromium is not installed: run scripts/test, which installs it.")
        if self._pw is None:
            self._pw = await async_playwright().start()
        return await self._pw.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS, headless=True)

    @contextmanager
    def serve(self, app: object, sock: socket.socket) -> Iterator[ServedApp]:
        """Serve `app` on `sock` from the shared loop until the block ends."""
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on", ws_ping_interval=None))
        owner = object()
        future = asyncio.run_coroutine_threadsafe(self._serve(server, sock, owner), self.loop)
        deadline = time.monotonic() + 30
        while not server.started:
            if future.done():
                future.result()
                raise RuntimeError(f"The server on port {sock.getsockname()[1]} stopped as it started.")
            if time.monotonic() > deadline:
                raise RuntimeError(f"The server on port {sock.getsockname()[1]} did not start.")
            time.sleep(0.01)
        try:
            yield ServedApp(sock.getsockname()[1])
        finally:
            server.should_exit = True
            try:
                future.result(timeout=60)
            finally:
                self.run(self._cancel_leftovers(owner), timeout=30)
                sock.close()

    async def _serve(self, server: uvicorn.Server, sock: socket.socket, owner: object) -> None:
        _owner.set(owner)
        await server.serve(sockets=[sock])

    async def _cancel_leftovers(self, owner: object) -> None:
        left = [task for task in self._tasks.pop(id(owner), ()) if not task.done()]
        for task in left:
            task.cancel()
        if left:
            await asyncio.wait(left, timeout=20)


_shared: SharedLoop | None = None
_shared_lock = threading.Lock()


def shared_loop() -> SharedLoop:
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = SharedLoop()
        return _shared
