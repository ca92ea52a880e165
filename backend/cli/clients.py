"""Pairing the extension and other clients: codes, the list, revoking."""

from typing import TYPE_CHECKING, Annotated

import typer

from backend.api_client import ServerUnavailable
from backend.cli.app import (
    DataDirOption,
    PortOption,
    app,
    console,
    database,
    fail,
    fresh_code,
    load_settings,
    local_client,
)

if TYPE_CHECKING:
    from backend.config import Settings


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


def revoke_client(settings: "Settings", name: str) -> None:
    client = local_client(settings)
    if client.health() is not None:
        try:
            reply = client.request("POST", f"/api/clients/{name}/revoke")
        except ServerUnavailable as error:
            fail(str(error))
        if reply.status_code != 200:
            fail(reply.detail())
    else:
        from backend import pairing
        from backend.clock import SystemClock

        with database(settings) as session:
            try:
                pairing.revoke(session, name, SystemClock().now())
            except pairing.PairingError as refusal:
                fail(str(refusal))
    console.print(f"Revoked {name!r}: its token no longer works.")


def list_clients(settings: "Settings") -> None:
    from rich.table import Table
    from sqlmodel import select

    from backend.models import Client

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
