"""A database of the test's own, empty: a SQLite file, or on the PostgreSQL pass a new database on the server."""

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def scratch_url(tmp_path: Path, database_url: str | None) -> Iterator[str]:
    if database_url is None:
        yield f"sqlite:///{tmp_path / 'deputy.db'}"
        return
    import psycopg

    server = database_url.replace("+psycopg", "")
    name = "scratch_" + secrets.token_hex(4)
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    yield database_url.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE {name} WITH (FORCE)")
