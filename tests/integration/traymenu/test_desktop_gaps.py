"""`deputy up` and `deputy doctor` on desktops that lack a part: no session bus, no system tray, no notification
service, or a display that goes away while Deputy runs.

Deputy keeps serving in each, says in one line what is missing and how to get it, and Ctrl+C or SIGTERM ends
it cleanly. Each desktop is made of real parts on a virtual display; `deputy up` is the process under test.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests import web
from tests.integration.traymenu.desktops import (
    ROOT,
    Screen,
    notification_service,
    path_without,
    processes_using,
    session_bus,
    stop,
    system_tray,
    virtual_display,
)

pytestmark = pytest.mark.slow

SERVING_FOR = 3.0  # seconds the server must go on answering after the tray has had its say
WITHIN = 60.0  # a generous bound for "did not happen"

IN_TRAY = "Deputy is in your tray."
UNSEEN = "The tray icon cannot be seen: this display has no system tray"
NO_NOTIFIER = "No desktop notifications: no notification service on the session bus"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class VirtualDesktop:
    screen: Screen
    env: dict[str, str]  # what a program started on this desktop gets


@contextmanager
def desktop(tmp_path: Path, bus: bool, tray: bool, notifications: bool = False) -> Iterator[VirtualDesktop]:
    """A virtual display with the parts asked for."""
    with ExitStack() as stack:
        screen = stack.enter_context(virtual_display())
        env = {**os.environ, "DISPLAY": screen.name, "COLUMNS": "200"}
        # Nothing of the machine's own session: no bus address, no systemd user bus in the runtime folder.
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        runtime = tmp_path / "runtime"
        runtime.mkdir(mode=0o700)
        env["XDG_RUNTIME_DIR"] = str(runtime)
        if bus:
            env["DBUS_SESSION_BUS_ADDRESS"] = stack.enter_context(session_bus())
        else:
            # GLib starts a bus with dbus-launch where the display has none: this machine lacks it.
            env["PATH"] = path_without("dbus-launch", tmp_path / "bin")
            assert shutil.which("dbus-launch", path=env["PATH"]) is None
        if tray:
            stack.enter_context(system_tray(screen.name))
        if notifications:
            stack.enter_context(notification_service(env["DBUS_SESSION_BUS_ADDRESS"]))
        yield VirtualDesktop(screen, env)


class Up:
    """`deputy up` in a subprocess, its output gathered as it comes."""

    def __init__(self, data: Path, env: dict[str, str]) -> None:
        self.data = data
        self.url = f"http://127.0.0.1:{free_port()}"
        command = ["up", "--port", self.url.rsplit(":", 1)[1], "--data-dir", str(data)]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "backend.cli", *command],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self.changed = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self.changed:
                self.lines.append(line)
                self.changed.notify_all()
        self.process.wait()
        with self.changed:
            self.changed.notify_all()  # the output ended: a line not printed by now never will be

    @property
    def output(self) -> str:
        with self.changed:
            return "".join(self.lines)

    def wait_for(self, text: str) -> None:
        with self.changed:
            self.changed.wait_for(lambda: text in "".join(self.lines) or self.process.poll() is not None, WITHIN)
        assert text in self.output, f"{text!r} was not printed:\n{self.output}"

    def keeps_serving(self) -> None:
        """The server answers every poll for a few seconds, and the process stays."""
        until = time.monotonic() + SERVING_FOR
        while time.monotonic() < until:
            assert self.process.poll() is None, self.output
            try:
                assert web.get(f"{self.url}/api/health").status_code == 200
            except httpx.HTTPError as error:
                raise AssertionError(f"the server stopped answering ({error}):\n{self.output}") from None
            time.sleep(0.2)

    def stop(self, sig: signal.Signals) -> int:
        self.process.send_signal(sig)
        try:
            self.process.wait(WITHIN)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"{sig.name} did not end Deputy:\n{self.output}") from None
        self.reader.join(WITHIN)
        return self.process.returncode


@contextmanager
def deputy_up(tmp_path: Path, env: dict[str, str]) -> Iterator[Up]:
    up = Up(tmp_path / "data", env)
    try:
        yield up
    finally:
        if up.process.poll() is None:
            up.process.kill()
            up.process.wait()


def ends_cleanly(up: Up, sig: signal.Signals = signal.SIGINT) -> None:
    assert up.stop(sig) == 0, up.output
    assert "Deputy stopped" in up.output
    assert "Traceback" not in up.output and "unexpected error" not in up.output, up.output
    assert processes_using(up.data) == []  # neither the tray's process nor the agent's browser is left


def test_without_a_session_bus_deputy_serves_headless_and_says_how_to_get_the_icon(tmp_path: Path) -> None:
    with desktop(tmp_path, bus=False, tray=True) as here, deputy_up(tmp_path, here.env) as up:
        up.wait_for(
            "No tray icon: no desktop session bus (install dbus-x11, or start Deputy from your desktop session). "
            "Deputy runs headless; Ctrl+C stops it."
        )
        up.keeps_serving()
        assert "Pairing code for the extension:" in up.output
        assert IN_TRAY not in up.output
        ends_cleanly(up)


def test_with_a_bus_but_no_system_tray_deputy_says_the_icon_cannot_be_seen(tmp_path: Path) -> None:
    with desktop(tmp_path, bus=True, tray=False) as here, deputy_up(tmp_path, here.env) as up:
        up.wait_for(UNSEEN)
        up.wait_for(NO_NOTIFIER)
        up.keeps_serving()
        assert "Pairing code for the extension:" in up.output
        assert "trayer" in up.output  # how to get a tray
        ends_cleanly(up)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_on_a_full_desktop_the_icon_docks_and_nothing_is_missing(tmp_path: Path, sig: signal.Signals) -> None:
    with desktop(tmp_path, bus=True, tray=True, notifications=True) as here, deputy_up(tmp_path, here.env) as up:
        up.wait_for(IN_TRAY)
        up.keeps_serving()
        assert "Pairing code for the extension:" in up.output
        assert UNSEEN not in up.output and "No desktop notifications" not in up.output
        ends_cleanly(up, sig)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_display_that_goes_away_takes_only_the_icon(tmp_path: Path, sig: signal.Signals) -> None:
    with desktop(tmp_path, bus=True, tray=True) as here, deputy_up(tmp_path, here.env) as up:
        up.wait_for(IN_TRAY)
        stop(here.screen.xvfb)  # the X server ends, as when a desktop session closes
        up.wait_for("The tray icon stopped")
        up.keeps_serving()
        assert up.output.count("Deputy runs headless; Ctrl+C stops it.") == 1
        assert up.stop(sig) == 0, up.output
        assert "Deputy stopped" in up.output
        assert processes_using(up.data) == []


def doctor(tmp_path: Path, env: dict[str, str]) -> str:
    command = [sys.executable, "-m", "backend.cli", "doctor", "--data-dir", str(tmp_path / "data")]
    result = subprocess.run(
        [*command, "--port", str(free_port())], cwd=ROOT, env=env, capture_output=True, text=True, timeout=WITHIN
    )
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return result.stdout


def test_doctor_without_a_session_bus_says_to_install_dbus_x11(tmp_path: Path) -> None:
    with desktop(tmp_path, bus=False, tray=True) as here:
        output = doctor(tmp_path, here.env)
    assert "warn  Session bus: No desktop session bus: `deputy up` runs headless" in output
    assert "→ Install dbus-x11, or start Deputy from your desktop session." in output
    assert "warn  Tray icon: None without a session bus" in output
    assert "warn  Notifications: None without a session bus" in output


def test_doctor_with_a_bus_address_that_does_not_answer_names_it(tmp_path: Path) -> None:
    with desktop(tmp_path, bus=False, tray=True) as here:
        address = f"unix:path={tmp_path / 'no-bus'}"
        output = doctor(tmp_path, {**here.env, "DBUS_SESSION_BUS_ADDRESS": address})
    assert f"warn  Session bus: The desktop session bus at {address} does not answer" in output
    assert "→ Start Deputy from your desktop session." in output


def test_doctor_with_a_bus_but_no_system_tray_says_how_to_get_one(tmp_path: Path) -> None:
    with desktop(tmp_path, bus=True, tray=False) as here:
        output = doctor(tmp_path, here.env)
    assert "ok  Session bus" in output
    assert "warn  Tray icon: This display has no system tray to show the icon in" in output
    assert "trayer" in output
    assert "warn  Notifications: No notification service on the session bus" in output
    assert "→ Install a notification daemon" in output


def test_doctor_on_a_full_desktop_finds_everything(tmp_path: Path) -> None:
    with desktop(tmp_path, bus=True, tray=True, notifications=True) as here:
        output = doctor(tmp_path, here.env)
    for name in ("Display", "Session bus", "Tray icon", "Notifications"):
        assert f"ok  {name}:" in output, output
