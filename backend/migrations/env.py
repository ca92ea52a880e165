"""Alembic's entry: runs migrations on the connection Deputy hands in (see backend.migrations.revisions)."""

from typing import Any

from alembic import context
from sqlalchemy import String
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString, UTCDateTime

import backend.models  # noqa: F401  (registers every table on SQLModel.metadata)


def _render_item(kind: str, item: Any, _autogen_context: Any) -> str | bool:
    # SQLModel's own types are a plain String and a zone-aware DateTime: written so, migrations need only
    # SQLAlchemy, and stay valid whatever SQLModel later calls its types.
    if kind == "type" and isinstance(item, AutoString):
        return repr(String(length=item.length)).replace("String", "sa.String")
    if kind == "type" and isinstance(item, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_item=_render_item,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters a table by copying it
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
