"""A night's dream over a day like a real one, on a real database (SQLite, or PostgreSQL on that pass): the
approvals the person answered in triage, the undos they asked for, and mail the reader flagged (Demo Mail's
injection messages).

Judged by what the person would see: the approvals proposed (rules and notes), and the diary page.
"""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from backend.clock import ManualClock
from backend.db import create_schema, make_engine
from backend.demo.mail.seed_injections import INJECTIONS
from backend.dreaming.night import Night
from backend.dreaming.notes import NoteKeeper, preferences
from backend.events import EventBus
from backend.models import Approval, ApprovalStatus, AuditRecord, Note, SeenMail, TaskStatus
from backend.policy.audit import AuditLog
from backend.policy.lifecycle import Lifecycle
from backend.recipes.library import Library
from backend.skills.mail.inbox import key_of
from backend.skills.mail.learning import Learner
from backend.tasks import new_task

NOON = datetime(2030, 3, 4, 12, 0, tzinfo=UTC)
NIGHT = NOON + timedelta(hours=15)

# Two days that look nothing alike: Demo Mail's list shows names; another webmail shows addresses.
DAYS = {
    "names": {"keep": "LaunchList Daily", "few": "ShopMart", "rule": {"sender": "LaunchList Daily"}},
    "addresses": {
        "keep": "Harbor Billing <invoices@harbor-billing.example>",
        "few": "Quay Weekly <news@quay-weekly.example>",
        "rule": {"domain": "harbor-billing.example"},
    },
}


class Day:
    def __init__(self, tmp_path: Path, database_url: str) -> None:
        self.clock = ManualClock(NOON)
        self.engine: Engine = make_engine(database_url)
        create_schema(self.engine)
        self.bus = EventBus(self.clock)
        self.approvals = Lifecycle(self.engine, self.bus, self.clock)
        self.learner = Learner(self.engine, self.approvals, AuditLog(self.engine, self.clock), self.bus, self.clock)
        self.diary = tmp_path / "dreams"
        with Session(self.engine) as session:
            task = new_task(session, "Triage my inbox", NOON, url="http://mail.example/")
            session.commit()
            self.task_id = task.id
        self.count = 0

    def seen(self, sender: str, subject: str, suspicious: bool = False) -> None:
        with Session(self.engine) as session:
            key = key_of(sender, subject, "")
            session.add(
                SeenMail(
                    key=key,
                    sender=sender,
                    subject=subject,
                    suspicious=suspicious,
                    first_seen_at=NOON,
                    last_seen_at=NOON,
                )
            )
            session.commit()

    def answered(
        self, kind: str, action: str, status: ApprovalStatus, by: str = "user:extension", **params: Any
    ) -> None:
        self.count += 1
        with Session(self.engine) as session:
            session.add(
                Approval(
                    id=f"ap_seed{self.count}",
                    task_id=self.task_id,
                    kind=kind,
                    action=action,
                    params=params,
                    risk="write",
                    policy_reason="seeded",
                    fingerprint="seed",
                    status=status,
                    created_at=NOON,
                    expires_at=NOON + timedelta(minutes=15),
                    decided_at=NOON + timedelta(minutes=self.count),
                    decided_by=by,
                )
            )
            session.commit()

    def archived(self, senders: list[str], by: str = "user:extension", rule_id: int | None = None) -> None:
        items = [
            {
                "sender": s,
                "subject": f"Issue {self.count}.{n}",
                "date": "",
                "category": "newsletters",
                "rule_id": rule_id,
            }
            for n, s in enumerate(senders)
        ]
        for item in items:
            self.seen(item["sender"], item["subject"])
        self.answered("batch", "archive", ApprovalStatus.EXECUTED, by=by, verb="archive", items=items, exclude=[])

    def undo(self, action: str) -> None:
        with Session(self.engine) as session:
            session.add(AuditRecord(task_id=self.task_id, at=NOON, kind="undo", action=action, actor="user:extension"))
            session.commit()

    def dream(self) -> Any:
        self.clock.set(NIGHT)
        return Night(self.engine, self.learner, self.clock, self.diary).dream()

    def proposals(self, kind: str) -> list[Approval]:
        with Session(self.engine) as session:
            query = select(Approval).where(Approval.kind == kind, Approval.status == ApprovalStatus.PENDING)
            return list(session.exec(query))


