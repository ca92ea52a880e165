"""Run an ASGI app under uvicorn on a loopback port in a background thread.

Used by `deputy demo` and by the tests, which need real HTTP and WebSocket servers on free ports.
"""

import asyncio
import socket
import threading
import time
from types import TracebackType

import uvicorn


def bind_loopback(port: int = 0, host: str = "127.0.0.1") -> socket.socket:
    """Bind a listening socket; port 0 picks a free one. Raises OSError if the port is taken."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(128)
    sock.setblocking(False)
    return sock


class ThreadedServer:
    """A uvicorn server for one app, on its own thread and event loop."""

    def __init__(self, app: object, port: int = 0, host: str = "127.0.0.1", sock: socket.socket | None = None) -> None:
        self.host = host
        self._sock = sock or bind_loopback(port, host)
        self.port: int = self._sock.getsockname()[1]
        config = uvicorn.Config(app, log_level="warning", lifespan="on", ws_ping_interval=None)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._run, name=f"uvicorn-{self.port}", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def _run(self) -> None:
        asyncio.run(self._server.serve(sockets=[self._sock]))

    def start(self) -> "ThreadedServer":
        self._thread.start()
        deadline = time.monotonic() + 15
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"The server on port {self.port} did not start.")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._sock.close()

    def __enter__(self) -> "ThreadedServer":
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
