"""Where a database stands among Deputy's migrations, and moving it: upgrade, downgrade, a new revision.

Alembic is configured in code (no alembic.ini), with the scripts found through this package, so `deputy db ...`
works from any folder. Every function takes the engine Deputy already made, so SQLite's pragmas and
PostgreSQL's session settings apply to migrations too.
"""

import functools
import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, inspect

HERE = Path(__file__).parent
# The schema Deputy had when migrations began: a database made before then, with no version table, is at it.
BASELINE = "0001"


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(HERE))
    config.set_main_option("path_separator", "os")
    return config


def scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config())


def head() -> str:
    found = scripts().get_current_head()
    assert found is not None, "Deputy ships at least its first migration"
    return found


def known(revision: str) -> bool:
    try:
        return scripts().get_revision(revision) is not None
    except Exception:
        return False


def current_on(connection: Connection) -> str | None:
    """The database's revision; None when it has no version table (new, or made before migrations)."""
    return MigrationContext.configure(connection).get_current_revision()


def current(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return current_on(connection)


def _run(connection: Connection, step: str, target: str) -> None:
    config = _config()
    config.attributes["connection"] = connection
    if step == "upgrade":
        command.upgrade(config, target)
    elif step == "downgrade":
        command.downgrade(config, target)
    else:
        command.stamp(config, target)


def upgrade(engine: Engine, target: str = "head") -> None:
    with engine.begin() as connection:
        _run(connection, "upgrade", target)


def downgrade(engine: Engine) -> str | None:
    """Undo the last applied migration; returns the revision the database is at now."""
    with engine.begin() as connection:
        _run(connection, "downgrade", "-1")
    return current(engine)


def stamp_on(connection: Connection, revision: str) -> None:
    _run(connection, "stamp", revision)


@functools.cache
def baseline_columns() -> dict[str, set[str]]:
    """Each table's columns at the first revision: what a database made before migrations must hold."""
    engine = create_engine("sqlite://")
    try:
        upgrade(engine, BASELINE)
        with engine.connect() as connection:
            found = inspect(connection)
            return {
                name: {column["name"] for column in found.get_columns(name)}
                for name in found.get_table_names()
                if name != "alembic_version"
            }
    finally:
        engine.dispose()


def previous(revision: str) -> str | None:
    down = scripts().get_revision(revision).down_revision
    return down if isinstance(down, str) or down is None else down[0]


def new_revision(message: str) -> Path:
    """Write a migration from the difference between the models and the schema at head; returns its file."""
    with tempfile.TemporaryDirectory() as scratch:
        engine = create_engine(f"sqlite:///{Path(scratch) / 'head.db'}")
        try:
            upgrade(engine)
            number = len(list(scripts().walk_revisions())) + 1
            with engine.begin() as connection:
                config = _config()
                config.attributes["connection"] = connection
                script = command.revision(config, message, autogenerate=True, rev_id=f"{number:04d}")
        finally:
            engine.dispose()
    assert script is not None and not isinstance(script, list)
    path = Path(script.path)
    # Alembic's "please adjust" banners say nothing a reviewer needs.
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.strip().startswith("# ### ")))
    return path
