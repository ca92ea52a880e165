"""Real desktop parts for the tray's tests, each started by the test and stopped after it: a virtual display
(Xvfb), a system tray on it (trayer), a session bus (dbus-daemon) and a notification service on that bus."""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import Xlib.display
import Xlib.error

ROOT = Path(__file__).resolve().parents[3]


@dataclass
class Screen:
    name: str  # the DISPLAY value, such as ":7"
    xvfb: subprocess.Popen[bytes]


def stop(process: subprocess.Popen[bytes] | subprocess.Popen[str]) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def virtual_display() -> Iterator[Screen]:
    read, write = os.pipe()
    xvfb = subprocess.Popen(
        # -noreset: else the server resets, refusing connections for a moment, whenever its last client leaves
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "800x600x24", "-nolisten", "tcp", "-noreset"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        name = ":" + pipe.readline().strip()
    try:
        yield Screen(name, xvfb)
    finally:
        if xvfb.poll() is None:
            stop(xvfb)


def has_tray(display: str) -> bool:
    """Whether a window owns the display's system tray selection."""
    connection = Xlib.display.Display(display)
    try:
        selection = connection.intern_atom(f"_NET_SYSTEM_TRAY_S{connection.get_default_screen()}")
        return bool(connection.get_selection_owner(selection))
    finally:
        connection.close()


def docked_titles(display: str) -> list[str]:
    """The titles of the icons docked in the system tray (trayer's "panel"): an icon's title is its tooltip."""
    connection = Xlib.display.Display(display)

    def titles(window: Any, in_tray: bool) -> list[str]:
        name = window.get_wm_name()
        found = [name] if in_tray and isinstance(name, str) and name else []
        for child in window.query_tree().children:
            found += titles(child, in_tray or name == "panel")
        return found

    try:
        return titles(connection.screen().root, False)
    except Xlib.error.BadWindow:  # a window went away while the tree was read: not settled yet
        return []
    finally:
        connection.close()


@contextmanager
def system_tray(display: str) -> Iterator[None]:
    """trayer at the top left of the display, one icon high; ready once it owns the tray selection."""
    tray = subprocess.Popen(
        ["trayer", "--edge", "top", "--align", "left", "--widthtype", "pixel", "--width", "120", "--height", "32"],
        env={**os.environ, "DISPLAY": display},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 15
        while not has_tray(display):
            assert tray.poll() is None and time.monotonic() < deadline, "trayer did not take the tray selection"
            time.sleep(0.05)
        yield
    finally:
        stop(tray)


@contextmanager
def session_bus() -> Iterator[str]:
    """A session bus of the test's own; yields its address."""
    bus = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert bus.stdout is not None
        yield bus.stdout.readline().strip()
    finally:
        stop(bus)


@contextmanager
def notification_service(bus_address: str) -> Iterator[None]:
    service = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.traymenu.notifier"],
        cwd=ROOT,
        env={**os.environ, "DBUS_SESSION_BUS_ADDRESS": bus_address},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert service.stdout is not None
        assert service.stdout.readline().strip() == "ready"
        yield
    finally:
        stop(service)


def path_without(program: str, folder: Path) -> str:
    """A PATH that finds every program the current one finds, except `program`: a machine without it."""
    folder.mkdir(parents=True, exist_ok=True)
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        if not os.path.isdir(directory):
            continue
        for entry in os.scandir(directory):
            link = folder / entry.name
            if entry.name == program or os.path.lexists(link) or not entry.is_file():
                continue
            if os.access(entry.path, os.X_OK):
                link.symlink_to(entry.path)
    return str(folder)


def processes_using(folder: Path) -> list[str]:
    """The processes whose command line names `folder`: Deputy's, its tray's and its browser's."""
    listing = subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True).stdout
    return [line for line in listing.splitlines() if str(folder) in line and "ps -eo" not in line]
