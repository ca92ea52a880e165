"""The tray icon itself: pystray on the main thread, kept current by the server's event socket.

The menu is rebuilt from `tray.menu.build_menu` on every state change; notifications announce new
approvals, finished or failed tasks, deploy alerts and a ready digest where the platform shows them.
"""

import json
import logging
import signal
import threading
from typing import Any

from tray.commands import CommandFailed, Commands
from tray.desktop import GLIB_BACKENDS, choose_backend
from tray.icons import draw
from tray.menu import Entry, build_menu
from tray.state import TrayState, look_of, news_of, tooltip

log = logging.getLogger(__name__)

REFRESH_SECONDS = 10.0  # also polled, so the icon recovers after the server comes back
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _runner(entry: Entry, on_click: Any) -> Any:
    # pystray counts the callback's parameters, so it takes exactly (icon, item).
    def run(_icon: Any, _item: Any) -> None:
        on_click(entry)

    return run


def _fixed(value: bool) -> Any:
    def checked(_item: Any) -> bool:
        return value

    return checked


def as_pystray(entries: list[Entry], on_click: Any) -> Any:
    """pystray menu items for `entries`; `on_click(entry)` runs when one is chosen."""
    import pystray

    items = []
    for entry in entries:
        if entry.separator:
            items.append(pystray.Menu.SEPARATOR)
            continue
        checked = None if entry.checked is None else _fixed(entry.checked)
        if entry.submenu:
            inner = as_pystray(list(entry.submenu), on_click)
            items.append(pystray.MenuItem(entry.label, inner, enabled=entry.enabled))
            continue
        action = _runner(entry, on_click) if entry.do is not None else None
        items.append(
            pystray.MenuItem(entry.label, action, checked=checked, enabled=entry.enabled, default=entry.default)
        )
    return pystray.Menu(*items)


class TrayApp:
    def __init__(self, commands: Commands, notify: bool) -> None:
        """`notify`: whether the desktop shows notifications (see `tray.desktop.survey`)."""
        choose_backend()
        import pystray

        self.commands = commands
        self.state = TrayState(port=commands.client.port)
        self.quit_chosen = False
        self._stop = threading.Event()
        self._lock = threading.Lock()
        commands.quit = self.quit
        self.icon = pystray.Icon("deputy", draw(look_of(self.state)), "Deputy", menu=self._menu())
        self.can_notify = notify and bool(getattr(self.icon, "HAS_NOTIFICATION", False))

    def _menu(self) -> Any:
        import pystray

        return pystray.Menu(lambda: tuple(as_pystray(build_menu(self.state), self.click).items))

    def click(self, entry: Entry) -> None:
        try:
            message = self.commands.run(entry, self.state)
        except CommandFailed as error:
            message = str(error)
        if message:
            self.notify(message)
        self.refresh()

    def notify(self, message: str, title: str = "Deputy") -> None:
        print(message, flush=True)
        if self.can_notify:
            self.icon.notify(message, title)

    def show(self, state: TrayState) -> None:
        with self._lock:
            self.state = state
        look = look_of(state)
        self.icon.icon = draw(look, len(state.pending))
        self.icon.title = tooltip(state)
        self.icon.update_menu()

    def refresh(self) -> None:
        self.show(self.commands.fetch())

    def on_event(self, event: dict[str, Any]) -> None:
        news = news_of(event)
        if news:
            self.notify(news)
        if event.get("type"):
            self.refresh()

    def _follow(self) -> None:
        """Listen to the server's events; reconnect while the tray runs."""
        from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI
        from websockets.sync.client import connect

        url = f"ws://127.0.0.1:{self.commands.client.port}/api/events"
        while not self._stop.is_set():
            try:
                with connect(url, open_timeout=5) as ws:
                    ws.send(json.dumps({"type": "auth", "token": self.commands.client.token()}))
                    self.refresh()
                    while not self._stop.is_set():
                        try:
                            self.on_event(json.loads(ws.recv(timeout=REFRESH_SECONDS)))
                        except TimeoutError:
                            self.refresh()
            except (ConnectionClosed, InvalidHandshake, InvalidURI, OSError, ValueError) as error:
                log.debug("The event socket closed (%s); reconnecting.", error)
                self.refresh()
                self._stop.wait(2.0)

    def _setup(self, icon: Any) -> None:
        if self._stop.is_set():  # stopped before the icon came up, when pystray's own stop does nothing
            icon.stop()
            return
        icon.visible = True
        threading.Thread(target=self._follow, name="tray-events", daemon=True).start()

    def run(self) -> None:
        """Run until Quit, SIGINT or SIGTERM, or `stop`; each ends the same clean way. Raises if the icon fails."""
        if choose_backend() in GLIB_BACKENDS:
            self._run_in_glib()
        else:
            for sig in STOP_SIGNALS:
                signal.signal(sig, lambda *_: self.stop())
            self._run_icon()

    def _run_in_glib(self) -> None:
        from gi.repository import GLib

        sources: list[int] = []

        def listen() -> bool:
            # GTK's loop runs in C, where Python signal handlers wait; GLib's own sources do not. Added once the
            # loop runs, because pystray's start resets SIGINT to the default action, which ends at once.
            sources.extend(GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, sig, self._on_signal) for sig in STOP_SIGNALS)
            return GLib.SOURCE_REMOVE

        sources.append(GLib.idle_add(listen))
        try:
            self._run_icon()
        finally:
            # A signal source left behind would swallow that signal once no loop runs.
            for source_id in sources:
                source = GLib.MainContext.default().find_source_by_id(source_id)
                if source is not None:
                    source.destroy()

    def _run_icon(self) -> None:
        try:
            self.icon.run(setup=self._setup)
        except Exception as error:
            # pystray's GTK backend closes its notification on the way out even where no notification
            # service exists; once the icon was asked to stop, that failure changes nothing.
            if not self._stop.is_set():
                raise
            log.debug("The tray closed with %s.", error)

    def _on_signal(self) -> bool:
        self.stop()
        return True  # kept: `_run_in_glib` removes its sources when the loop ends

    def quit(self) -> None:
        """The person chose Quit Deputy."""
        self.quit_chosen = True
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        self.icon.stop()
