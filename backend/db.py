"""The database engine and sessions: SQLite in WAL mode by default, any SQLAlchemy URL otherwise."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event, inspect
from sqlalchemy.exc import DatabaseError
from sqlmodel import Session, SQLModel, create_engine

import backend.models  # noqa: F401  (registers every table on SQLModel.metadata)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # The CLI and the server share the file; wait for a writer instead of failing at once.
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


class DatabaseUnusable(Exception):
    """The database file cannot be Deputy's: corrupt, not SQLite, or made by another program."""


def _where(engine: Engine) -> str:
    url = engine.url
    return str(url.database) if url.get_backend_name() == "sqlite" else url.render_as_string(hide_password=True)


def create_schema(engine: Engine) -> None:
    """Create missing tables; raises DatabaseUnusable with one sentence saying which file and what to do."""
    where = _where(engine)
    fix = (
        f"Move {where} aside (rename it, e.g. to deputy.db.bad) and start Deputy again to begin a new one, "
        "or point DEPUTY_DATABASE_URL at another database."
    )
    try:
        SQLModel.metadata.create_all(engine)
        found = inspect(engine)
        for table in SQLModel.metadata.sorted_tables:
            have = {column["name"] for column in found.get_columns(table.name)}
            missing = sorted(column.name for column in table.columns if column.name not in have)
            if missing:
                raise DatabaseUnusable(
                    f"{where} holds a table {table.name!r} without the columns {', '.join(missing)}: "
                    f"it was made by another program or another version of Deputy. {fix}"
                )
    except DatabaseError as error:
        reason = str(error.orig) if error.orig is not None else type(error).__name__
        raise DatabaseUnusable(f"{where} is not a database Deputy can use ({reason}). {fix}") from None


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
