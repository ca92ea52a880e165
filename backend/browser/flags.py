"""How Deputy launches Chromium: the executable and the flags that keep it quiet and offline-friendly."""

import os
import shutil
from pathlib import Path

# Without the background-networking flags Chromium keeps trying to reach Google's hosts.
CHROMIUM_ARGS: list[str] = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--no-default-browser-check",
]

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")


def find_chromium(configured: Path | None = None) -> Path | None:
    """The Chromium to launch: the configured one, else Debian's, else one on PATH; None if there is none."""
    if configured is not None:
        return configured if configured.is_file() else None
    if DEBIAN_CHROMIUM.is_file():
        return DEBIAN_CHROMIUM
    found = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    return Path(found) if found else None


def signin_command(chromium: Path, profile: Path) -> tuple[list[str], str]:
    """The command line of the window where a person signs in to their sites, and why it has no sandbox if so.

    People sign in to real accounts there, so it keeps Chromium's sandbox; only root cannot have it.
    """
    flags = [flag for flag in CHROMIUM_ARGS if flag != "--no-sandbox"]
    why = ""
    if os.geteuid() == 0:
        flags.insert(0, "--no-sandbox")
        why = "Running as root: Chromium cannot use its sandbox, so the sign-in window runs without it."
    return [str(chromium), f"--user-data-dir={profile}", *flags], why
