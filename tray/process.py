"""The tray icon as a process of its own, which `deputy up` starts with `python -m tray`.

A process of its own because GTK ends the process that loses its display, and a desktop that goes away must
not take Deputy's server with it. It says in one line why it shows no icon, or why the icon cannot be seen,
and ends when its standard input closes: Deputy is stopping, or gone.
"""

import argparse
import os
import sys
import threading
from pathlib import Path

from tray.desktop import NO_GTK, Desktop, survey

QUIT = 0  # the person chose Quit Deputy from the menu: Deputy stops
TOLD = 3  # the tray ended and printed why: Deputy keeps serving


def say(line: str) -> None:
    print(line, flush=True)


def tray_lines(desktop: Desktop) -> list[str]:
    """What a person is told about a running icon: where it is, and what it lacks here."""
    if desktop.tray is None:
        lines = ["Deputy is in your tray. Quit from its menu (or press Ctrl+C here)."]
    else:
        lines = [f"The tray icon cannot be seen: {desktop.tray}. Ctrl+C stops Deputy."]
    if desktop.menu is not None:
        lines.append(f"The tray icon has no menu: {desktop.menu}.")
    if desktop.notifications is not None and desktop.notifications is not NO_GTK:
        lines.append(f"No desktop notifications: {desktop.notifications}. Deputy's news is printed here.")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tray", description="Deputy's tray icon (started by deputy up).")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    args = parser.parse_args(argv)

    desktop = survey()
    if desktop.no_icon is not None:
        say(f"No tray icon: {desktop.no_icon}. Deputy runs headless; Ctrl+C stops it.")
        return TOLD
    from backend.api_client import LocalClient
    from backend.config import Settings
    from tray.app import TrayApp
    from tray.commands import Commands

    client = LocalClient.for_settings(Settings(port=args.port, data_dir=args.data_dir))
    input_closed = threading.Event()
    try:
        app = TrayApp(Commands(client, args.data_dir), notify=desktop.notifications is None)
        for line in tray_lines(desktop):
            say(line)

        def stop_when_input_closes() -> None:
            # The bare descriptor: a thread blocked in sys.stdin's reader holds its lock, which stops the exit.
            while os.read(sys.stdin.fileno(), 4096):
                pass
            input_closed.set()
            app.stop()

        threading.Thread(target=stop_when_input_closes, name="tray-input", daemon=True).start()
        app.run()
    except Exception as error:
        say(f"The tray icon stopped: {error}. Deputy runs headless; Ctrl+C stops it.")
        os._exit(TOLD)  # pystray's setup thread may still wait for an icon that never came up, holding exit
    if app.quit_chosen:
        return QUIT
    if not input_closed.is_set():
        say("The tray icon was closed. Deputy runs headless; Ctrl+C stops it.")
    return TOLD
