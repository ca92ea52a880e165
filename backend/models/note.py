"""Memory notes: short sentences about the person's preferences that dreaming proposed and the person kept.

A note is given to the agent's model as a preference; the policy never reads it, so a note can make Deputy
more careful in how it works, never allow what the person's rules forbid.
"""

from datetime import datetime

from sqlmodel import Field as SQLField
from sqlmodel import SQLModel


class Note(SQLModel, table=True):
    __tablename__ = "note"

    id: int | None = SQLField(default=None, primary_key=True)
    text: str = SQLField(max_length=300)
    # What the note is about, as dreaming counts it ("declines:unsubscribe"): one kept note per key.
    key: str = SQLField(index=True, max_length=80)
    created_at: datetime
    approval_id: str | None = SQLField(default=None, max_length=32)
    retired_at: datetime | None = None  # a later night's proposal, approved, took it back
