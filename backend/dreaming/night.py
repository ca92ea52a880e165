"""One night's dream: count what the person did in the last day and propose rules and notes from it.

    the day's approvals the person answered, and the undos they asked for ─ counted
        ├─ the same reversible change to one sender's mail, often ─ a "rule" approval (the learner's path)
        ├─ the same action turned down, or taken back, again and again ─ a "note" approval
        └─ a kept note that today's answers contradict ─ a "note" approval retiring it, unless that would
           take back more than a quarter of the kept notes (then none is proposed, and the diary says so)
    the recipes learned from runs nobody watched (candidates) ─ a "recipe" approval each, unless a step used
        what a page showed (backend/dreaming/candidates.py)
    everything ─ a diary page in the data folder

Only the person's own answers count: approvals decided by a user, undos a user asked for. What a page or a
message said, what the reader suggested and what a rule did on its own are never read; mail the reader
flagged is dropped even when the person approved a change to it. A note's text is built from a fixed
sentence and an action's registered name, never from page or mail text. Nothing is applied: every
proposal waits for the person through the one approval lifecycle.
"""

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from backend.clock import Clock
from backend.dreaming.candidates import Candidates
from backend.dreaming.diary import write_diary
from backend.dreaming.notes import live_notes
from backend.models import Approval, ApprovalStatus, AuditRecord, SeenMail, Task, TaskStatus
from backend.policy.lifecycle import Draft
from backend.recipes.library import Library
from backend.skills.mail.inbox import key_of
from backend.skills.mail.learning import LEARNABLE, PROPOSAL_TTL, Candidate, Learner, seen_matching, signature, who
from backend.skills.mail.rules import Seen, matches
from backend.tasks import new_task, set_status

log = logging.getLogger(__name__)

LOOK_BACK = timedelta(days=1)
# How many messages of one sender the person changed the same way in a day before a rule is proposed.
RULE_AFTER_ITEMS = 5
# How many times in a day the person turned down (or took back) one action before a note is proposed.
NOTE_AFTER = 2
# A night may take back at most this share of the kept notes; more is refused whole.
MOST_RETIRED_SHARE = 4  # a quarter
_ACTION_NAME = re.compile(r"^[a-z][a-z_]{0,39}$")
_DONE = {"archive": "archived", "mark_read": "marked read", "star": "starred", "label": "labelled"}
_ANSWERED = (ApprovalStatus.APPROVED, ApprovalStatus.CLAIMED, ApprovalStatus.EXECUTED)


@dataclass
class Dream:
    day: str
    task_id: str
    read: list[str] = field(default_factory=list)
    proposed: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    approval_ids: list[str] = field(default_factory=list)
    diary: str = ""

    def summary(self) -> str:
        said = f"Dreamt over {self.day}: {len(self.proposed)} proposal(s)"
        if self.refused:
            said += f"; refused: {' '.join(self.refused)}"
        return said + "."


def _by_user(approval: Approval) -> bool:
    return (approval.decided_by or "").startswith("user:")


def _phrase(action: str) -> str | None:
    """An action's registered name as words; None for anything that is not a plain name."""
    return action.replace("_", " ") if _ACTION_NAME.match(action) else None


