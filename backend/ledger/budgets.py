"""The ledger's book: what was spent, and hard budgets checked before every call.

A call is made only after reserving its worst case (an upper bound of its input plus max_tokens of output)
against the task's and the day's budget, with other tasks' calls in flight counted too; so no interleaving
of concurrent tasks can overspend. The reservation is replaced by the real cost when the call returns.
"""

import itertools
import threading
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from backend.clock import Clock
from backend.events import EventBus
from backend.ledger.pricing import Usage, cost_of
from backend.models import ModelCall, RuleKind, Task, UserRule


class BudgetExceeded(Exception):
    def __init__(self, scope: str, limit: float, spent: float, needed: float) -> None:
        self.scope, self.limit, self.spent, self.needed = scope, limit, spent, needed
        super().__init__(
            f"The {scope} budget of ${limit:.4f} would be crossed: ${spent:.4f} spent or in flight, "
            f"and the next call may cost up to ${needed:.4f}."
        )


class PriceUnknown(Exception):
    pass


@dataclass(frozen=True)
class Reservation:
    id: int
    task_id: str
    amount: float


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

    def spent(self, task_id: str | None = None, since: datetime | None = None) -> float:
        with Session(self.engine) as session:
            query = select(func.coalesce(func.sum(ModelCall.cost_usd), 0.0))
            if task_id is not None:
                query = query.where(ModelCall.task_id == task_id)
            if since is not None:
                query = query.where(col(ModelCall.at) >= since)
            return float(session.exec(query).one())

    def limits(self, task_id: str) -> tuple[float | None, float | None]:
        """(task budget, day budget) in dollars; None where the user set none."""
        with Session(self.engine) as session:
            task = session.get(Task, task_id)
            rules = list(session.exec(select(UserRule)))
        task_limit = task.budget_usd if task else None
        if task_limit is None:
            task_limit = next((r.value["usd"] for r in rules if r.kind == RuleKind.BUDGET_TASK), None)
        day_limit = next((r.value["usd"] for r in rules if r.kind == RuleKind.BUDGET_DAY), None)
        return task_limit, day_limit

    def reserve(self, task_id: str, worst: float | None) -> Reservation:
        """Hold the worst case of the next call, or raise BudgetExceeded (the call must not be made)."""
        task_limit, day_limit = self.limits(task_id)
        if worst is None:
            if task_limit is not None or day_limit is not None:
                raise PriceUnknown(
                    "This model's price is unknown, so Deputy cannot keep the budget; choose a priced model "
                    "(DEPUTY_MODEL) or remove the budget."
                )
            worst = 0.0
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
            cost_usd=cost,
            stop_reason=stop_reason,
        )
        with self._lock:
            with Session(self.engine) as session:
                session.add(call)
                session.commit()
                session.refresh(call)
            self._held.pop(reservation.id, None)
        if self.bus is not None:
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
                    "cost_usd": cost,
                    "task_spend_usd": self.spent(reservation.task_id),
                },
            )
        return call
