"""A real Deputy server under uvicorn on a free loopback port, with a manual clock and its own data folder."""

import asyncio
import json
import socket
import time
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
from sqlmodel import Session

from backend import pairing
from backend.clock import Clock, ManualClock
from backend.config import Settings
from backend.main import create_app
from backend.servers import ThreadedServer, bind_loopback
from tests import web
from tests.loop import ServedApp, shared_loop

T = TypeVar("T")

EXTENSION_ORIGIN = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"


def raw_request(port: int, head: str, body: bytes = b"") -> tuple[int, dict[str, object]]:
    """Send bytes exactly as written, so the Host header is what an attacker's browser would send."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(head.encode("latin-1") + b"\r\n" + body)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1])
    payload = data.split(b"\r\n\r\n", 1)[1]
    try:
        return status, json.loads(payload or b"{}")
    except ValueError:
        return status, {}


@dataclass
class Deputy:
    server: ServedApp
    settings: Settings
    clock: Any  # a ManualClock unless the test asked for the real time
    app: object

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def local_token(self) -> str:
        return self.settings.local_token_path.read_text().strip()

    def new_code(self) -> str:
        with Session(self.app.state.ctx.engine) as session:  # type: ignore[attr-defined]
            code, _ = pairing.new_code(session, self.clock.now())
            session.commit()
        return code

    def pair(self, client: str = "chrome", origin: str | None = EXTENSION_ORIGIN) -> str:
        headers = {"Origin": origin} if origin else {}
        response = web.post(f"{self.url}/api/pair", json={"code": self.new_code(), "client": client}, headers=headers)
        assert response.status_code == 200, response.text
        return response.json()["token"]

    def get(self, path: str, token: str | None = None, **headers: str) -> httpx.Response:
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return web.get(f"{self.url}{path}", headers=headers)

    @property
    def ctx(self) -> Any:
        return self.app.state.ctx  # type: ignore[attr-defined]

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 60) -> T:
        """Run a coroutine on the server's loop, where its browser lives, and wait for the result."""
        return asyncio.run_coroutine_threadsafe(coro, self.ctx.loop).result(timeout)

    def wait(self, check: Callable[[], Any], within: float = 30, what: str = "") -> Any:
        """Poll until `check()` returns something truthy; fail with `what` after `within` seconds."""
        deadline = time.monotonic() + within
        while True:
            found = check()
            if found:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what or check}")
            time.sleep(0.05)

    def post(self, path: str, body: object = None, token: str | None = None, **headers: str) -> httpx.Response:
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return web.post(f"{self.url}{path}", json=body, headers=headers)


# The extension's tests run each Deputy on a loop and a Chromium of its own, as before the shared loop: with
# the shared one, the popup missed a pause made elsewhere in about half the runs of its module, a race not
# yet understood (tests/e2e/conftest.py turns this off).
SHARED = True


@contextmanager
def start_deputy(
    data_dir: Path, clock: Clock | None = None, port: int = 0, own_chromium: bool = False, **settings_: Any
) -> Iterator[Deputy]:
    """A Deputy server on `port` (0: a free one); `settings_` are Settings fields, e.g. anthropic_api_key.

    It runs on the test process's shared loop with a fresh context of the shared Chromium, unless
    `own_chromium` asks for Chromium on a profile in its data folder, as `deputy up` runs it.
    """
    sock = bind_loopback(port)
    settings = Settings(data_dir=data_dir, port=sock.getsockname()[1], **settings_)
    clock = clock or ManualClock()
    if not SHARED:
        app = create_app(settings, clock)
        with ThreadedServer(app, sock=sock) as alone:
            yield Deputy(ServedApp(alone.port), settings, clock, app)
        return
    shared = shared_loop()
    app = create_app(settings, clock, browser=None if own_chromium else shared.chromium())
    with shared.serve(app, sock) as server:
        yield Deputy(server, settings, clock, app)
