"""The ledger's book: what was spent, and hard budgets checked before every call.

A call is made only after reserving its worst case (an upper bound of its input plus max_tokens of output)
against the task's and the day's budget, with other tasks' calls in flight counted too, whichever process
(or team member's Deputy) made them; so no interleaving of concurrent tasks can overspend. The reservation
is a row in the database, replaced by the real cost when the call returns.

Every amount here is whole micro-dollars (int): limits, reservations and spend compare exactly, so a
budget of $0.01 is reached exactly at 10,000 micro-dollars, never a float's width before or after.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, delete, func, insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlmodel import Session, col, select

from backend.clock import Clock
from backend.db import exclusive
from backend.events import EventBus
from backend.ledger.money import dollars, usd
from backend.ledger.pricing import Usage, cost_of
from backend.models import BudgetHold, BudgetLock, ModelCall, RuleKind, Task, UserRule
from backend.models.rule import budget_micros


class BudgetExceeded(Exception):
    """Amounts in micro-dollars."""

    def __init__(self, scope: str, limit: int, spent: int, needed: int) -> None:
        self.scope, self.limit, self.spent, self.needed = scope, limit, spent, needed
        super().__init__(
            f"The {scope} budget of {dollars(limit)} would be crossed: {dollars(spent)} spent or in flight, "
            f"and the next call may cost up to {dollars(needed)}."
        )


class PriceUnknown(Exception):
    pass


@dataclass(frozen=True)
class Reservation:
    id: int  # the budget hold's row
    task_id: str
    amount: int  # micro-dollars


def start_of_day(moment: datetime) -> datetime:
    local = moment.astimezone()
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


# Longer than any model call may take: a hold left by a Deputy that died mid-call stops counting after this.
HOLD_LIFETIME = timedelta(minutes=30)


@dataclass
class Book:
    """The budgets of everyone writing to this database: holds live in the database, not in this process, so
    several Deputys (a team on one PostgreSQL, or the CLI beside the server) see each other's calls in flight."""

    engine: Engine
    clock: Clock
    bus: EventBus | None = None
    user_id: str = ""
    team: str = ""

    def spent(self, task_id: str | None = None, since: datetime | None = None) -> int:
        """Micro-dollars recorded (calls of unknown price count nothing: they are reported apart)."""
        with self.engine.connect() as connection:
            return _spent(connection, task_id, since)

    def limits(self, task_id: str) -> tuple[int | None, int | None]:
        """(task budget, day budget) in micro-dollars; None where the user set none."""
        with self.engine.connect() as connection:
            return _limits(connection, task_id)

    def reserve(self, task_id: str, worst: int | None) -> Reservation:
        """Hold the worst case (micro-dollars) of the next call, or raise BudgetExceeded (it must not be made).

        Checked and held in one transaction that no other Deputy can interleave with (see `_lock_the_book`), so
        two processes cannot both see room for one more call. Reaching a limit exactly is allowed; only
        crossing it is refused.
        """
        now = self.clock.now()
        with exclusive(self.engine) as connection:
            _lock_the_book(connection)
            task_limit, day_limit = _limits(connection, task_id)
            if worst is None:
                if task_limit is not None or day_limit is not None:
                    raise PriceUnknown(
                        "This model's price is unknown, so Deputy cannot keep the budget; choose a priced model "
                        "(DEPUTY_MODEL) or remove the budget."
                    )
                worst = 0
            holds = BudgetHold.__table__  # type: ignore[attr-defined]
            connection.execute(delete(holds).where(holds.c.expires_at < now))
            if task_limit is not None:
                spent = _spent(connection, task_id) + _held(connection, task_id)
                if spent + worst > task_limit:
                    raise BudgetExceeded("task", task_limit, spent, worst)
            if day_limit is not None:
                spent = _spent(connection, since=start_of_day(now)) + _held(connection)
                if spent + worst > day_limit:
                    raise BudgetExceeded("daily", day_limit, spent, worst)
            hold_id = connection.execute(
                insert(holds)
                .values(task_id=task_id, amount_micro_usd=worst, created_at=now, expires_at=now + HOLD_LIFETIME)
                .returning(holds.c.id)
            ).scalar_one()
        return Reservation(int(hold_id), task_id, worst)

    def release(self, reservation: Reservation) -> None:
        holds = BudgetHold.__table__  # type: ignore[attr-defined]
        with self.engine.begin() as connection:
            connection.execute(delete(holds).where(holds.c.id == reservation.id))

    def record(
        self,
        reservation: Reservation,
        model: str,
        usage: Usage,
        step: int,
        latency_ms: int,
        stop_reason: str | None,
    ) -> ModelCall:
        cost = cost_of(model, usage)
        call = ModelCall(
            task_id=reservation.task_id,
            step=step,
            at=self.clock.now(),
            model=model,
            input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens,
            cache_creation_input_tokens=usage.cache_creation_input_tokens,
            cache_read_input_tokens=usage.cache_read_input_tokens,
            latency_ms=latency_ms,
            cost_micro_usd=cost,
            stop_reason=stop_reason,
            user_id=self.user_id,
            team=self.team,
        )
        # The real cost replaces the hold in one transaction: no moment counts the call twice or not at all. It
        # takes the book's lock too, so a check in progress never reads the spend before and the holds after.
        with Session(self.engine) as session:
            _lock_the_book(session.connection())
            session.add(call)
            session.exec(delete(BudgetHold).where(col(BudgetHold.id) == reservation.id))  # type: ignore[call-overload]
            session.commit()
            session.refresh(call)
        if self.bus is not None:
            task_spend = self.spent(reservation.task_id)
            self.bus.publish(
                "usage.recorded",
                {
                    "task_id": reservation.task_id,
                    "step": step,
                    "model": model,
                    "input_tokens": usage.input_tokens,
                    "output_tokens": usage.output_tokens,
                    "cache_creation_input_tokens": usage.cache_creation_input_tokens,
                    "cache_read_input_tokens": usage.cache_read_input_tokens,
                    "cost_usd": None if cost is None else usd(cost),
                    "cost_micro_usd": cost,
                    "task_spend_usd": usd(task_spend),
                    "task_spend_micro_usd": task_spend,
                },
            )
        return call


