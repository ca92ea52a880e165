"""What the tray's menu items do, each through the server's API (never its internals)."""

import logging
import os
import shutil
import subprocess
import sys
import webbrowser
from collections.abc import Callable
from pathlib import Path

from backend.api_client import LocalClient, ServerUnavailable
from tray.menu import Do, Entry
from tray.state import TrayState, from_api

log = logging.getLogger(__name__)


def open_folder(path: Path) -> None:
    if sys.platform == "win32":
        os.startfile(path)  # type: ignore[attr-defined]
        return
    opener = "open" if sys.platform == "darwin" else "xdg-open"
    if shutil.which(opener) is None:
        raise OSError(f"{opener} is not installed; the data folder is {path}")
    subprocess.Popen([opener, str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def copy_with_tools(text: str) -> bool:
    """Copy to the clipboard with whichever desktop tool is installed; False when there is none."""
    for tool in (["wl-copy"], ["xclip", "-selection", "clipboard"], ["xsel", "--clipboard", "--input"], ["pbcopy"]):
        if shutil.which(tool[0]) is None:
            continue
        try:
            subprocess.run(tool, input=text.encode(), check=True, timeout=5, capture_output=True)
        except (OSError, subprocess.SubprocessError):
            continue
        return True
    return False


class CommandFailed(Exception):
    """A menu item could not do its job; the message is for the person."""


class Commands:
    def __init__(
        self,
        client: LocalClient,
        data_dir: Path,
        open_url: Callable[[str], object] = webbrowser.open,
        open_path: Callable[[Path], None] = open_folder,
        copy: Callable[[str], bool] = copy_with_tools,
        spawn: Callable[[list[str]], object] = subprocess.Popen,
    ) -> None:
        self.client = client
        self.data_dir = data_dir
        self.open_url = open_url
        self.open_path = open_path
        self.copy = copy
        self.spawn = spawn
        self.quit: Callable[[], None] = lambda: None  # set by the app that owns the icon

    def _call(self, method: str, path: str, body: object = None) -> object:
        try:
            reply = self.client.request(method, path, body)
        except ServerUnavailable as error:
            raise CommandFailed(str(error)) from None
        if reply.status_code >= 400:
            raise CommandFailed(reply.detail())
        return reply.json()

    def fetch(self) -> TrayState:
        """The state to show; a state marked not connected when the server does not answer."""
        try:
            got = [
                self._call("GET", path)
                for path in (
                    "/api/state",
                    "/api/approvals?status=pending",
                    "/api/tasks?limit=50",
                    "/api/usage?period=day",
                    "/api/browser",
                )
            ]
        except (CommandFailed, ValueError) as error:
            return TrayState(connected=False, problem=str(error), port=self.client.port)
        server_state, approvals, tasks, usage, browser = got
        try:
            schedules = self._call("GET", "/api/schedules")
        except (CommandFailed, ValueError):
            schedules = []  # the schedule starts after the rest of the server; the menu shows none meanwhile
        try:
            recipes = self._call("GET", "/api/recipes")
        except (CommandFailed, ValueError):
            recipes = []  # recipes load after the rest of the server; the menu shows none meanwhile
        return from_api(
            self.client.port,
            server_state,
            approvals,
            tasks,
            usage,
            browser,  # type: ignore[arg-type]
            schedules,  # type: ignore[arg-type]
            recipes=recipes,  # type: ignore[arg-type]
        )

    def watch(self, on: bool, state: TrayState) -> str:
        """Switch every deploy-watch job on or off, so the item's check mark means all of them."""
        for job in state.watches:
            self._call("POST", f"/api/schedules/{job.id}", {"enabled": on})
        return "Watching deploys." if on else "Stopped watching deploys."

    def page_url(self, page: str) -> str:
        """A page of Deputy's with a fresh one-time code in the fragment (never sent over the wire), so
        a browser that is not paired yet pairs itself; a paired one ignores it and the code expires."""
        made = self._call("POST", "/api/pair/codes")
        code = made["code"] if isinstance(made, dict) else ""
        return f"{self.client.base_url}/{page}#code={code}"

    def run(self, entry: Entry, state: TrayState) -> str:
        """Carry out a menu item; returns a sentence to show the person (empty when there is none)."""
        match entry.do:
            case Do.PAUSE:
                self._call("POST", "/api/state", {"paused": not state.paused})
                return "" if state.paused else "Paused: Deputy starts nothing until you resume."
            case Do.TOGGLE:
                self._call("POST", "/api/state", {entry.arg: not state.toggles.get(entry.arg, False)})
                return ""
            case Do.RUN_JOB:
                started = self._call("POST", f"/api/schedules/{entry.arg}/run")
                title = started.get("title") if isinstance(started, dict) else entry.arg
                return f"Started {title}; what it prepares waits for your approval."
            case Do.RUN_RECIPE:
                self._call("POST", f"/api/recipes/{entry.arg}/run", {})
                return (
                    f"Started recipe {entry.arg} with no model call; anything it would change waits for your approval."
                )
            case Do.WATCH:
                return self.watch(not state.watching, state)
            case Do.APPROVALS:
                self.open_url(self.page_url("approvals"))
                return ""
            case Do.COSTS:
                self.open_url(self.page_url("costs"))
                return ""
            case Do.PAIR:
                made = self._call("POST", "/api/pair/codes")
                assert isinstance(made, dict)
                copied = " (copied to the clipboard)" if self.copy(made["code"]) else ""
                return f"Pairing code {made['code']}{copied}: enter it in the extension's options. It works once."
            case Do.SHOW_BROWSER:
                self._call("POST", "/api/browser/release")
                args = ["browser", "--show", "--port", str(self.client.port), "--data-dir", str(self.data_dir)]
                self.spawn([sys.executable, "-m", "backend.cli", *args])
                return "Opening the agent's browser: sign in to your sites, then close the window."
            case Do.DATA_FOLDER:
                try:
                    self.open_path(self.data_dir)
                except OSError as error:
                    raise CommandFailed(str(error)) from None
                return ""
            case Do.QUIT:
                self.quit()
                return ""
        return ""
