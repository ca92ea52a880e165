"""`deputy up` with a real tray icon under Xvfb: pause from its menu, quit from its menu, restart clean.

The icon docks in a real system tray (trayer) on a virtual display, with a session bus of the test's own for
GTK; the menu is opened with a right click and driven with the keyboard, as a person would.
"""

import os
import socket
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import httpx
from sqlmodel import Session, select

from backend.clock import SystemClock
from backend.config import Settings
from backend.db import create_schema, make_engine
from backend.models import Approval, ApprovalStatus, AppState
from backend.tasks import new_task
from tests import web
from tests.integration.traymenu.desktops import (
    docked_titles,
    processes_using,
    session_bus,
    system_tray,
    virtual_display,
)

ICON_AT = ("16", "16")  # trayer sits at the top left, one icon high


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def xdotool(display: str, *args: str) -> None:
    subprocess.run(["xdotool", *args], env={**os.environ, "DISPLAY": display}, check=True, timeout=10)


def choose(display: str, keys: list[str]) -> None:
    """Open the tray menu with a right click and pick an item with the keyboard."""
    xdotool(display, "mousemove", *ICON_AT, "click", "3")
    time.sleep(0.8)
    xdotool(display, "key", *keys)


def wait(check, within: float = 30, what: str = "") -> object:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            found = check()
        except httpx.HTTPError:
            found = None
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def seed_pending_approval(data: Path) -> str:
    engine = make_engine(Settings(data_dir=data).sqlalchemy_url)
    now = SystemClock().now()
    with Session(engine) as session:
        task = new_task(session, "Tidy the inbox", now, url="https://mail.example/")
        session.commit()
        session.add(
            Approval(
                id="ap_0a1b2c3d4e5f",
                task_id=task.id,
                action="click",
                params={"ref": "e7"},
                target="the button 'Archive'",
                risk="write",
                policy_reason="A click that may change something asks first.",
                fingerprint="f" * 16,
                created_at=now,
                expires_at=now + timedelta(minutes=15),
            )
        )
        session.commit()
    engine.dispose()
    return "ap_0a1b2c3d4e5f"


def test_pause_and_quit_from_the_real_tray_menu(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    engine = make_engine(Settings(data_dir=data).sqlalchemy_url)
    create_schema(engine)
    engine.dispose()
    approval_id = seed_pending_approval(data)
    port = free_port()
    with virtual_display() as screen, system_tray(screen.name), session_bus() as bus:
        display = screen.name
        up = subprocess.Popen(
            [sys.executable, "-m", "backend.cli", "up", "--port", str(port), "--data-dir", str(data)],
            env={**os.environ, "DISPLAY": display, "DBUS_SESSION_BUS_ADDRESS": bus, "COLUMNS": "200"},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            wait(lambda: web.get(f"{url}/api/health").status_code == 200, what="the server")
            headers = {"Authorization": f"Bearer {(data / 'local-token').read_text().strip()}"}
            # Docked, and connected (the tooltip's first line is "Deputy"): its menu items are enabled.
            wait(lambda: "Deputy" in [t.splitlines()[0] for t in docked_titles(display)], what="the icon in the tray")
            choose(display, ["Down", "Return"])  # the first item a person can pick: Pause
            wait(lambda: web.get(f"{url}/api/state", headers=headers).json()["paused"], what="paused")
            choose(display, ["Up", "Return"])  # the last item: Quit Deputy
            output, _ = up.communicate(timeout=60)
        finally:
            if up.poll() is None:
                up.kill()
                up.wait()
    assert up.returncode == 0, output
    assert "Traceback" not in output and "unexpected error" not in output
    assert "Deputy stopped" in output
    assert processes_using(data) == []
    if Settings(data_dir=data).database_url is None:  # the SQLite file in the data folder
        with sqlite3.connect(data / "deputy.db") as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    engine = make_engine(Settings(data_dir=data).sqlalchemy_url)
    with Session(engine) as session:
        approval = session.get(Approval, approval_id)
        assert approval is not None and approval.status == ApprovalStatus.PENDING
        assert [state.paused for state in session.exec(select(AppState))] == [True]
    engine.dispose()
    restarted = subprocess.run(
        [sys.executable, "-m", "backend.cli", "pair", "--data-dir", str(data)], capture_output=True, text=True
    )
    assert restarted.returncode == 0 and "Pairing code" in restarted.stdout
