"""Starting Deputy (serve, up, demo), its browser for signing in, and the doctor."""

import errno
import os
from contextlib import ExitStack
from typing import Annotated

import typer

from backend.api_client import LocalClient
from backend.cli.app import (
    DataDirOption,
    PortOption,
    app,
    console,
    fail,
    fresh_code,
    load_settings,
    require_data_dir,
)
from backend.config import Settings
from backend.doctor import Status, run_checks


def serve_forever(settings: Settings, demo: bool) -> None:
    import uvicorn

    from backend.main import create_app
    from backend.servers import bind_loopback

    require_data_dir(settings)
    try:
        sock = bind_loopback(settings.port)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            running = LocalClient(settings, timeout=2).health()
            hint = "Deputy is already running there." if running else "Another program is using it."
            fail(f"Port {settings.port} on 127.0.0.1 is in use. {hint} Choose another with --port or DEPUTY_PORT.")
        fail(f"Cannot listen on 127.0.0.1:{settings.port}: {error.strerror or error}.")
    code, until = fresh_code(settings)
    with ExitStack() as stack:
        console.print(f"[bold]Deputy[/] is running on [cyan]http://127.0.0.1:{settings.port}[/]")
        console.print(
            f"Pairing code for the extension: [bold green]{code}[/] (valid until {until}; `deputy pair` for a new one)"
        )
        console.print(f"Data folder: {settings.data_dir}")
        if demo:
            print_demo_sites(stack)
        console.print("Press Ctrl+C to stop.")
        config = uvicorn.Config(create_app(settings), log_level="warning", ws_ping_interval=20)
        uvicorn.Server(config).run(sockets=[sock])


def print_demo_sites(stack: ExitStack) -> None:
    from backend.demo.server import DEMO_SITES, start_demo_sites

    servers = start_demo_sites(stack)
    for site in DEMO_SITES:
        console.print(f"  {site.title}: [cyan]{servers[site.name].url}/[/]")


@app.command()
def serve(
    port: PortOption = None,
    data_dir: DataDirOption = None,
    demo: Annotated[bool, typer.Option("--demo", help="Also serve the demo sites.")] = False,
) -> None:
    """Run Deputy's server alone, in the foreground."""
    serve_forever(load_settings(port, data_dir), demo)


@app.command()
def up(
    port: PortOption = None,
    data_dir: DataDirOption = None,
    demo: Annotated[bool, typer.Option("--demo", help="Also serve the demo sites.")] = False,
) -> None:
    """Start Deputy: the tray app where there is a display, else the headless server."""
    # The tray arrives with its own issue; until then `up` is the headless server on every machine.
    serve_forever(load_settings(port, data_dir), demo)


def start_background_server(settings: Settings, stack: ExitStack) -> None:
    """Serve Deputy inside this command for its duration (used when no server is running)."""
    from backend.main import create_app
    from backend.servers import ThreadedServer, bind_loopback

    require_data_dir(settings)
    try:
        sock = bind_loopback(settings.port)
    except OSError as error:
        fail(f"Port {settings.port} on 127.0.0.1 is in use by another program ({error.strerror}). Use --port.")
    stack.enter_context(ThreadedServer(create_app(settings), sock=sock))


@app.command()
def browser(
    show: Annotated[bool, typer.Option("--show", help="Open it with a window, to sign in to sites.")] = False,
    data_dir: DataDirOption = None,
) -> None:
    """Open the agent's browser profile with a window, so you can sign in to your sites once."""
    import subprocess

    from backend.browser.flags import CHROMIUM_ARGS, find_chromium

    settings = load_settings(None, data_dir)
    if not show:
        fail("Use `deputy browser --show` to open the agent's browser with a window.")
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        fail("There is no display to show a window on. Run this from your desktop session.")
    chromium = find_chromium(settings.chromium)
    if chromium is None:
        fail("No Chromium found. Install it with `sudo apt-get install chromium` (or set DEPUTY_CHROMIUM).")
    profile = settings.data_dir / "browser-profile"
    if (profile / "SingletonLock").is_symlink():
        fail("The agent's browser is in use by Deputy's server. Stop Deputy first, then sign in.")
    profile.mkdir(parents=True, exist_ok=True)
    console.print(f"Opening the agent's browser ({profile}). Sign in to your sites, then close the window.")
    # The person drives this window, so there is no write gate: Deputy is not acting.
    subprocess.run([str(chromium), f"--user-data-dir={profile}", *CHROMIUM_ARGS], check=False)


@app.command()
def doctor(port: PortOption = None, data_dir: DataDirOption = None) -> None:
    """Check Chromium, the display, the data folder, the port and the model key, and say what to fix."""
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
