"""Spend beside outcomes: what Deputy cost, what it got done, and what was wasted.

Sums are of whole micro-dollars; each `*_usd` figure is computed from its `*_micro_usd` twin at the end,
so the report agrees with the ledger to the last digit however many calls it adds up.
"""

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Literal

from sqlmodel import Session, col, select

from backend.ledger.budgets import start_of_day
from backend.ledger.money import round_micros, usd
from backend.models import AuditRecord, ModelCall, RuleKind, Task, TaskStatus, UserRule
from backend.models.rule import budget_micros

Period = Literal["day", "week", "month"]
PERIOD_DAYS = {"day": 1, "week": 7, "month": 30}


def period_start(period: Period, now: datetime) -> datetime:
    return start_of_day(now) - timedelta(days=PERIOD_DAYS[period] - 1)


def _per(spend: int, count: int) -> float | None:
    """Dollars per outcome, to the nearest micro-dollar (half up): a division is the one place money rounds."""
    return usd(round_micros(Decimal(spend) / count)) if count else None


def usage_report(session: Session, period: Period, now: datetime) -> dict[str, Any]:
    since = period_start(period, now)
    calls = list(session.exec(select(ModelCall).where(col(ModelCall.at) >= since)))
    records = list(session.exec(select(AuditRecord).where(col(AuditRecord.at) >= since)))
    task_ids = {c.task_id for c in calls} | {r.task_id for r in records}
    tasks = {t.id: t for t in session.exec(select(Task).where(col(Task.id).in_(task_ids)))} if task_ids else {}
    known = [c for c in calls if c.cost_micro_usd is not None]
    spend = sum(c.cost_micro_usd or 0 for c in known)

    spend_by_task: dict[str, int] = {}
    tokens_by_task: dict[str, int] = {}
    for c in calls:
        spend_by_task[c.task_id] = spend_by_task.get(c.task_id, 0) + (c.cost_micro_usd or 0)
        tokens_by_task[c.task_id] = tokens_by_task.get(c.task_id, 0) + (
            c.input_tokens + c.output_tokens + c.cache_creation_input_tokens + c.cache_read_input_tokens
        )

    done_by_task: dict[str, int] = {}
    for r in records:
        if r.kind == "executed" and r.verdict == "ok" and r.risk in ("write", "irreversible"):
            done_by_task[r.task_id] = done_by_task.get(r.task_id, 0) + 1
    outcomes = {
        "actions_done": sum(done_by_task.values()),
        "approvals_answered": sum(1 for r in records if r.kind == "decided" and r.actor.startswith("user:")),
        "tasks_finished": sum(1 for t in tasks.values() if t.status == TaskStatus.FINISHED),
    }
    ended = (TaskStatus.FINISHED, TaskStatus.FAILED, TaskStatus.CANCELLED)
    wasted_tasks = [
        t
        for t in tasks.values()
        if t.status in ended and not done_by_task.get(t.id) and t.status != TaskStatus.FINISHED
    ]
    loops = sum(1 for r in records if r.kind == "waste" and r.reason == "loop detected")

    by_day: dict[str, int] = {}
    for offset in range(PERIOD_DAYS[period]):
        by_day[(since + timedelta(days=offset)).date().isoformat()] = 0
    for c in known:
        day = c.at.astimezone().date().isoformat() if c.at.tzinfo else c.at.date().isoformat()
        if day in by_day:
            by_day[day] += c.cost_micro_usd or 0

    day_rule = session.exec(select(UserRule).where(UserRule.kind == RuleKind.BUDGET_DAY)).first()
    today = start_of_day(now)
    spent_today = sum(
        c.cost_micro_usd or 0 for c in known if (c.at if c.at.tzinfo else c.at.replace(tzinfo=now.tzinfo)) >= today
    )
    day_limit = budget_micros(day_rule) if day_rule else None
    day_left = day_limit - spent_today if day_limit is not None else None
    waste = sum(spend_by_task.get(t.id, 0) for t in wasted_tasks)
    # Recipes: what the replays cost (only the model calls of healed steps) beside what the model run each
    # recipe was learned from cost, the same work the last time the model did it.
    replays = {r.task_id: r.detail or {} for r in records if r.kind == "recipe_replay"}
    replay_spend = sum(spend_by_task.get(task_id, 0) for task_id in replays)
    last_time = sum(int(detail.get("learned_micro_usd", 0)) for detail in replays.values())
    top = sorted(spend_by_task.items(), key=lambda item: item[1], reverse=True)[:5]
    return {
        "period": period,
        "since": since.isoformat(),
        "spend_usd": usd(spend),
        "spend_micro_usd": spend,
        "price_unknown_calls": len(calls) - len(known),
        "calls": len(calls),
        "tokens": {
            "input": sum(c.input_tokens for c in calls),
            "output": sum(c.output_tokens for c in calls),
            "cache_read": sum(c.cache_read_input_tokens for c in calls),
            "cache_write": sum(c.cache_creation_input_tokens for c in calls),
        },
        "budget": {
            "day_usd": None if day_limit is None else usd(day_limit),
            "day_micro_usd": day_limit,
            "day_left_usd": None if day_left is None else usd(day_left),
            "day_left_micro_usd": day_left,
        },
        "outcomes": outcomes,
        "cost_per_outcome": {name: _per(spend, count) for name, count in outcomes.items()},
        "waste": {
            "usd": usd(waste),
            "micro_usd": waste,
            "tokens": sum(tokens_by_task.get(t.id, 0) for t in wasted_tasks),
            "tasks": [{"id": t.id, "instruction": t.instruction, "status": t.status} for t in wasted_tasks],
            "loops": loops,
        },
        "recipes": {
            "runs": len(replays),
            "finished": sum(1 for t in replays if t in tasks and tasks[t].status == TaskStatus.FINISHED),
            "model_calls": sum(1 for c in calls if c.task_id in replays),
            "spend_usd": usd(replay_spend),
            "spend_micro_usd": replay_spend,
            "last_model_run_usd": usd(last_time),
            "last_model_run_micro_usd": last_time,
            "saved_usd": usd(last_time - replay_spend),
            "saved_micro_usd": last_time - replay_spend,
        },
        "by_day": [{"day": day, "spend_usd": usd(value), "spend_micro_usd": value} for day, value in by_day.items()],
        "top_tasks": [
            {
                "id": task_id,
                "instruction": tasks[task_id].instruction if task_id in tasks else "",
                "status": tasks[task_id].status if task_id in tasks else "",
                "spend_usd": usd(value),
                "spend_micro_usd": value,
            }
            for task_id, value in top
        ],
    }
