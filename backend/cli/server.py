"""Starting Deputy (serve, up, demo), its browser for signing in, and the doctor."""

import errno
import json
import socket
from contextlib import ExitStack
from typing import TYPE_CHECKING, Annotated

import typer

from backend.cli.app import (
    DataDirOption,
    PortOption,
    app,
    console,
    database,
    err,
    fail,
    fresh_code,
    load_settings,
    local_client,
    require_data_dir,
)

if TYPE_CHECKING:
    import subprocess

    from backend.config import Settings
    from backend.servers import ThreadedServer

DemoOption = Annotated[bool, typer.Option("--demo", help="Also serve the demo sites.")]
TriageOption = Annotated[
    bool, typer.Option("--triage", help="With --demo: add starter mail rules and start triage of Demo Mail.")
]


def bind_port(settings: "Settings") -> socket.socket:
    from backend.servers import bind_loopback

    require_data_dir(settings)
    try:
        return bind_loopback(settings.port)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            running = local_client(settings, timeout=2).health()
            hint = "Deputy is already running there." if running else "Another program is using it."
            fail(f"Port {settings.port} on 127.0.0.1 is in use. {hint} Choose another with --port or DEPUTY_PORT.")
        fail(f"Cannot listen on 127.0.0.1:{settings.port}: {error.strerror or error}.")


def greet(settings: "Settings", stack: ExitStack, demo: bool, triage: bool = False) -> None:
    code, until = fresh_code(settings)
    console.print(f"[bold]Deputy[/] is running on [cyan]http://127.0.0.1:{settings.port}[/]")
    console.print(
        f"Pairing code for the extension: [bold green]{code}[/] (valid until {until}; `deputy pair` for a new one)"
    )
    console.print(f"Approvals page: http://127.0.0.1:{settings.port}/approvals")
    console.print(f"Data folder: {settings.data_dir}")
    if demo:
        mail_url = print_demo_sites(stack)
        print_starters(settings)
        if triage:
            from backend.cli.starter import start_triage_when_up

            start_triage_when_up(settings, mail_url, console)


def serve_forever(settings: "Settings", demo: bool, warm_browser: bool = False, triage: bool = False) -> None:
    import uvicorn

    from backend.main import create_app

    sock = bind_port(settings)
    with ExitStack() as stack:
        greet(settings, stack, demo, triage)
        console.print("Press Ctrl+C to stop.")
        application = create_app(settings)
        if warm_browser:
            application.state.ctx.start_browser_at_startup = True
        config = uvicorn.Config(application, log_level="warning", ws_ping_interval=20)
        uvicorn.Server(config).run(sockets=[sock])


def print_starters(settings: "Settings") -> None:
    """Tell a newcomer which recipes run end to end with no model key, and the exact command for each."""
    from backend.config import DEFAULT_PORT
    from backend.recipes.library import shipped_starters, starter_command

    port = "" if settings.port == DEFAULT_PORT else f" --port {settings.port}"
    console.print(
        "Starter recipes run on the demo sites with no model key (zero tokens), asking before the final step:"
    )
    for starter in shipped_starters():
        profile = (
            " (first add yourself: `deputy profile set`)" if "{{traveller." in json.dumps(starter["steps"]) else ""
        )
        console.print(f"  {starter['instruction']}: [bold]{starter_command(starter, port)}[/]{profile}")


def print_demo_sites(stack: ExitStack) -> str:
    """Start the demo sites, print their addresses, and return Demo Mail's inbox address."""
    from backend.demo.server import DEMO_SITES, start_demo_sites

    servers = start_demo_sites(stack)
    for site in DEMO_SITES:
        console.print(f"  {site.title}: [cyan]{servers[site.name].url}/[/]")
    return f"{servers['mail'].url}/mb/default/"


@app.command()
def serve(port: PortOption = None, data_dir: DataDirOption = None, demo: DemoOption = False) -> None:
    """Run Deputy's server alone, in the foreground."""
    serve_forever(load_settings(port, data_dir), demo)


@app.command()
def up(
    port: PortOption = None, data_dir: DataDirOption = None, demo: DemoOption = False, triage: TriageOption = False
) -> None:
    """Start Deputy: the server, the agent's browser, and the tray icon where there is a display."""
    import signal

    from tray.desktop import NO_DISPLAY, has_display

    settings = load_settings(port, data_dir)
    if not has_display():
        console.print(f"No tray icon: {NO_DISPLAY}. Deputy runs headless; Ctrl+C stops it.")
        serve_forever(settings, demo, warm_browser=True, triage=triage)
        return
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        with ExitStack() as stack:
            start_server(settings, stack, warm_browser=True)
            greet(settings, stack, demo, triage)
            run_tray(settings)
    finally:
        signal.signal(signal.SIGTERM, previous)
    console.print("Deputy stopped. Pending approvals are kept for next time.")


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM stops Deputy the way Ctrl+C does; Python's default ends it on the spot


