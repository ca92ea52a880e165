"""The database engine and sessions: SQLite in WAL mode by default, or PostgreSQL for a team's shared ledger.

A database is made at the newest schema when it is new, and refused with the one command to run when it is
behind (`deputy db upgrade`); the schema itself only ever changes through migrations (backend/migrations).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, event, inspect, make_url
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError, OperationalError
from sqlmodel import Session, SQLModel, create_engine

import backend.models  # noqa: F401  (registers every table on SQLModel.metadata)

URL_FORMS = "sqlite:///PATH or postgresql+psycopg://USER:PASSWORD@HOST:PORT/DATABASE"


class DatabaseUnusable(Exception):
    """Deputy cannot use this database (a bad address, a server it cannot reach, a file that is not its own,
    a schema that is behind or ahead); the message is one sentence saying which and what to do."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # The CLI, the server and a team's other processes share the file; wait for a writer instead of failing.
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def parse_url(url: str) -> URL:
    """The address as SQLAlchemy reads it; PostgreSQL always through psycopg, the driver Deputy ships."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseUnusable(
            f"DEPUTY_DATABASE_URL is not a database address Deputy can read; write it as {URL_FORMS}."
        ) from None
    backend = parsed.get_backend_name()
    if backend in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+psycopg")
    if backend != "sqlite":
        raise DatabaseUnusable(
            f"Deputy works with SQLite and PostgreSQL, not {backend!r}; set DEPUTY_DATABASE_URL to {URL_FORMS}."
        )
    return parsed


def make_engine(url: str) -> Engine:
    parsed = parse_url(url)
    try:
        if parsed.get_backend_name() == "sqlite":
            engine = create_engine(parsed, connect_args={"check_same_thread": False})
            event.listen(engine, "connect", _sqlite_pragmas)
            return engine
        if not parsed.database:
            raise DatabaseUnusable(f"DEPUTY_DATABASE_URL names no database ({where(parsed)}); write it as {URL_FORMS}.")
        # A server that does not answer is reported after seconds, not after the system's TCP timeout.
        return create_engine(
            parsed, pool_pre_ping=True, connect_args={"connect_timeout": 5, "application_name": "deputy"}
        )
    except (ArgumentError, NoSuchModuleError, ImportError, TypeError) as error:
        raise DatabaseUnusable(f"DEPUTY_DATABASE_URL cannot be used ({error}); write it as {URL_FORMS}.") from None


def where(url: URL) -> str:
    return str(url.database) if url.get_backend_name() == "sqlite" else url.render_as_string(hide_password=True)


def _first_line(error: DatabaseError) -> str:
    reason = str(error.orig) if error.orig is not None else type(error).__name__
    return reason.strip().splitlines()[0] if reason.strip() else type(error).__name__


def create_schema(engine: Engine) -> None:
    """Make a new database at the newest schema, or check an existing one is at it.

    Raises DatabaseUnusable with one sentence saying which database, what is wrong, and what to do.
    """
    from backend.migrations import revisions

    place = where(engine.url)
    is_file = engine.url.get_backend_name() == "sqlite"
    fix = (
        f"Move {place} aside (rename it, e.g. to deputy.db.bad) and start Deputy again to begin a new one, "
        "or point DEPUTY_DATABASE_URL at another database."
        if is_file
        else "Point DEPUTY_DATABASE_URL at a database of Deputy's own."
    )
    try:
        with engine.begin() as connection:
            _serialize_schema_work(connection)
            tables = set(inspect(connection).get_table_names())
            at = revisions.current_on(connection)
            ours = {table.name for table in SQLModel.metadata.sorted_tables}
            if at is None and not tables & ours:
                # A new database: every table at once, marked as the newest revision (the schema test keeps
                # the two equal).
                SQLModel.metadata.create_all(connection)
                revisions.stamp_on(connection, revisions.head())
                return
            if at is None:
                # Made before Deputy had migrations: the first revision is exactly that schema.
                _check_columns(connection, place, fix, baseline=True)
                revisions.stamp_on(connection, revisions.BASELINE)
                at = revisions.BASELINE
        newest = revisions.head()
        if at == newest:
            with engine.connect() as connection:
                _check_columns(connection, place, fix, baseline=False)
            return
        if revisions.known(at):
            raise DatabaseUnusable(
                f"{place} is at schema revision {at} and this Deputy needs {newest}: "
                "run `deputy db upgrade` (with the same DEPUTY_DATABASE_URL or --data-dir), then start Deputy again."
            )
        raise DatabaseUnusable(
            f"{place} was migrated by a newer Deputy (schema revision {at}, unknown to this one): "
            "update Deputy, or point DEPUTY_DATABASE_URL at another database."
        )
    except DatabaseError as error:
        raise unusable(engine, error, fix) from None


def unusable(engine: Engine, error: DatabaseError, fix: str = "") -> DatabaseUnusable:
    """One sentence for a database error: a server Deputy cannot reach, or a file that is not a database."""
    place = where(engine.url)
    if isinstance(error, OperationalError) and engine.url.get_backend_name() != "sqlite":
        return DatabaseUnusable(
            f"Deputy cannot reach the database at {place} ({_first_line(error)}); check that the server runs "
            "and that DEPUTY_DATABASE_URL is right."
        )
    return DatabaseUnusable(f"{place} is not a database Deputy can use ({_first_line(error)}). {fix}".strip())


def _serialize_schema_work(connection: Connection) -> None:
    # Several Deputys may start at once on one new database: one makes the schema, the others then see it.
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SELECT pg_advisory_xact_lock(8740)")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _check_columns(connection: Connection, place: str, fix: str, baseline: bool) -> None:
    from backend.migrations import revisions

    found = inspect(connection)
    tables = set(found.get_table_names())
    if baseline:
        expected = revisions.baseline_columns()
    else:
        expected = {t.name: {c.name for c in t.columns} for t in SQLModel.metadata.sorted_tables}
    for name, wanted in expected.items():
        have = {column["name"] for column in found.get_columns(name)} if name in tables else set()
        if baseline and name not in tables:
            continue  # made before this table existed: the first upgrade adds it
        missing = sorted(wanted - have)
        if missing:
            raise DatabaseUnusable(
                f"{place} holds a table {name!r} without the columns {', '.join(missing)}: "
                f"it was made by another program or another version of Deputy. {fix}"
            )


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error, so nothing is half written."""
    with Session(engine) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def exclusive(engine: Engine) -> Iterator[Connection]:
    """A transaction no other writer can interleave with: SQLite's BEGIN IMMEDIATE takes the file's write
    lock at the start (not at the first write, when another process may already have read the same sums);
    on PostgreSQL the caller locks the rows it decides on (SELECT ... FOR UPDATE)."""
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            yield connection
            connection.commit()
        except BaseException:
            connection.rollback()
            raise
