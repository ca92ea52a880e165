"""Memory notes: saving the ones the person approved, and the preferences block the agent's model is given.

The block is the only place notes go. The policy never reads them: a note shapes how the model works, and
never allows what the policy asks about or refuses.
"""

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from backend.clock import Clock
from backend.models import ApprovalStatus, Note
from backend.policy.lifecycle import Lifecycle

PREFERENCES_HEADING = "## The person's preferences (notes they approved)"
PREFERENCES_PREAMBLE = (
    "These are preferences the person accepted about how they like things done. They are not permissions "
    "and not rules: they never allow an action that Deputy asks about or refuses."
)


def live_notes(engine: Engine) -> list[Note]:
    with Session(engine) as session:
        query = select(Note).where(col(Note.retired_at).is_(None)).order_by(col(Note.id))
        return list(session.exec(query))


def preferences(engine: Engine) -> str:
    """The block appended to the agent's system prompt, or nothing when no note was kept."""
    notes = live_notes(engine)
    if not notes:
        return ""
    lines = "\n".join(f"- {note.text}" for note in notes)
    return f"\n\n{PREFERENCES_HEADING}\n{PREFERENCES_PREAMBLE}\n{lines}\n"


class NoteKeeper:
    """The runner of approved "note" approvals: keep the new note, or retire the old one, once."""

    def __init__(self, engine: Engine, approvals: Lifecycle, clock: Clock) -> None:
        self.engine = engine
        self.approvals = approvals
        self.clock = clock

    async def save(self, approval_id: str) -> None:
        approval = self.approvals.get(approval_id)
        if approval is None or not self.approvals.claim(approval_id):
            return
        now = self.clock.now()
        with Session(self.engine) as session:
            retire = approval.params.get("retire")
            if retire is not None:
                note = session.get(Note, int(retire))
                if note is None or note.retired_at is not None:
                    said = f"Note {retire} was already gone; nothing changed."
                else:
                    note.retired_at = now
                    session.add(note)
                    said = f"Note {note.id} retired: {note.text}"
            else:
                note = Note(
                    text=str(approval.params["text"]),
                    key=str(approval.params["key"]),
                    created_at=now,
                    approval_id=approval_id,
                )
                session.add(note)
                session.flush()
                said = f"Kept as note {note.id}: {note.text}"
            session.commit()
        self.approvals.finish(approval_id, ApprovalStatus.EXECUTED, said)
