"""Each tray menu item run against a real Deputy server, through the same API the tray uses."""

import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from backend.api_client import LocalClient
from tests import web
from tests.live import EXTENSION_ORIGIN, Deputy, start_deputy
from tests.seeding import pending_approval
from tray.commands import CommandFailed, Commands
from tray.menu import Do, Entry, build_menu
from tray.state import Look, look_of


class Desktop:
    """What the tray asks of the desktop, recorded: URLs opened, folders opened, clipboard, processes."""

    def __init__(self) -> None:
        self.urls: list[str] = []
        self.folders: list[Path] = []
        self.clipboard: list[str] = []
        self.spawned: list[list[str]] = []

    def commands(self, deputy: Deputy) -> Commands:
        client = LocalClient(deputy.port, deputy.settings.local_token_path)
        return Commands(
            client,
            deputy.settings.data_dir,
            open_url=self.urls.append,
            open_path=self.folders.append,
            copy=lambda text: self.clipboard.append(text) is None,
            spawn=self.spawned.append,
        )


@pytest.fixture
def deputy(tmp_path: Path) -> Iterator[Deputy]:
    with start_deputy(tmp_path / "data") as server:
        yield server


def entry(commands: Commands, do: Do) -> Entry:
    return next(e for e in build_menu(commands.fetch()) if e.do is do)


def test_pause_from_the_menu_pauses_the_server_and_resume_undoes_it(deputy: Deputy) -> None:
    commands = Desktop().commands(deputy)
    message = commands.run(entry(commands, Do.PAUSE), commands.fetch())
    assert "Paused" in message
    assert deputy.get("/api/state", token=deputy.local_token).json()["paused"] is True
    state = commands.fetch()
    assert look_of(state) is Look.PAUSED and entry(commands, Do.PAUSE).checked is True
    commands.run(entry(commands, Do.PAUSE), state)
    assert deputy.get("/api/state", token=deputy.local_token).json()["paused"] is False


def test_the_state_shows_pending_approvals_as_sentences(deputy: Deputy) -> None:
    pending_approval(deputy)
    state = Desktop().commands(deputy).fetch()
    assert look_of(state) is Look.WAITING
    assert [p.summary for p in state.pending] == ["Click the button 'Archive' in the toolbar"]


def test_pending_approvals_opens_deputys_page_with_a_code_that_pairs_only_from_there(deputy: Deputy) -> None:
    desktop = Desktop()
    commands = desktop.commands(deputy)
    commands.run(entry(commands, Do.APPROVALS), commands.fetch())
    url = urlsplit(desktop.urls[0])
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{deputy.url}/approvals"
    code = url.fragment.removeprefix("code=")
    page = web.get(f"{deputy.url}/approvals")
    assert page.status_code == 200 and "frame-ancestors 'none'" in page.headers["content-security-policy"]
    stranger = web.post(
        f"{deputy.url}/api/pair", json={"code": code, "client": "x"}, headers={"Origin": "http://evil.example"}
    )
    assert stranger.status_code == 403
    own = web.post(f"{deputy.url}/api/pair", json={"code": code, "client": "page"}, headers={"Origin": deputy.url})
    assert own.status_code == 200


def test_today_opens_the_costs_page(deputy: Deputy) -> None:
    desktop = Desktop()
    commands = desktop.commands(deputy)
    costs = entry(commands, Do.COSTS)
    assert costs.label.startswith("Today $0.00")
    commands.run(costs, commands.fetch())
    assert desktop.urls[0].startswith(f"{deputy.url}/costs#code=")
    assert web.get(f"{deputy.url}/costs").status_code == 200


def test_pair_gives_a_fresh_code_on_the_clipboard_that_the_extension_can_use(deputy: Deputy) -> None:
    desktop = Desktop()
    commands = desktop.commands(deputy)
    message = commands.run(entry(commands, Do.PAIR), commands.fetch())
    code = desktop.clipboard[0]
    assert code in message and "copied" in message
    paired = web.post(
        f"{deputy.url}/api/pair", json={"code": code, "client": "chrome"}, headers={"Origin": EXTENSION_ORIGIN}
    )
    assert paired.status_code == 200
    # A paired browser cannot mint codes for other browsers.
    token = paired.json()["token"]
    minted = deputy.post("/api/pair/codes", token=token, Origin=EXTENSION_ORIGIN)
    assert minted.status_code == 403


def test_show_agent_browser_releases_the_profile_and_opens_the_sign_in_window(deputy: Deputy) -> None:
    desktop = Desktop()
    commands = desktop.commands(deputy)
    message = commands.run(entry(commands, Do.SHOW_BROWSER), commands.fetch())
    assert "sign in" in message
    assert desktop.spawned == [
        [
            sys.executable,
            "-m",
            "backend.cli",
            "browser",
            "--show",
            "--port",
            str(deputy.port),
            "--data-dir",
            str(deputy.settings.data_dir),
        ]
    ]
    assert deputy.get("/api/browser", token=deputy.local_token).json()["running"] is False


def test_show_agent_browser_is_refused_while_a_task_uses_it(deputy: Deputy) -> None:
    pending_approval(deputy)  # its task waits, with its page open in the agent's browser
    commands = Desktop().commands(deputy)
    with pytest.raises(CommandFailed, match="using the agent's browser"):
        commands.run(Entry("Show agent browser", Do.SHOW_BROWSER), commands.fetch())


def test_open_data_folder_and_quit(deputy: Deputy) -> None:
    desktop = Desktop()
    commands = desktop.commands(deputy)
    quits: list[bool] = []
    commands.quit = lambda: quits.append(True)
    commands.run(entry(commands, Do.DATA_FOLDER), commands.fetch())
    commands.run(entry(commands, Do.QUIT), commands.fetch())
    assert desktop.folders == [deputy.settings.data_dir] and quits == [True]


def test_a_toggle_the_server_does_not_know_is_refused_with_its_reason(deputy: Deputy) -> None:
    commands = Desktop().commands(deputy)
    with pytest.raises(CommandFailed, match="Invalid request"):
        commands.run(Entry("Dreaming", Do.TOGGLE, arg="dreaming", checked=False), commands.fetch())


def test_server_down_is_an_error_state(tmp_path: Path) -> None:
    commands = Commands(LocalClient(1, tmp_path / "token"), tmp_path)
    state = commands.fetch()
    assert look_of(state) is Look.ERROR and not state.connected
