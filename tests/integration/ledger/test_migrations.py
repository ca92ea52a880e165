"""Migrations: the migrated schema is the models' schema, a database that is behind is refused with the one
command to run, and `deputy db upgrade` / `downgrade` move it without losing what it holds."""

import os
import socket
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import Session, SQLModel

from backend.db import create_schema, make_engine
from backend.migrations import revisions
from backend.models import Task
from backend.tasks import new_task

DEPUTY = [sys.executable, "-m", "backend.cli"]


def deputy(args: list[str], url: str, tmp_path: Path, answer: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "400", "DEPUTY_DATABASE_URL": url, "DEPUTY_DATA_DIR": str(tmp_path / "data")}
    return subprocess.run(DEPUTY + args, capture_output=True, text=True, env=env, input=answer, timeout=120)


def free_port() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return str(sock.getsockname()[1])


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_the_migrations_make_exactly_the_models_schema(scratch_url: str) -> None:
    # A model changed without a migration fails here, with the difference listed.
    engine = make_engine(scratch_url)
    try:
        revisions.upgrade(engine)
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
        assert differences == [], "run `deputy db revision 'what changed'` and commit the migration it writes"
        assert revisions.current(engine) == revisions.head()
        create_schema(engine)  # what start-up checks finds nothing to refuse
    finally:
        engine.dispose()


def test_every_migration_goes_down_and_up_again(scratch_url: str) -> None:
    engine = make_engine(scratch_url)
    try:
        revisions.upgrade(engine)
        chain = [script.revision for script in revisions.scripts().walk_revisions()]  # newest first
        for revision in chain[:-1]:
            assert revisions.downgrade(engine) == revisions.previous(revision)
        revisions.upgrade(engine)
        assert revisions.current(engine) == revisions.head()
    finally:
        engine.dispose()


def test_a_database_behind_is_refused_at_start_up_until_deputy_db_upgrade(scratch_url: str, tmp_path: Path) -> None:
    engine = make_engine(scratch_url)
    now = datetime.now(UTC)
    try:
        revisions.upgrade(engine, revisions.BASELINE)
        with engine.begin() as connection:  # a task written by the Deputy of the first schema
            connection.execute(
                text(
                    "INSERT INTO task (id, instruction, sites, status, grants, trusted_values, destructive_count, "
                    "created_at, updated_at) VALUES ('t_old', 'Tidy the inbox', '[]', 'finished', '[]', '[]', 0, "
                    ":now, :now)"
                ),
                {"now": now},
            )
    finally:
        engine.dispose()

    refused = one_line_error(deputy(["serve", "--port", free_port()], scratch_url, tmp_path))
    assert "run `deputy db upgrade`" in refused
    assert f"revision {revisions.BASELINE}" in refused and revisions.head() in refused
    assert "run `deputy db upgrade`" in one_line_error(deputy(["pair"], scratch_url, tmp_path))

    current = deputy(["db", "current"], scratch_url, tmp_path)
    assert current.returncode == 0 and f"At: {revisions.BASELINE} " in current.stdout

    upgraded = deputy(["db", "upgrade"], scratch_url, tmp_path)
    assert upgraded.returncode == 0, upgraded.stderr
    assert f"upgraded from {revisions.BASELINE} to {revisions.head()}" in upgraded.stdout
    assert "up to date" in deputy(["db", "upgrade"], scratch_url, tmp_path).stdout

    paired = deputy(["pair"], scratch_url, tmp_path)
    assert paired.returncode == 0 and "Pairing code" in paired.stdout
    engine = make_engine(scratch_url)
    try:
        with Session(engine) as session:
            old = session.get(Task, "t_old")
            assert old is not None and old.instruction == "Tidy the inbox" and old.user_id == ""
    finally:
        engine.dispose()

    # The last migration can be undone, after a question that defaults to no.
    kept = deputy(["db", "downgrade"], scratch_url, tmp_path, answer="\n")
    assert kept.returncode != 0 and "Nothing was changed" in kept.stderr
    down = deputy(["db", "downgrade", "--yes"], scratch_url, tmp_path)
    assert down.returncode == 0, down.stderr
    assert f"now at {revisions.previous(revisions.head())}" in down.stdout
    assert "run `deputy db upgrade`" in one_line_error(deputy(["pair"], scratch_url, tmp_path))


def test_a_database_from_before_migrations_keeps_its_data(scratch_url: str, tmp_path: Path) -> None:
    url = scratch_url
    engine = make_engine(url)
    try:
        revisions.upgrade(engine, revisions.BASELINE)
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE alembic_version"))  # as Deputy made it before it had migrations
        assert "run `deputy db upgrade`" in one_line_error(deputy(["pair"], url, tmp_path))
        assert deputy(["db", "upgrade"], url, tmp_path).returncode == 0
        assert revisions.current(engine) == revisions.head()
    finally:
        engine.dispose()


def test_a_new_database_is_made_at_the_newest_schema(scratch_url: str, tmp_path: Path) -> None:
    assert deputy(["pair"], scratch_url, tmp_path).returncode == 0
    engine = make_engine(scratch_url)
    try:
        assert revisions.current(engine) == revisions.head()
        with Session(engine) as session:
            new_task(session, "Check in for AB123", datetime.now(UTC), user_id="ana", team="ops")
            session.commit()
    finally:
        engine.dispose()


def test_bad_database_addresses_get_one_line(tmp_path: Path) -> None:
    cases = {
        "not a url": "not a database address Deputy can read",
        "mysql://deputy@127.0.0.1/deputy": "Deputy works with SQLite and PostgreSQL",
        "postgresql://deputy@127.0.0.1:1/deputy": "Deputy cannot reach the database at",
        "postgresql+psycopg://deputy:secret@127.0.0.1:1": "names no database",
    }
    commands = (["serve", "--port", free_port()], ["pair"], ["db", "upgrade"], ["db", "current"])
    # Each address through another command: start-up, a command that uses the database, and `deputy db`.
    for index, (url, expected) in enumerate(cases.items()):
        command = commands[index % len(commands)]
        line = one_line_error(deputy(command, url, tmp_path))
        assert expected in line, (url, command, line)
        assert "secret" not in line
    assert "Deputy works with SQLite and PostgreSQL" in one_line_error(
        deputy(["serve", "--port", free_port()], "oracle://db/x", tmp_path)
    )