@dataclass
class Night:
    engine: Engine
    learner: Learner
    clock: Clock
    diary_dir: Path
    library: Library | None = None  # without it, recipe candidates are not looked at

    def dream(self) -> Dream:
        now = self.clock.now()
        since = now - LOOK_BACK
        with Session(self.engine) as session:
            task = new_task(session, f"Dream over the day to {now:%Y-%m-%d %H:%M}", now, unattended=True)
            session.commit()
            dream = Dream(day=f"{now:%Y-%m-%d}", task_id=task.id)
            answered = [
                a
                for a in session.exec(select(Approval).where(col(Approval.decided_at) >= since))
                if _by_user(a) and a.kind in ("action", "batch")
            ]
            undos = [
                r
                for r in session.exec(
                    select(AuditRecord).where(AuditRecord.kind == "undo", col(AuditRecord.at) >= since)
                )
                if r.actor.startswith("user")
            ]
            flagged = {s.key for s in session.exec(select(SeenMail).where(SeenMail.suspicious))}
        dream.read.append(f"{len(answered)} approval(s) you answered and {len(undos)} undo(s) you asked for")
        self._rules(dream, [a for a in answered if a.kind == "batch" and a.status in _ANSWERED], flagged)
        self._notes(dream, answered, undos, now)
        if self.library is not None:
            Candidates(self.engine, self.library, self.learner.approvals).propose(dream)
        with Session(self.engine) as session:
            stored = session.get(Task, dream.task_id)
            if stored is not None:
                set_status(session, stored, TaskStatus.FINISHED, now, dream.summary())
                session.commit()
        dream.diary = str(write_diary(self.diary_dir, dream, now))
        log.info("Task %s: %s", dream.task_id, dream.summary())
        return dream

    # ---- rules -------------------------------------------------------------------------------------

    def _rules(self, dream: Dream, batches: list[Approval], flagged: set[str]) -> None:
        counted: dict[tuple[str, str | None, str], tuple[dict[str, object], set[str], list[str]]] = {}
        left_flagged = 0
        for batch in batches:
            verb = str(batch.params.get("verb", ""))
            if verb not in LEARNABLE:
                continue
            skip = set(batch.params.get("exclude") or [])
            for number, item in enumerate(batch.params.get("items") or []):
                if number in skip or item.get("rule_id") is not None:
                    continue  # unticked, or a rule's own doing: the person did not choose it
                key = key_of(str(item["sender"]), str(item["subject"]), str(item.get("date", "")))
                if key in flagged:
                    left_flagged += 1
                    continue
                label = item.get("label") if verb == "label" else None
                kind, match = who(str(item["sender"]))
                entry = counted.setdefault((verb, label, kind), (match, set(), []))
                entry[1].add(batch.id)
                entry[2].append(key)
        if left_flagged:
            dream.dropped.append(f"{left_flagged} change(s) to mail the reader flagged as suspicious: no rule")
        known = self.learner.known_rules()
        signatures = {signature(r) for r in known}
        for (verb, label, kind), (match, ids, keys) in sorted(counted.items(), key=lambda e: -len(e[1][2])):
            if len(keys) < RULE_AFTER_ITEMS:
                continue
            rule = Candidate(verb, label, kind, dict(match), frozenset(ids), tuple(keys)).rule()
            if signature(rule) in signatures:
                continue
            shown = [Seen(*k.split("\n")[:2]) for k in keys]
            if all(any(matches(r, s) for r in known if not r.retired) for s in shown):
                continue  # a rule already explains them
            matching = seen_matching(self.engine, rule)
            if any(s.suspicious for s in matching):
                dream.dropped.append(f"a rule for the {kind}: mail it matches was flagged as suspicious")
                continue
            done = _DONE.get(verb, verb)
            why = f"You {done} {len(keys)} mails from the {kind} today, in {len(ids)} approval(s)."
            approval = self.learner.propose(dream.task_id, rule, why, matching)
            dream.approval_ids.append(approval.id)
            dream.proposed.append(f"rule: {rule.name} ({why})")
            signatures.add(signature(rule))

    # ---- notes -------------------------------------------------------------------------------------

    def _notes(self, dream: Dream, answered: list[Approval], undos: list[AuditRecord], now: datetime) -> None:
        declined = Counter(a.action for a in answered if a.status == ApprovalStatus.REJECTED)
        agreed = Counter(a.action for a in answered if a.status in _ANSWERED)
        undone = Counter(r.action or "" for r in undos)
        notes = live_notes(self.engine)
        kept = {n.key for n in notes}
        with Session(self.engine) as session:
            asked = {
                str(a.params.get("key"))
                for a in session.exec(select(Approval).where(Approval.kind == "note"))
                if a.status in (ApprovalStatus.PENDING, ApprovalStatus.REJECTED) and "retire" not in a.params
            }
        day = f"{now:%Y-%m-%d}"
        fresh: list[tuple[str, str]] = []
        for action, count in declined.items():
            phrase = _phrase(action)
            if phrase and count >= NOTE_AFTER:
                text = f"Usually says no when asked to {phrase} ({count} times on {day}); do not propose it unasked."
                fresh.append((f"declines:{action}", text))
        for action, count in undone.items():
            phrase = _phrase(action)
            if phrase and count >= NOTE_AFTER:
                text = f"Often takes back '{phrase}' after it is done ({count} undos on {day}); leave it to them."
                fresh.append((f"undoes:{action}", text))
        for key, text in fresh:
            if key in kept or key in asked:
                continue
            draft = Draft(
                task_id=dream.task_id,
                kind="note",
                action="memory_note",
                params={"text": text, "key": key},
                summary=f"Remember: {text}",
                policy_reason="Dreaming noticed this in what you did today. Kept only if you approve; the model "
                "is told it as a preference, never as a rule.",
                risk="local",
                fingerprint="note",
                ttl=PROPOSAL_TTL,
            )
            dream.approval_ids.append(self.learner.approvals.create(draft, waits=False).id)
            dream.proposed.append(f"note: {text}")
        # A kept "says no to X" note that today's approvals of X contradict is proposed for retiring.
        stale = [n for n in notes if n.key.startswith("declines:") and agreed[n.key.split(":", 1)[1]] >= NOTE_AFTER]
        if not stale:
            return
        most = len(notes) // MOST_RETIRED_SHARE
        if len(stale) > most:
            dream.refused.append(
                f"Retiring {len(stale)} of {len(notes)} kept notes would take back more than a quarter of them "
                f"(at most {most} in one night), so none is proposed; delete them yourself if they are wrong."
            )
            return
        for note in stale:
            draft = Draft(
                task_id=dream.task_id,
                kind="note",
                action="memory_note",
                params={"retire": note.id, "key": note.key, "text": note.text},
                summary=f"Forget note {note.id}: {note.text}",
                policy_reason="You approved this action several times today, which this note says you turn down.",
                risk="local",
                fingerprint="note",
                ttl=PROPOSAL_TTL,
            )
            dream.approval_ids.append(self.learner.approvals.create(draft, waits=False).id)
            dream.proposed.append(f"forget note {note.id}: {note.text}")