def injection_day(day: Day) -> None:
    """The person archived every injection message the reader flagged, and turned down what they asked."""
    senders = [mail.sender.name for mail in INJECTIONS]
    items = []
    for n, sender in enumerate(senders * 2):
        day.seen(sender, f"Flagged {n}", suspicious=True)
        items.append({"sender": sender, "subject": f"Flagged {n}", "date": "", "category": "security", "rule_id": None})
    day.answered("batch", "archive", ApprovalStatus.EXECUTED, verb="archive", items=items, exclude=[])
    # What the messages asked for was proposed by a hijacked model and refused by the policy, not the person.
    for _ in range(3):
        day.answered("action", "forward_mail", ApprovalStatus.REJECTED, by="policy")


@pytest.mark.parametrize("shape", sorted(DAYS))
def test_a_day_of_triage_proposes_the_rule_a_person_expects(tmp_path: Path, scratch_url: str, shape: str) -> None:
    day = Day(tmp_path, scratch_url)
    keep, few = DAYS[shape]["keep"], DAYS[shape]["few"]
    day.archived([keep] * 4 + [few])
    day.archived([keep] * 5 + [few])
    day.archived([keep] * 3, by="rule")  # a rule's own doing teaches nothing
    day.archived([few] * 2, rule_id=1)
    injection_day(day)

    dreamt = day.dream()

    (rule,) = day.proposals("rule")
    assert {k: v for k, v in rule.params["rule"]["match"].items() if v} == DAYS[shape]["rule"]
    assert rule.params["rule"]["action"] == "archive"
    assert "archived 9 mails" in rule.params["why"]
    assert "2 approval(s)" in rule.params["why"]
    assert day.proposals("note") == []  # policy refusals are not the person's answers
    page = Path(dreamt.diary).read_text()
    assert "archived 9 mails" in page
    assert "flagged as suspicious" in page
    for mail in INJECTIONS:
        assert mail.sender.name not in page
        assert mail.sender.email not in page


def test_nothing_from_the_injection_messages_becomes_a_rule_or_a_note(tmp_path: Path, scratch_url: str) -> None:
    day = Day(tmp_path, scratch_url)
    injection_day(day)
    day.dream()
    assert day.proposals("rule") == []
    assert day.proposals("note") == []


def test_turned_down_and_undone_actions_become_notes_once(tmp_path: Path, scratch_url: str) -> None:
    day = Day(tmp_path, scratch_url)
    day.answered("action", "unsubscribe", ApprovalStatus.REJECTED)
    day.answered("action", "unsubscribe", ApprovalStatus.REJECTED)
    day.answered("action", "star", ApprovalStatus.REJECTED)  # once is not a habit
    day.undo("archive")
    day.undo("archive")
    day.dream()
    texts = sorted(a.params["text"] for a in day.proposals("note"))
    assert len(texts) == 2
    assert texts[0].startswith("Often takes back 'archive'")
    assert texts[1].startswith("Usually says no when asked to unsubscribe")
    day.dream()  # the next night does not ask again while these wait
    assert len(day.proposals("note")) == 2


def _keep_notes(day: Day, keys: list[str]) -> None:
    with Session(day.engine) as session:
        for key in keys:
            session.add(Note(text=f"Usually says no when asked to {key}.", key=f"declines:{key}", created_at=NOON))
        session.commit()


def test_a_night_never_takes_back_more_than_a_quarter_of_the_notes(tmp_path: Path, scratch_url: str) -> None:
    day = Day(tmp_path, scratch_url)
    _keep_notes(day, ["archive", "star", "mark_read", "label"])
    for action in ("archive", "star"):  # today the person approved both, twice: two of four notes contradicted
        day.answered("action", action, ApprovalStatus.EXECUTED)
        day.answered("action", action, ApprovalStatus.EXECUTED)
    dreamt = day.dream()
    assert day.proposals("note") == []
    assert "more than a quarter" in " ".join(dreamt.refused)
    assert "more than a quarter" in Path(dreamt.diary).read_text()
    with Session(day.engine) as session:
        assert all(n.retired_at is None for n in session.exec(select(Note)))


