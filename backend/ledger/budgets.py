"""The ledger's book: what was spent, and hard budgets checked before every call.

A call is made only after reserving its worst case (an upper bound of its input plus max_tokens of output)
against the task's and the day's budget, with other tasks' calls in flight counted too; so no interleaving
of concurrent tasks can overspend. The reservation is replaced by the real cost when the call returns.

Every amount here is whole micro-dollars (int): limits, reservations and spend compare exactly, so a
budget of $0.01 is reached exactly at 10,000 micro-dollars, never a float's width before or after.
"""

import itertools
import threading
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from backend.clock import Clock
from backend.events import EventBus
from backend.ledger.money import dollars, usd
from backend.ledger.pricing import Usage, cost_of
from backend.models import ModelCall, RuleKind, Task, UserRule
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
    id: int
    task_id: str
    amount: int  # micro-dollars


def start_of_day(moment: datetime) -> datetime:
    local = moment.astimezone()
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


@dataclass
class Book:
    engine: Engine
    clock: Clock
    bus: EventBus | None = None
    _held: dict[int, Reservation] = field(default_factory=dict)
    _ids: itertools.count = field(default_factory=itertools.count)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def spent(self, task_id: str | None = None, since: datetime | None = None) -> int:
        """Micro-dollars recorded (calls of unknown price count nothing: they are reported apart)."""
        with Session(self.engine) as session:
            query = select(func.coalesce(func.sum(ModelCall.cost_micro_usd), 0))
            if task_id is not None:
                query = query.where(ModelCall.task_id == task_id)
            if since is not None:
                query = query.where(col(ModelCall.at) >= since)
            return int(session.exec(query).one())

    def limits(self, task_id: str) -> tuple[int | None, int | None]:
        """(task budget, day budget) in micro-dollars; None where the user set none."""
        with Session(self.engine) as session:
            task = session.get(Task, task_id)
            rules = list(session.exec(select(UserRule)))
        task_limit = task.budget_micro_usd if task else None
        if task_limit is None:
            task_limit = next((budget_micros(r) for r in rules if r.kind == RuleKind.BUDGET_TASK), None)
        day_limit = next((budget_micros(r) for r in rules if r.kind == RuleKind.BUDGET_DAY), None)
        return task_limit, day_limit

    def reserve(self, task_id: str, worst: int | None) -> Reservation:
        """Hold the worst case (micro-dollars) of the next call, or raise BudgetExceeded (it must not be made).

        Reaching a limit exactly is allowed; only crossing it is refused.
        """
        task_limit, day_limit = self.limits(task_id)
        if worst is None:
            if task_limit is not None or day_limit is not None:
                raise PriceUnknown(
                    "This model's price is unknown, so Deputy cannot keep the budget; choose a priced model "
                    "(DEPUTY_MODEL) or remove the budget."
                )
            worst = 0
        with self._lock:
            held_task = sum(r.amount for r in self._held.values() if r.task_id == task_id)
            held_all = sum(r.amount for r in self._held.values())
            if task_limit is not None:
                spent = self.spent(task_id) + held_task
                if spent + worst > task_limit:
                    raise BudgetExceeded("task", task_limit, spent, worst)
            if day_limit is not None:
                spent = self.spent(since=start_of_day(self.clock.now())) + held_all
                if spent + worst > day_limit:
                    raise BudgetExceeded("daily", day_limit, spent, worst)
            reservation = Reservation(next(self._ids), task_id, worst)
            self._held[reservation.id] = reservation
            return reservation

    def release(self, reservation: Reservation) -> None:
        with self._lock:
            self._held.pop(reservation.id, None)

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
        )
        with self._lock:
            with Session(self.engine) as session:
                session.add(call)
                session.commit()
                session.refresh(call)
            self._held.pop(reservation.id, None)
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
