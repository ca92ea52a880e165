"""How Deputy launches Chromium: the executable and the flags that keep it quiet and offline-friendly."""

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