async def test_within_a_quarter_a_retirement_is_proposed_and_approving_it_retires_the_note(
    tmp_path: Path, scratch_url: str
) -> None:
    import asyncio

    day = Day(tmp_path, scratch_url)
    day.approvals.bind(asyncio.get_running_loop())
    day.approvals.runners["note"] = NoteKeeper(day.engine, day.approvals, day.clock).save
    _keep_notes(day, ["archive", "star", "mark_read", "label"])
    day.answered("action", "archive", ApprovalStatus.EXECUTED)
    day.answered("action", "archive", ApprovalStatus.EXECUTED)
    dreamt = day.dream()
    assert dreamt.refused == []
    (proposal,) = day.proposals("note")
    assert proposal.summary.startswith("Forget note")
    assert "archive" in preferences(day.engine)
    day.approvals.approve(proposal.id, "user:cli")
    await asyncio.sleep(0)  # the runner starts on the loop's next turn
    await day.approvals.drain()
    assert "asked to archive" not in preferences(day.engine)
    assert "asked to star" in preferences(day.engine)


def _record(day: Day, task_id: str, kind: str, action: str, **fields: Any) -> None:
    with Session(day.engine) as session:
        session.add(AuditRecord(task_id=task_id, at=day.clock.now(), kind=kind, action=action, actor="model", **fields))
        session.commit()


def test_a_candidate_waits_for_what_its_run_queued_and_is_proposed_with_those_steps(
    tmp_path: Path, scratch_url: str
) -> None:
    """A scheduled run read the board and queued a revert; the revert, approved later, joins the recipe."""
    day = Day(tmp_path, scratch_url)
    library = Library(day.engine, day.clock)
    with Session(day.engine) as session:
        task = new_task(session, "Revert the live release", NOON, url="http://harbor.example/", unattended=True)
        task.status = TaskStatus.FINISHED
        session.add(task)
        session.commit()
        run = task.id
    _record(day, run, "proposed", "extract_text", params={"max_chars": 500}, risk="read")
    _record(day, run, "executed", "extract_text", params={"max_chars": 500}, risk="read", verdict="ok")
    day.answered("action", "click", ApprovalStatus.PENDING, by="", ref="e7")
    with Session(day.engine) as session:
        queued = session.get(Approval, f"ap_seed{day.count}")
        assert queued is not None
        queued.task_id, queued.decided_at = run, None
        session.add(queued)
        session.commit()
    candidate = library.learn(run)
    assert candidate is not None and candidate.status == "candidate"

    night = Night(day.engine, day.learner, day.clock, day.diary, library)
    day.clock.set(NIGHT)
    dreamt = night.dream()
    assert day.proposals("recipe") == []
    assert "waiting for your answer" in Path(dreamt.diary).read_text()

    # The person approves the revert in the morning; it runs, and the next night proposes both steps.
    day.clock.set(NIGHT + timedelta(hours=5))
    target = {"role": "button", "name": "Revert to r41", "context": "", "dialog": "", "heading": "", "near": ""}
    _record(day, run, "proposed", "click", params={"ref": "e7"}, risk="write", detail={"target": target})
    _record(
        day,
        run,
        "executed",
        "click",
        params={"ref": "e7"},
        risk="write",
        verdict="ok",
        detail={"summary": "Click the button 'Revert to r41'"},
    )
    with Session(day.engine) as session:
        queued = session.get(Approval, f"ap_seed{day.count}")
        assert queued is not None
        queued.status, queued.decided_at = ApprovalStatus.EXECUTED, day.clock.now()
        session.add(queued)
        session.commit()
    day.clock.set(NIGHT + timedelta(hours=24))
    night.dream()
    (proposal,) = day.proposals("recipe")
    assert proposal.params["asks"] == [2]
    assert proposal.objects[1] == "2. Click the button 'Revert to r41' (asks you every time)"
    assert "Step 2 still asks you every time" in proposal.policy_reason
