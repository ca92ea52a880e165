"""Server programs the webmail fixture starts on free loopback ports, and stops with every process they forked."""

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Mapping
from pathlib import Path


def free_port() -> int:
    """A port free right now; the server binds it itself a moment later, so a clash is possible but rare."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Daemon:
    """One server program in a process group of its own: `php -S` leaves its workers running when only the
    parent is stopped, so the whole group is signalled."""

    def __init__(self, name: str, log: Path) -> None:
        self.name = name
        self.log = log
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, command: list[str], port: int, environment: Mapping[str, str] | None = None) -> None:
        with self.log.open("ab") as log:
            self._process = subprocess.Popen(
                command,
                env=environment,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        self._wait_for(port)

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        self._signal(process, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._signal(process, signal.SIGKILL)
            process.wait()
        # Workers that outlive the parent are in its group still.
        self._signal(process, signal.SIGKILL)

    @staticmethod
    def _signal(process: subprocess.Popen[bytes], number: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, number)

    def _wait_for(self, port: int, timeout: float = 15) -> None:
        assert self._process is not None
        deadline = time.monotonic() + timeout
        while not _listening(port):
            status = self._process.poll()
            if status is not None:
                raise RuntimeError(f"{self.name} exited with status {status} before listening:\n{self._tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} did not listen on port {port} in {timeout:.0f}s:\n{self._tail()}")
            time.sleep(0.02)

    def _tail(self) -> str:
        # The scratch folder with the log is removed on the way out, so the error carries the log's end.
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-20:])


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True
