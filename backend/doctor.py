"""`deputy doctor`: checks what Deputy needs and says what to do about anything missing."""

import os
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from backend.api_client import LocalClient
from backend.browser.flags import find_chromium
from backend.config import Settings


class Status(StrEnum):
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str
    fix: str = ""


def check_chromium(settings: Settings) -> Check:
    found = find_chromium(settings.chromium)
    if found is None:
        where = f"at {settings.chromium} (DEPUTY_CHROMIUM)" if settings.chromium else "on this machine"
        return Check(
            "Chromium",
            Status.FAIL,
            f"No Chromium found {where}; the agent's browser cannot start.",
            "Install it with `sudo apt-get install chromium`, or set DEPUTY_CHROMIUM to a Chromium executable.",
        )
    try:
        version = subprocess.run([str(found), "--version"], capture_output=True, text=True, timeout=20).stdout.strip()
    except (OSError, subprocess.SubprocessError) as error:
        return Check("Chromium", Status.FAIL, f"{found} does not run: {error}", "Reinstall Chromium.")
    return Check("Chromium", Status.OK, f"{version or 'Chromium'} at {found}")


def check_display() -> Check:
    from tray.display import has_menu, why_no_tray

    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return Check(
            "Display",
            Status.WARN,
            "No display: `deputy up` runs the server headless, without a tray icon; "
            "approvals are answered in the extension, at /approvals or with `deputy approvals`.",
            "Run from a desktop session for the tray icon and `deputy browser --show`.",
        )
    reason = why_no_tray()
    if reason is not None:
        return Check("Display", Status.WARN, f"A display, but no tray icon: {reason}.", "Run `scripts/setup`.")
    if not has_menu():
        return Check(
            "Display",
            Status.WARN,
            "A display, but the tray icon would have no menu (GTK's Python bindings are missing).",
            "Install python3-gi and gir1.2-gtk-3.0, then run `scripts/setup` to lend them to Deputy's environment.",
        )
    return Check("Display", Status.OK, "A display: the tray icon with its menu and `deputy browser --show` work.")


def check_data_dir(folder: Path) -> Check:
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".doctor-"):
            pass
    except OSError as error:
        return Check(
            "Data folder",
            Status.FAIL,
            f"{folder} is not writable: {error.strerror or error}.",
            "Fix its permissions, or choose another folder with DEPUTY_DATA_DIR or --data-dir.",
        )
    return Check("Data folder", Status.OK, f"{folder} is writable.")


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def check_port(settings: Settings) -> Check:
    port = settings.port
    if _port_free(port):
        return Check("Port", Status.OK, f"127.0.0.1:{port} is free for Deputy's server.")
    health = LocalClient.for_settings(settings, timeout=2).health()
    if health is not None:
        return Check("Port", Status.OK, f"Deputy {health.get('version')} is already running on 127.0.0.1:{port}.")
    return Check(
        "Port",
        Status.FAIL,
        f"127.0.0.1:{port} is taken by another program.",
        "Stop that program, or run Deputy on another port with DEPUTY_PORT or --port.",
    )


def check_model_key(settings: Settings) -> Check:
    if settings.anthropic_api_key is not None and settings.anthropic_api_key.get_secret_value():
        return Check("Model key", Status.OK, "ANTHROPIC_API_KEY is set.")
    return Check(
        "Model key",
        Status.WARN,
        "ANTHROPIC_API_KEY is not set: tasks that need the model will refuse; "
        "mail triage still sorts what your rules cover.",
        "export ANTHROPIC_API_KEY=... (from the Anthropic console)",
    )


def run_checks(settings: Settings) -> list[Check]:
    return [
        check_chromium(settings),
        check_display(),
        check_data_dir(settings.data_dir),
        check_port(settings),
        check_model_key(settings),
    ]
