"""Mail triage has seen: one row per message as the list showed it, so a proposed rule can say how many
past messages it would have matched. Only what the list shows is kept (sender, subject, date, marks), and
the reader's category and whether it was flagged; never a body."""

from datetime import datetime

from sqlmodel import Field as SQLField
from sqlmodel import SQLModel


class SeenMail(SQLModel, table=True):
    __tablename__ = "seen_mail"

    id: int | None = SQLField(default=None, primary_key=True)
    # sender, subject and date as the list shows them: the same message seen again is the same row.
    key: str = SQLField(index=True, unique=True, max_length=700)
    sender: str = SQLField(max_length=200)
    subject: str = SQLField(max_length=400)
    snippet: str = SQLField(default="", max_length=400)
    unsubscribe: bool = False
    attachment: bool = False
    category: str | None = SQLField(default=None, max_length=16)  # the reader's, when it read this message
    action: str | None = SQLField(default=None, max_length=16)  # the action the reader suggested then
    suspicious: bool = False  # the reader flagged it once: no rule is ever learnt from it
    first_seen_at: datetime
    last_seen_at: datetime
