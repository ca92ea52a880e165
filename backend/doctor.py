"""`deputy doctor`: checks what Deputy needs and says what to do about anything missing."""

import socket
import subprocess
import tempfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from backend.api_client import LocalClient
from backend.browser.flags import find_chromium
from backend.config import Settings
from tray.desktop import GLIB_BACKENDS, Gap, survey


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


def check_desktop() -> list[Check]:
    """The display, and what the tray icon finds on it: a session bus, a system tray, notifications."""
    desktop = survey()
    if desktop.display is not None:
        return [
            Check(
                "Display",
                Status.WARN,
                "No display: `deputy up` runs the server headless, without a tray icon; "
                "approvals are answered in the extension, at /approvals or with `deputy approvals`.",
                "Run from a desktop session for the tray icon and `deputy browser --show`.",
            )
        ]
    checks = [Check("Display", Status.OK, "A display: `deputy browser --show` can open the agent's browser on it.")]
    if desktop.bus is not None:
        return [
            *checks,
            _gap_check("Session bus", desktop.bus, "`deputy up` runs headless, without a tray icon"),
            Check("Tray icon", Status.WARN, "None without a session bus (see above)."),
            Check("Notifications", Status.WARN, "None without a session bus (see above)."),
        ]
    if desktop.backend in GLIB_BACKENDS:
        checks.append(Check("Session bus", Status.OK, "The desktop session bus answers."))
    if desktop.start is not None:
        return [*checks, _gap_check("Tray icon", desktop.start, "`deputy up` runs headless")]
    if desktop.tray is not None:
        checks.append(_gap_check("Tray icon", desktop.tray, "the icon would not be seen"))
    elif desktop.menu is not None:
        checks.append(_gap_check("Tray icon", desktop.menu, "a plain icon shows Deputy's state, and nothing more"))
    else:
        checks.append(Check("Tray icon", Status.OK, "A system tray shows the icon, with its menu."))
    if desktop.notifications is None:
        checks.append(Check("Notifications", Status.OK, "A notification service shows the tray's news."))
    else:
        checks.append(_gap_check("Notifications", desktop.notifications, "news is printed in the terminal only"))
    return checks


def _gap_check(name: str, gap: Gap, so: str) -> Check:
    return Check(name, Status.WARN, f"{_sentence(gap.what)}: {so}.", f"{_sentence(gap.fix)}.")


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


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
        *check_desktop(),
        check_data_dir(settings.data_dir),
        check_port(settings),
        check_model_key(settings),
    ]
