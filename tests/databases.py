"""Databases a test holds on its own: on SQLite a file, on the PostgreSQL pass a database on the test server."""

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def own_database(folder: Path, postgres: str | None) -> Iterator[str]:
    """An empty database that only its holder uses, and that outlives a test if its holder does: a SQLite file
    in `folder`, or on the PostgreSQL pass (`postgres` is the pass's database) a new database on the server."""
    if postgres is None:
        yield f"sqlite:///{folder / 'deputy.db'}"
        return
    import psycopg

    server = postgres.replace("+psycopg", "")
    name = "scratch_" + secrets.token_hex(4)
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield postgres.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


def copy_database(source_url: str, target_url: str) -> None:
    """Every row of a Deputy database into a new one at the newest schema, on SQLite or PostgreSQL alike."""
    from sqlmodel import SQLModel

    from backend.db import create_schema, make_engine

    source, target = make_engine(source_url), make_engine(target_url)
    try:
        create_schema(target)
        with source.connect() as reading, target.begin() as writing:
            for table in SQLModel.metadata.sorted_tables:
                rows = [dict(row._mapping) for row in reading.execute(table.select())]
                if rows:
                    writing.execute(table.insert(), rows)
            if target.dialect.name == "postgresql":
                # Rows came with their ids: move each id sequence past them, as their inserts would have.
                quote = target.dialect.identifier_preparer.quote
                for table in SQLModel.metadata.sorted_tables:
                    for column in table.primary_key.columns:
                        if column.type.python_type is not int:
                            continue
                        name, key = quote(table.name), quote(column.name)
                        writing.exec_driver_sql(  # setval(NULL, ...) does nothing: a key with no sequence
                            f"SELECT setval(pg_get_serial_sequence('{name}', '{column.name}'), "
                            f"COALESCE(MAX({key}), 0) + 1, false) FROM {name}"
                        )
    finally:
        source.dispose()
        target.dispose()
