"""`deputy`: start Deputy, pair clients, and check the machine. Errors a user can cause never print a traceback."""

import errno
import os
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table
from sqlmodel import Session, select

from backend import pairing
from backend.api_client import LocalClient, ServerUnavailable
from backend.clock import SystemClock
from backend.config import Settings
from backend.db import create_schema, make_engine, session_scope
from backend.doctor import Status, check_data_dir, run_checks
from backend.models import Client

app = typer.Typer(
    help="Deputy: a local web agent that asks before anything consequential.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
console = Console()
err = Console(stderr=True)

PortOption = Annotated[int | None, typer.Option("--port", help="Port on 127.0.0.1 (default 8740 or DEPUTY_PORT).")]
DataDirOption = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Deputy's data folder (default: DEPUTY_DATA_DIR or the user data folder)."),
]


def fail(message: str, code: int = 1) -> NoReturn:
    err.print(f"[bold red]Error:[/] {message}")
    raise typer.Exit(code)


def load_settings(port: int | None = None, data_dir: Path | None = None) -> Settings:
    overrides: dict[str, object] = {}
    if port is not None:
        overrides["port"] = port
    if data_dir is not None:
        overrides["data_dir"] = data_dir
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        problems = []
        for item in error.errors():
            name = "DEPUTY_" + "_".join(str(p) for p in item["loc"]).upper() if item["loc"] else "settings"
            problems.append(f"{name}: {item['msg']} (got {item.get('input')!r})")
        fail("Bad setting. " + "; ".join(problems))


def require_data_dir(settings: Settings) -> None:
    check = check_data_dir(settings.data_dir)
    if check.status is not Status.OK:
        fail(f"{check.detail} {check.fix}")


@contextmanager
def database(settings: Settings) -> Iterator[Session]:
    require_data_dir(settings)
    engine = make_engine(settings.sqlalchemy_url)
    try:
        create_schema(engine)
        with session_scope(engine) as session:
            yield session
    finally:
        engine.dispose()


def fresh_code(settings: Settings) -> tuple[str, str]:
    with database(settings) as session:
        code, expires = pairing.new_code(session, SystemClock().now())
    return code, expires.astimezone().strftime("%H:%M")


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


