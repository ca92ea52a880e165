"""The checks every request passes before any route runs: Host, Origin and body size.

Host defeats DNS rebinding: a page on evil.example that rebinds its name to 127.0.0.1 still sends
`Host: evil.example`. Origin defeats cross-site requests: browsers always send it on POSTs and WebSocket
handshakes, and only the paired extension's origin may talk to Deputy.
"""

import json
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
from sqlmodel import Session

from backend import pairing

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_BODY_BYTES = 1_000_000
PAIR_PATH = "/api/pair"
PAGE_FILES = "/ui/"


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


def allowed_hosts(scope: Scope) -> set[str]:
    server = scope.get("server")
    port = server[1] if server else None
    return {f"127.0.0.1:{port}", f"localhost:{port}"}


class RequestGuard:
    def __init__(self, app: ASGIApp, engine_of: Callable[[], Any]) -> None:
        self.app = app
        self._engine_of = engine_of

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        refusal = await self._refusal(scope)
        if refusal is not None:
            await _refuse(scope, receive, send, *refusal)
            return
        await self.app(scope, receive, send)

    async def _refusal(self, scope: Scope) -> tuple[int, str] | None:
        host = _header(scope, b"host")
        if host is None or host.lower() not in allowed_hosts(scope):
            return 403, "Forbidden host: Deputy answers only to 127.0.0.1 and localhost on its own port."
        length = _header(scope, b"content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            return 413, f"Request body too large (at most {MAX_BODY_BYTES} bytes)."
        origin = _header(scope, b"origin")
        if origin is None:
            return None
        own = origin.lower() in {f"http://{host}" for host in allowed_hosts(scope)}
        if own and scope["path"].startswith(PAGE_FILES) and scope["type"] == "http":
            return None  # Deputy's own page loading its own scripts (module scripts carry an Origin)
        if scope["path"] == PAIR_PATH and scope["type"] == "http":
            # Only the extension and Deputy's own pages pair from a browser; other web pages never get a token.
            if origin.startswith("chrome-extension://") and len(origin) > len("chrome-extension://"):
                return None
            if own:
                return None
            return 403, "Pairing is only possible from Deputy's extension, its own pages, the CLI or the tray."
        if origin in await anyio.to_thread.run_sync(self._paired_origins):
            return None
        return 403, f"Origin {origin!r} is not paired with Deputy."

    def _paired_origins(self) -> set[str]:
        with Session(self._engine_of()) as session:
            return pairing.paired_origins(session)


async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    if scope["type"] == "websocket":
        # Answering the handshake with an HTTP error means the socket is never opened.
        if "websocket.http.response" not in scope.get("extensions", {}):
            await send({"type": "websocket.close", "code": 1008})
            return
        await send(
            {
                "type": "websocket.http.response.start",
                "status": status,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "websocket.http.response.body", "body": body})
        return
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
