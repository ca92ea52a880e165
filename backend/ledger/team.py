"""A team's report from one shared ledger: outcomes per person and per team first, then what they cost.

It holds counts and money only. No token counts per person (a token leaderboard rewards burning tokens, the
opposite of what Deputy measures) and no text from tasks, messages or pages: instructions can quote mail, and
a team report is read by people who should not see each other's mail.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from backend.ledger.money import round_micros, usd
from backend.ledger.report import Period, period_start
from backend.models import AuditRecord, ModelCall, Task, TaskStatus

OUTCOMES = ("tasks_finished", "actions_done", "approvals_answered")
ENDED_WITHOUT_RESULT = (TaskStatus.FAILED, TaskStatus.CANCELLED)


@dataclass
class Tally:
    outcomes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    spend: int = 0  # micro-dollars of calls whose price is known
    wasted: int = 0  # micro-dollars spent on tasks that ended with nothing done
    calls: int = 0
    price_unknown_calls: int = 0
    tasks: int = 0

    def add(self, other: "Tally") -> None:
        for name in OUTCOMES:
            self.outcomes[name] += other.outcomes[name]
        self.spend += other.spend
        self.wasted += other.wasted
        self.calls += other.calls
        self.price_unknown_calls += other.price_unknown_calls
        self.tasks += other.tasks

    def public(self) -> dict[str, Any]:
        return {
            "outcomes": dict(self.outcomes),
            "cost_per_outcome": {name: _per(self.spend, count) for name, count in self.outcomes.items()},
            "spend_usd": usd(self.spend),
            "spend_micro_usd": self.spend,
            "wasted_usd": usd(self.wasted),
            "wasted_micro_usd": self.wasted,
            "tasks": self.tasks,
            "calls": self.calls,
            "price_unknown_calls": self.price_unknown_calls,
        }

    def rank(self) -> tuple[int, ...]:
        # Outcomes first; spend only breaks ties, cheaper first.
        return (*(-self.outcomes[name] for name in OUTCOMES), self.spend)


def _per(spend: int, count: int) -> float | None:
    return usd(round_micros(Decimal(spend) / count)) if count else None


def team_report(session: Session, period: Period, now: datetime, only_user: str | None = None) -> dict[str, Any]:
    since = period_start(period, now)
    calls = list(session.exec(select(ModelCall).where(col(ModelCall.at) >= since)))
    records = list(session.exec(select(AuditRecord).where(col(AuditRecord.at) >= since)))
    task_ids = {c.task_id for c in calls} | {r.task_id for r in records}
    tasks = {t.id: t for t in session.exec(select(Task).where(col(Task.id).in_(task_ids)))} if task_ids else {}

    # Whose each task is: its own record, or, for a task without one, the Deputy that made its calls.
    owner: dict[str, tuple[str, str]] = {task_id: (t.user_id, t.team) for task_id, t in tasks.items()}
    for c in calls:
        if not owner.get(c.task_id, ("", ""))[0]:
            owner[c.task_id] = (c.user_id, c.team)

    per_task: dict[str, Tally] = defaultdict(Tally)
    for c in calls:
        tally = per_task[c.task_id]
        tally.calls += 1
        if c.cost_micro_usd is None:
            tally.price_unknown_calls += 1
        else:
            tally.spend += c.cost_micro_usd
    for r in records:
        if r.kind == "executed" and r.verdict == "ok" and r.risk in ("write", "irreversible"):
            per_task[r.task_id].outcomes["actions_done"] += 1
        elif r.kind == "decided" and r.actor.startswith("user:"):
            per_task[r.task_id].outcomes["approvals_answered"] += 1
    for task_id, task in tasks.items():
        tally = per_task[task_id]
        tally.tasks = 1
        if task.status == TaskStatus.FINISHED:
            tally.outcomes["tasks_finished"] = 1
        elif task.status in ENDED_WITHOUT_RESULT and not tally.outcomes["actions_done"]:
            tally.wasted = tally.spend

    people: dict[tuple[str, str], Tally] = defaultdict(Tally)
    for task_id, tally in per_task.items():
        people[owner.get(task_id, ("", ""))].add(tally)
    if only_user is not None:
        people = defaultdict(Tally, {key: value for key, value in people.items() if key[0] == only_user})
    teams: dict[str, Tally] = defaultdict(Tally)
    total = Tally()
    for (_, team), tally in people.items():
        teams[team].add(tally)
        total.add(tally)

    return {
        "period": period,
        "since": since.isoformat(),
        "outcomes": OUTCOMES,
        "people": [
            {"user_id": user, "team": team, **tally.public()}
            for (user, team), tally in sorted(people.items(), key=lambda item: (item[1].rank(), item[0]))
        ],
        "teams": [
            {"team": team, "people": sum(1 for key in people if key[1] == team), **tally.public()}
            for team, tally in sorted(teams.items(), key=lambda item: (item[1].rank(), item[0]))
        ],
        "total": total.public(),
    }