@app.command()
def pair(
    revoke: Annotated[str | None, typer.Option("--revoke", help="Revoke the paired client of this name.")] = None,
    list_: Annotated[bool, typer.Option("--list", help="List paired clients.")] = False,
    port: PortOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Print a fresh one-time pairing code for the extension (or list or revoke paired clients)."""
    settings = load_settings(port, data_dir)
    if revoke is not None:
        revoke_client(settings, revoke)
    elif list_:
        list_clients(settings)
    else:
        code, until = fresh_code(settings)
        console.print(f"Pairing code: [bold green]{code}[/]")
        console.print(f"Enter it in Deputy's extension (Options → Pair) before {until}. It works once.")


def revoke_client(settings: Settings, name: str) -> None:
    client = LocalClient(settings)
    if client.health() is not None:
        try:
            response = client.request("POST", f"/api/clients/{name}/revoke")
        except ServerUnavailable as error:
            fail(str(error))
        if response.status_code != 200:
            fail(response.json().get("detail", f"Deputy answered {response.status_code}."))
    else:
        with database(settings) as session:
            try:
                pairing.revoke(session, name, SystemClock().now())
            except pairing.PairingError as refusal:
                fail(str(refusal))
    console.print(f"Revoked {name!r}: its token no longer works.")


def list_clients(settings: Settings) -> None:
    table = Table("name", "kind", "origin", "paired", "last seen", "revoked")
    with database(settings) as session:
        for row in session.exec(select(Client).order_by(Client.id)):
            table.add_row(
                row.name,
                row.kind,
                row.origin or "",
                f"{row.created_at:%Y-%m-%d %H:%M}",
                f"{row.last_seen_at:%Y-%m-%d %H:%M}" if row.last_seen_at else "",
                f"{row.revoked_at:%Y-%m-%d %H:%M}" if row.revoked_at else "",
            )
    console.print(table)


def server_client(settings: Settings) -> LocalClient:
    client = LocalClient(settings)
    if client.health() is None:
        fail(f"Deputy is not running on 127.0.0.1:{settings.port}. Start it with `deputy up`.")
    return client


def call(client: LocalClient, method: str, path: str, body: object = None) -> object:
    try:
        response = client.request(method, path, body)
    except ServerUnavailable as error:
        fail(str(error))
    try:
        payload = response.json()
    except ValueError:
        fail(f"Deputy answered {response.status_code} without a readable body.")
    if response.status_code >= 400:
        detail = payload.get("detail") if isinstance(payload, dict) else None
        fail(str(detail or f"Deputy answered {response.status_code}."))
    return payload


@app.command()
def approvals(
    verb: Annotated[str | None, typer.Argument(help="approve or reject; omit to list pending approvals")] = None,
    approval_id: Annotated[str | None, typer.Argument(help="The approval's id, as listed")] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Why you reject it (told to the agent).")] = None,
    port: PortOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """List pending approvals, or approve / reject one."""
    client = server_client(load_settings(port, data_dir))
    if verb is None:
        pending = call(client, "GET", "/api/approvals?status=pending")
        assert isinstance(pending, list)
        if not pending:
            console.print("No approvals are waiting.")
            return
        table = Table("id", "risk", "action", "target", "why", "expires")
        for item in pending:
            table.add_row(
                item["id"],
                item["risk"],
                item["action"],
                item["target"] or "",
                item["policy_reason"],
                item["expires_at"],
            )
        console.print(table)
        return
    if verb not in ("approve", "reject") or not approval_id:
        fail("Use `deputy approvals`, `deputy approvals approve ID` or `deputy approvals reject ID [--reason TEXT]`.")
    body = {"reason": reason} if verb == "reject" else {}
    answer = call(client, "POST", f"/api/approvals/{approval_id}/{verb}", body)
    assert isinstance(answer, dict)
    console.print(f"{answer['id']}: {answer['status']} ({answer['action']} {answer['target'] or ''})")


@app.command()
def rules(
    verb: Annotated[str | None, typer.Argument(help="add or delete; omit to list")] = None,
    kind: Annotated[
        str | None, typer.Argument(help="for add: the rule kind, e.g. site_block; for delete: the id")
    ] = None,
    value: Annotated[str | None, typer.Argument(help='for add: the value as JSON, e.g. \'{"host": "x.com"}\'')] = None,
    port: PortOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """List, add or delete your rules (site allow/block lists, never send, grants, quiet hours, budgets)."""
    import json

    client = server_client(load_settings(port, data_dir))
    if verb is None:
        table = Table("id", "kind", "value")
        listed = call(client, "GET", "/api/rules")
        assert isinstance(listed, list)
        for rule in listed:
            table.add_row(str(rule["id"]), rule["kind"], json.dumps(rule["value"]))
        console.print(table)
    elif verb == "add" and kind:
        try:
            parsed = json.loads(value) if value else {}
        except ValueError:
            fail(f'The value must be JSON, e.g. \'{{"host": "example.com"}}\'; got {value!r}.')
        made = call(client, "POST", "/api/rules", {"kind": kind, "value": parsed})
        assert isinstance(made, dict)
        console.print(f"Added rule {made['id']}: {made['kind']} {json.dumps(made['value'])}")
    elif verb == "delete" and kind and kind.isdigit():
        call(client, "POST", f"/api/rules/{kind}/delete")
        console.print(f"Deleted rule {kind}.")
    else:
        fail("Use `deputy rules`, `deputy rules add KIND '{JSON}'` or `deputy rules delete ID`.")


@app.command("run")
def run_task(
    instruction: Annotated[str, typer.Argument(help="What Deputy should do, in your words.")],
    url: Annotated[str | None, typer.Option("--url", help="The page to start on.")] = None,
    budget: Annotated[float | None, typer.Option("--budget", help="The most this task may spend, in dollars.")] = None,
    port: PortOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Run a task in the terminal: live steps and costs, approvals answered inline (y/n/e)."""
    from backend.terminal import run_in_terminal

    settings = load_settings(port, data_dir)
    client = LocalClient(settings)
    body = {"instruction": instruction, "url": url, "budget_usd": budget}
    with ExitStack() as stack:
        if client.health() is None:
            start_background_server(settings, stack)
        task = call(client, "POST", "/api/tasks", {k: v for k, v in body.items() if v is not None})
        assert isinstance(task, dict)
        token = settings.local_token_path.read_text().strip()
        try:
            status = run_in_terminal(console, client, token, settings.port, task)
        except KeyboardInterrupt:
            client.request("POST", f"/api/tasks/{task['id']}/cancel")
            err.print("Cancelled.")
            raise typer.Exit(130) from None
        except ConnectionError as error:
            fail(f"Lost the connection to Deputy: {error}")
    if status != "finished":
        raise typer.Exit(1)


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
def costs(
    period: Annotated[str, typer.Option("--period", help="day, week or month")] = "day",
    port: PortOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Spend, tokens, outcomes and cost per outcome, and waste."""
    from backend.ledger.report import PERIOD_DAYS, usage_report

    if period not in PERIOD_DAYS:
        fail(f"--period must be day, week or month, not {period!r}.")
    settings = load_settings(port, data_dir)
    with database(settings) as session:
        report = usage_report(session, period, SystemClock().now())  # type: ignore[arg-type]
    tokens = report["tokens"]
    console.print(f"[bold]Spend this {period}[/]: ${report['spend_usd']:.4f} in {report['calls']} model calls")
    if report["price_unknown_calls"]:
        console.print(
            f"[yellow]{report['price_unknown_calls']} calls used a model whose price is unknown (not counted).[/]"
        )
    console.print(
        f"Tokens: input {tokens['input']}, output {tokens['output']}, cache read {tokens['cache_read']}, "
        f"cache write {tokens['cache_write']}"
    )
    budget = report["budget"]
    if budget["day_usd"] is not None:
        console.print(f"Daily budget: ${budget['day_usd']:.2f}, ${budget['day_left_usd']:.4f} left today")
    table = Table("outcome", "count", "cost per outcome")
    for name, count in report["outcomes"].items():
        per = report["cost_per_outcome"][name]
        table.add_row(name.replace("_", " "), str(count), f"${per:.4f}" if per is not None else "-")
    console.print(table)
    waste = report["waste"]
    console.print(
        f"Waste: ${waste['usd']:.4f} ({waste['tokens']} tokens) on {len(waste['tasks'])} tasks that got nothing done; "
        f"{waste['loops']} loops stopped"
    )
    if report["top_tasks"]:
        top = Table("task", "status", "spend", "instruction")
        for task in report["top_tasks"]:
            top.add_row(task["id"], task["status"], f"${task['spend_usd']:.4f}", task["instruction"][:60])
        console.print(top)


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


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as error:
        if os.environ.get("DEPUTY_DEBUG"):
            raise
        err.print(f"[bold red]Deputy hit an unexpected error:[/] {error}")
        err.print("Run again with DEPUTY_DEBUG=1 to see the details, and please report it.")
        sys.exit(1)


if __name__ == "__main__":
    main()
