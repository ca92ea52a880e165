"""Whether a tray icon can be shown here, and with which pystray backend.

`import pystray` connects to the display at import time and fails without one, so the choice is made
before importing it. GTK is preferred: it is the backend whose icon has a menu on X11 desktops.
"""

import importlib.util
import os


def _has_gtk() -> bool:
    if importlib.util.find_spec("gi") is None:
        return False
    try:
        import gi

        gi.require_version("Gtk", "3.0")
        from gi.repository import Gtk  # noqa: F401
    except (ImportError, ValueError):
        return False
    return True


def choose_backend() -> str:
    """Set PYSTRAY_BACKEND (unless the user did) and return it."""
    chosen = os.environ.get("PYSTRAY_BACKEND")
    if not chosen:
        chosen = "gtk" if _has_gtk() else "xorg"
        os.environ["PYSTRAY_BACKEND"] = chosen
    return chosen


def why_no_tray() -> str | None:
    """None when a tray icon can run here, else one reason a person can act on."""
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return "there is no display (DISPLAY is not set)"
    choose_backend()
    try:
        import pystray  # noqa: F401
    except Exception as error:
        return f"the tray cannot start on this display ({error})"
    return None


def has_menu() -> bool:
    """Whether the chosen backend shows a menu (the plain X backend shows the icon only)."""
    return choose_backend() in ("gtk", "appindicator", "win32", "darwin", "dummy")
