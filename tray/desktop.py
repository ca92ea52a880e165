"""What this desktop offers the tray icon: a display, a session bus, a system tray to dock in, notifications.

`import pystray` connects to the display at import time, and pystray's GTK backend needs a session bus
before it shows anything, so all of this is found out first. GTK is preferred: it is the backend whose icon
has a menu on X11 desktops.
"""

import importlib.util
import os
import shutil
from dataclasses import dataclass, field
from typing import Any

GLIB_BACKENDS = ("gtk", "appindicator")  # pystray's backends that connect to the session bus as they start
MENU_BACKENDS = ("gtk", "appindicator", "win32", "darwin", "dummy")
SNI_WATCHER = "org.kde.StatusNotifierWatcher"
NOTIFICATIONS = "org.freedesktop.Notifications"
BUS_TIMEOUT_MS = 2000


@dataclass(frozen=True)
class Gap:
    """Something the desktop lacks: what it is, and what a person can do about it."""

    what: str
    fix: str

    def __str__(self) -> str:
        return f"{self.what} ({self.fix})"


NO_DISPLAY = Gap("DISPLAY is not set", "start Deputy from your desktop session for one")
NO_GTK = Gap(
    "GTK's Python bindings are missing, so the icon has no menu and no notifications",
    "install python3-gi and gir1.2-gtk-3.0, then run `scripts/setup` to lend them to Deputy's environment",
)
NO_TRAY = Gap(
    "this display has no system tray to show the icon in",
    "add a notification area to your panel, or run a system tray such as trayer or stalonetray; "
    "the icon docks when one starts",
)
SNI_ONLY = Gap(
    "this desktop's tray shows only StatusNotifier icons, and Deputy's GTK icon is an XEmbed one",
    "turn on your tray's legacy (XEmbed) icons, or run a system tray such as trayer or stalonetray",
)
NO_NOTIFIER = Gap(
    "no notification service on the session bus",
    "install a notification daemon such as dunst or xfce4-notifyd; desktop sessions come with one",
)


@dataclass(frozen=True)
class Desktop:
    """What the tray can do here; each gap is None where nothing is missing."""

    backend: str
    display: Gap | None = None
    bus: Gap | None = None
    start: Gap | None = None  # pystray cannot start on this display
    tray: Gap | None = None  # an icon would run, but nobody shows it
    menu: Gap | None = None
    notifications: Gap | None = None
    # The session bus, held so that pystray gets this same connection, the one told not to end the process.
    connection: Any = field(default=None, compare=False, repr=False)

    @property
    def no_icon(self) -> Gap | None:
        """Why no icon can run here at all."""
        if self.display is not None:
            return self.display
        if self.bus is not None and self.backend in GLIB_BACKENDS:
            return self.bus
        return self.start


def has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


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


def session_bus() -> tuple[Any, Gap | None]:
    """The session bus, or why there is none. Without DBUS_SESSION_BUS_ADDRESS, GLib starts one with dbus-launch."""
    from gi.repository import Gio, GLib

    try:
        bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    except GLib.Error as error:
        address = os.environ.get("DBUS_SESSION_BUS_ADDRESS")
        if address:
            return None, Gap(
                f"the desktop session bus at {address} does not answer", "start Deputy from your desktop session"
            )
        if shutil.which("dbus-launch") is None:
            return None, Gap("no desktop session bus", "install dbus-x11, or start Deputy from your desktop session")
        return None, Gap(f"no desktop session bus: {error.message}", "start Deputy from your desktop session")
    # GLib's default ends the process when the bus goes away; the icon can live on without notifications.
    bus.set_exit_on_close(False)
    return bus, None


def bus_names(bus: Any, method: str) -> set[str]:
    """The names on the bus: "ListNames" for those running, "ListActivatableNames" for those it can start."""
    from gi.repository import Gio, GLib

    try:
        reply = bus.call_sync(
            "org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus",
            method,
            None,
            GLib.VariantType("(as)"),
            Gio.DBusCallFlags.NONE,
            BUS_TIMEOUT_MS,
            None,
        )
    except GLib.Error:
        return set()
    return set(reply.unpack()[0])


def xembed_tray() -> bool:
    """Whether an XEmbed system tray serves this X screen (someone owns its _NET_SYSTEM_TRAY_Sn selection)."""
    if not os.environ.get("DISPLAY"):
        return False
    import Xlib.display
    import Xlib.error

    try:
        display = Xlib.display.Display()
    except (Xlib.error.DisplayError, OSError):
        return False
    try:
        selection = display.intern_atom(f"_NET_SYSTEM_TRAY_S{display.get_default_screen()}")
        return bool(display.get_selection_owner(selection))
    finally:
        display.close()


def tray_gap(backend: str, xembed: bool, status_notifier: bool) -> Gap | None:
    """Why an icon of this backend would not be seen, given the trays this desktop has."""
    if backend == "appindicator" and (status_notifier or xembed):
        return None  # AppIndicator talks StatusNotifier, and falls back to XEmbed
    if backend in ("gtk", "xorg") and xembed:
        return None
    if backend in ("gtk", "xorg") and status_notifier:
        return SNI_ONLY
    if backend in ("gtk", "xorg", "appindicator"):
        return NO_TRAY
    return None  # Windows and macOS always have a place for it


def survey() -> Desktop:
    """Look at this desktop once: what `deputy up` says about its tray, and what `deputy doctor` checks."""
    if not has_display():
        return Desktop(backend="none", display=NO_DISPLAY)
    backend = choose_backend()
    needs_bus = backend in GLIB_BACKENDS and importlib.util.find_spec("gi") is not None
    connection, bus_gap = session_bus() if needs_bus else (None, None)
    if bus_gap is not None:
        return Desktop(backend=backend, bus=bus_gap, notifications=bus_gap)
    try:
        import pystray  # noqa: F401
    except Exception as error:
        start = Gap(f"the tray cannot start on this display: {error}", "run `scripts/setup`")
        return Desktop(backend=backend, start=start, connection=connection)
    running = bus_names(connection, "ListNames") if connection is not None else set()
    if backend not in GLIB_BACKENDS:
        notifications: Gap | None = NO_GTK
    elif NOTIFICATIONS in running | bus_names(connection, "ListActivatableNames"):
        notifications = None
    else:
        notifications = NO_NOTIFIER
    return Desktop(
        backend=backend,
        tray=tray_gap(backend, xembed_tray(), SNI_WATCHER in running),
        menu=None if backend in MENU_BACKENDS else NO_GTK,
        notifications=notifications,
        connection=connection,
    )