def start_server(settings: "Settings", stack: ExitStack, warm_browser: bool = False) -> "ThreadedServer":
    """Serve Deputy on its own thread of this process, stopped (tasks, browser, database) when `stack` closes."""
    from backend.main import create_app
    from backend.servers import ThreadedServer

    sock = bind_port(settings)
    with database(settings):
        pass  # a database Deputy cannot use is refused here in one line, not in the server's thread
    application = create_app(settings)
    application.state.ctx.start_browser_at_startup = warm_browser
    return stack.enter_context(ThreadedServer(application, sock=sock))


def run_tray(settings: "Settings") -> None:
    """Show the tray icon until Quit, Ctrl+C or SIGTERM. A tray that ends any other way leaves Deputy serving.

    The icon runs in a process of its own (`tray.process`): GTK ends the process that loses its display,
    and that must not be the one serving Deputy. Its own session keeps the terminal's Ctrl+C for this one.
    """
    import subprocess
    import sys
    import threading

    from tray.process import QUIT, TOLD

    command = [sys.executable, "-m", "tray", "--port", str(settings.port), "--data-dir", str(settings.data_dir)]
    tray = subprocess.Popen(command, stdin=subprocess.PIPE, start_new_session=True)
    try:
        status = tray.wait()
        if status == QUIT:
            return
        if status != TOLD:
            console.print(f"The tray icon stopped ({ended(status)}). Deputy runs headless; Ctrl+C stops it.")
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        close_tray(tray)


def ended(status: int) -> str:
    """How a process ended, in words: its exit status, or the signal that ended it."""
    import signal

    if status < 0:
        return f"ended by {signal.Signals(-status).name}"
    return f"exit status {status}"


def close_tray(tray: "subprocess.Popen[bytes]") -> None:
    """Closing its input tells the tray to take its icon down; it is killed if it has not within seconds."""
    import subprocess

    assert tray.stdin is not None
    tray.stdin.close()
    try:
        tray.wait(timeout=10)
    except subprocess.TimeoutExpired:
        tray.kill()
        tray.wait()


def start_background_server(settings: "Settings", stack: ExitStack) -> None:
    """Serve Deputy inside this command for its duration (used when no server is running)."""
    start_server(settings, stack)


@app.command()
def browser(
    show: Annotated[bool, typer.Option("--show", help="Open it with a window, to sign in to sites.")] = False,
    port: PortOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Open the agent's browser profile with a window, so you can sign in to your sites once."""
    import os
    import subprocess

    from backend.api_client import ServerUnavailable
    from backend.browser.flags import find_chromium, signin_command

    settings = load_settings(port, data_dir)
    if not show:
        fail("Use `deputy browser --show` to open the agent's browser with a window.")
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        fail("There is no display to show a window on. Run this from your desktop session.")
    chromium = find_chromium(settings.chromium)
    if chromium is None:
        fail("No Chromium found. Install it with `sudo apt-get install chromium` (or set DEPUTY_CHROMIUM).")
    client = local_client(settings)
    if client.health() is not None:
        # The running server lets go of the profile while no task needs it; it reopens it on next use.
        try:
            reply = client.request("POST", "/api/browser/release")
        except ServerUnavailable as error:
            fail(str(error))
        if reply.status_code != 200:
            fail(reply.detail())
    profile = settings.data_dir / "browser-profile"
    if (profile / "SingletonLock").is_symlink():
        fail("The agent's browser profile is in use (is another sign-in window open?). Close it first.")
    profile.mkdir(parents=True, exist_ok=True)
    command, why = signin_command(chromium, profile)
    if why:
        err.print(why)
    console.print(f"Opening the agent's browser ({profile}). Sign in to your sites, then close the window.")
    log_path = settings.data_dir / "signin-browser.log"
    # The person drives this window, so there is no write gate: Deputy is not acting. Chromium's chatter
    # (no session bus, GPU probing) goes to a log file, not the terminal.
    with log_path.open("ab") as log:
        subprocess.run(command, check=False, stdout=log, stderr=log)


@app.command()
def doctor(port: PortOption = None, data_dir: DataDirOption = None) -> None:
    """Check Chromium, the display and tray, the data folder, the port and the model key, and say what to fix."""
    from backend.doctor import Status, run_checks

    settings = load_settings(port, data_dir)
    checks = run_checks(settings)
    marks = {Status.OK: "[green]ok[/]", Status.WARN: "[yellow]warn[/]", Status.FAIL: "[red]FAIL[/]"}
    for check in checks:
        console.print(f"{marks[check.status]:>16}  [bold]{check.name}[/]: {check.detail}")
        if check.fix:
            console.print(f"{'':>6}  → {check.fix}")
    if any(c.status is Status.FAIL for c in checks):
        raise typer.Exit(1)


@app.command()
def demo() -> None:
    """Serve the demo sites (mail, air, deploy) and print their addresses."""
    import threading

    with ExitStack() as stack:
        console.print("Deputy's demo sites:")
        print_demo_sites(stack)
        console.print("Press Ctrl+C to stop.")
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            console.print("Stopped.")
