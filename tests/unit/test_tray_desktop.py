"""What `deputy up` says about the tray on each kind of desktop, as data (no display needed)."""

import pytest

from tray.desktop import NO_GTK, NO_NOTIFIER, NO_TRAY, SNI_ONLY, Desktop, Gap, tray_gap
from tray.process import tray_lines


@pytest.mark.parametrize(
    ("backend", "xembed", "status_notifier", "gap"),
    [
        ("gtk", True, False, None),
        ("gtk", True, True, None),
        ("gtk", False, True, SNI_ONLY),  # GTK's icon is an XEmbed one: a StatusNotifier-only tray never shows it
        ("gtk", False, False, NO_TRAY),
        ("xorg", True, False, None),
        ("xorg", False, False, NO_TRAY),
        ("appindicator", False, True, None),
        ("appindicator", True, False, None),  # AppIndicator falls back to XEmbed
        ("appindicator", False, False, NO_TRAY),
        ("win32", False, False, None),
        ("darwin", False, False, None),
    ],
)
def test_the_icon_is_seen_only_where_a_tray_takes_its_kind(
    backend: str, xembed: bool, status_notifier: bool, gap: Gap | None
) -> None:
    assert tray_gap(backend, xembed, status_notifier) == gap


def test_a_full_desktop_gets_one_line() -> None:
    assert tray_lines(Desktop(backend="gtk")) == ["Deputy is in your tray. Quit from its menu (or press Ctrl+C here)."]


def test_each_missing_part_gets_one_line_that_says_how_to_get_it() -> None:
    lines = tray_lines(Desktop(backend="gtk", tray=NO_TRAY, notifications=NO_NOTIFIER))
    assert len(lines) == 2
    assert lines[0].startswith("The tray icon cannot be seen: this display has no system tray")
    assert "trayer" in lines[0] and "Ctrl+C stops Deputy" in lines[0]
    assert lines[1].startswith("No desktop notifications: no notification service")
    assert "dunst" in lines[1]


def test_without_gtk_the_missing_menu_and_notifications_are_said_once() -> None:
    lines = tray_lines(Desktop(backend="xorg", menu=NO_GTK, notifications=NO_GTK))
    assert lines[1:] == [f"The tray icon has no menu: {NO_GTK}."]
    assert "python3-gi" in lines[1]


def test_without_a_bus_a_gtk_icon_cannot_run_but_a_plain_x_one_can() -> None:
    no_bus = Gap("no desktop session bus", "install dbus-x11, or start Deputy from your desktop session")
    assert Desktop(backend="gtk", bus=no_bus).no_icon == no_bus
    assert Desktop(backend="xorg", bus=no_bus).no_icon is None
    assert str(no_bus) == "no desktop session bus (install dbus-x11, or start Deputy from your desktop session)"