def _spent(connection: Connection, task_id: str | None = None, since: datetime | None = None) -> int:
    calls = ModelCall.__table__  # type: ignore[attr-defined]
    query = select(func.coalesce(func.sum(calls.c.cost_micro_usd), 0))
    if task_id is not None:
        query = query.where(calls.c.task_id == task_id)
    if since is not None:
        query = query.where(calls.c.at >= since)
    return int(connection.execute(query).scalar_one())


def _held(connection: Connection, task_id: str | None = None) -> int:
    holds = BudgetHold.__table__  # type: ignore[attr-defined]
    query = select(func.coalesce(func.sum(holds.c.amount_micro_usd), 0))
    if task_id is not None:
        query = query.where(holds.c.task_id == task_id)
    return int(connection.execute(query).scalar_one())


def _limits(connection: Connection, task_id: str) -> tuple[int | None, int | None]:
    with Session(bind=connection) as session:
        task = session.get(Task, task_id)
        task_limit = task.budget_micro_usd if task else None
        rules = list(
            session.exec(select(UserRule).where(col(UserRule.kind).in_([RuleKind.BUDGET_TASK, RuleKind.BUDGET_DAY])))
        )
    if task_limit is None:
        task_limit = next((budget_micros(r) for r in rules if r.kind == RuleKind.BUDGET_TASK), None)
    day_limit = next((budget_micros(r) for r in rules if r.kind == RuleKind.BUDGET_DAY), None)
    return task_limit, day_limit


def _lock_the_book(connection: Connection) -> None:
    """Make this transaction the only one deciding on budgets until it ends.

    On PostgreSQL: SELECT ... FOR UPDATE of the one budget_lock row (made on first use), so a second Deputy's
    check waits here until this one has committed its hold and then sees it. SQLite needs nothing more: the
    transaction began with BEGIN IMMEDIATE, which already holds the file's write lock.
    """
    if connection.dialect.name != "postgresql":
        return
    lock = BudgetLock.__table__  # type: ignore[attr-defined]
    connection.execute(pg_insert(lock).values(id=1).on_conflict_do_nothing())
    connection.execute(select(lock.c.id).where(lock.c.id == 1).with_for_update())
