"""The `deputy` command's frame: settings, errors a person can read, and the way to the running server.

Every command imports what it needs when it runs: the server, the database layer and the browser take
seconds to import, and `deputy --help` or `deputy approvals` need none of them.
"""

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console

from backend.api_client import LocalClient, ServerUnavailable

if TYPE_CHECKING:
    from sqlmodel import Session

    from backend.config import Settings

app = typer.Typer(
    help="Deputy: a local web agent that asks before anything consequential.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
console = Console(highlight=False)
err = Console(stderr=True, highlight=False)

PortOption = Annotated[int | None, typer.Option("--port", help="Port on 127.0.0.1 (default 8740 or DEPUTY_PORT).")]
DataDirOption = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Deputy's data folder (default: DEPUTY_DATA_DIR or the user data folder)."),
]


def fail(message: str, code: int = 1) -> NoReturn:
    err.print(f"[bold red]Error:[/] {message}")
    raise typer.Exit(code)


def load_settings(port: int | None = None, data_dir: Path | None = None) -> "Settings":
    from pydantic import ValidationError

    from backend.config import Settings

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


def require_data_dir(settings: "Settings") -> None:
    from backend.doctor import Status, check_data_dir

    check = check_data_dir(settings.data_dir)
    if check.status is not Status.OK:
        fail(f"{check.detail} {check.fix}")


@contextmanager
def database(settings: "Settings") -> Iterator["Session"]:
    from backend.db import DatabaseUnusable, create_schema, make_engine, session_scope

    require_data_dir(settings)
    try:
        engine = make_engine(settings.sqlalchemy_url)
    except DatabaseUnusable as problem:
        fail(str(problem))
    try:
        try:
            create_schema(engine)
        except DatabaseUnusable as problem:
            fail(str(problem))
        with session_scope(engine) as session:
            yield session
    finally:
        engine.dispose()


def fresh_code(settings: "Settings") -> tuple[str, str]:
    from backend import pairing
    from backend.clock import SystemClock

    with database(settings) as session:
        code, expires = pairing.new_code(session, SystemClock().now())
    return code, expires.astimezone().strftime("%H:%M")


def local_client(settings: "Settings", timeout: float = 30.0) -> LocalClient:
    """Deputy's API for a command: a busy Deputy is waited for, up to `timeout` seconds an answer."""
    return LocalClient.for_settings(settings, timeout)


def server_client(settings: "Settings") -> LocalClient:
    client = local_client(settings)
    if client.health() is None:
        fail(f"Deputy is not running on 127.0.0.1:{settings.port}. Start it with `deputy up`.")
    return client


def call(client: LocalClient, method: str, path: str, body: object = None) -> Any:
    try:
        reply = client.request(method, path, body)
    except ServerUnavailable as error:
        fail(str(error))
    if reply.status_code >= 400:
        fail(reply.detail())
    try:
        return reply.json()
    except ValueError:
        fail(f"Deputy answered {reply.status_code} without a readable body.")


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
