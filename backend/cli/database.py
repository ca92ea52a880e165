"""`deputy db`: where the database stands among Deputy's migrations, and moving it."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from backend.cli.app import DataDirOption, app, console, fail, load_settings, require_data_dir

if TYPE_CHECKING:
    from sqlalchemy import Engine

db_app = typer.Typer(help="The database's schema: `deputy db upgrade` applies migrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@contextmanager
def _engine(data_dir: DataDirOption) -> Iterator["Engine"]:
    from sqlalchemy.exc import DatabaseError

    from backend.db import DatabaseUnusable, make_engine, unusable

    settings = load_settings(data_dir=data_dir)
    if settings.database_url is None:
        require_data_dir(settings)
    try:
        engine = make_engine(settings.sqlalchemy_url)
    except DatabaseUnusable as problem:
        fail(str(problem))
    try:
        yield engine
    except DatabaseError as error:
        fail(str(unusable(engine, error)))
    finally:
        engine.dispose()


def _label(revision: str | None) -> str:
    from backend.migrations import revisions

    if revision is None:
        return "none (a new database, or one made before migrations)"
    script = revisions.scripts().get_revision(revision) if revisions.known(revision) else None
    return f"{revision} ({script.doc})" if script is not None else f"{revision} (unknown to this Deputy)"


@db_app.command()
def current(data_dir: DataDirOption = None) -> None:
    """The database's schema revision, and the newest this Deputy knows."""
    from backend.db import DatabaseUnusable, where
    from backend.migrations import revisions

    with _engine(data_dir) as engine:
        try:
            at = revisions.current(engine)
        except DatabaseUnusable as problem:
            fail(str(problem))
        console.print(f"Database: {where(engine.url)}")
        console.print(f"At: {_label(at)}")
        console.print(f"Newest: {_label(revisions.head())}")
        if at != revisions.head() and (at is None or revisions.known(at)):
            console.print("Run `deputy db upgrade` to bring it up to date.")


@db_app.command()
def upgrade(data_dir: DataDirOption = None) -> None:
    """Apply every migration the database lacks (a new database is made at the newest schema)."""
    from backend.db import DatabaseUnusable, create_schema, where
    from backend.migrations import revisions

    with _engine(data_dir) as engine:
        try:
            before = revisions.current(engine)
            if before is not None and not revisions.known(before):
                fail(f"{where(engine.url)} is at {_label(before)}: it was migrated by a newer Deputy; update Deputy.")
            if before is None:
                create_schema(engine)  # new: made at head; made before migrations: marked at the first revision
                before = revisions.current(engine)
            revisions.upgrade(engine)
            create_schema(engine)
        except DatabaseUnusable as problem:
            fail(str(problem))
        after = revisions.current(engine)
        if after == before:
            console.print(f"{where(engine.url)} is up to date: {_label(after)}.")
        else:
            console.print(f"{where(engine.url)} upgraded from {before} to {_label(after)}.")


@db_app.command()
def downgrade(
    data_dir: DataDirOption = None,
    yes: Annotated[bool, typer.Option("--yes", help="Do it without asking.")] = False,
) -> None:
    """Undo the newest migration applied to the database (the columns and tables it added are dropped)."""
    from backend.db import where
    from backend.migrations import revisions

    with _engine(data_dir) as engine:
        at = revisions.current(engine)
        if at is None:
            fail(f"{where(engine.url)} has no migrations applied; there is nothing to undo.")
        if not revisions.known(at):
            fail(f"{where(engine.url)} is at {_label(at)}: only the Deputy that made it can undo it.")
        back_to = revisions.previous(at)
        if back_to is None:
            fail(f"{where(engine.url)} is at the first revision ({_label(at)}); there is no earlier schema to go to.")
        if not yes and not typer.confirm(
            f"Undo {_label(at)} on {where(engine.url)}? What it added is dropped, with its data", default=False
        ):
            fail("Nothing was changed.")
        now = revisions.downgrade(engine)
        console.print(f"{where(engine.url)} is now at {_label(now)}; this Deputy needs `deputy db upgrade` to run.")


@db_app.command()
def revision(message: Annotated[str, typer.Argument(help="What the change is, in a few words.")]) -> None:
    """For Deputy's developers: write a migration from the models' changes since the newest one."""
    from backend.migrations import revisions

    path = revisions.new_revision(message)
    console.print(f"Wrote {path}: read it, then commit it with the model change.")
