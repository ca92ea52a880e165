"""Budget reservations: a call is made only if its worst case fits, counting calls in flight."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlmodel import Session

from backend.clock import ManualClock
from backend.db import create_schema, make_engine
from backend.ledger.budgets import Book, BudgetExceeded, PriceUnknown
from backend.ledger.pricing import Usage
from backend.models import RuleKind, UserRule
from backend.tasks import new_task


@pytest.fixture
def book(tmp_path: Path) -> Book:
    engine = make_engine(f"sqlite:///{tmp_path / 'ledger.db'}")
    create_schema(engine)
    return Book(engine, ManualClock())


def task(book: Book, budget: float | None) -> str:
    with Session(book.engine) as session:
        made = new_task(session, "x", book.clock.now(), budget_usd=budget)
        session.commit()
        return made.id


def test_a_call_that_could_cross_the_task_budget_is_refused(book: Book) -> None:
    task_id = task(book, 0.01)
    first = book.reserve(task_id, 0.006)
    with pytest.raises(BudgetExceeded) as over:
        book.reserve(task_id, 0.006)  # the first is still in flight
    assert over.value.scope == "task"
    book.record(first, "claude-sonnet-4-6", Usage(input_tokens=1000, output_tokens=100), 1, 10, "tool_use")
    spent = book.spent(task_id)
    assert spent == pytest.approx((1000 * 3 + 100 * 15) / 1e6)
    book.release(book.reserve(task_id, 0.01 - spent))


def test_concurrent_reservations_never_exceed_the_daily_budget(book: Book) -> None:
    with Session(book.engine) as session:
        session.add(UserRule(kind=RuleKind.BUDGET_DAY, value={"usd": 1.0}, created_at=book.clock.now()))
        session.commit()
    tasks = [task(book, None) for _ in range(8)]

    def grab(task_id: str) -> int:
        got = 0
        while True:
            try:
                book.reserve(task_id, 0.03)
            except BudgetExceeded:
                return got
            got += 1

    with ThreadPoolExecutor(8) as pool:
        granted = sum(pool.map(grab, tasks))
    assert granted * 0.03 <= 1.0
    assert granted == 33


def test_unknown_price_with_a_budget_is_refused(book: Book) -> None:
    with pytest.raises(PriceUnknown):
        book.reserve(task(book, 1.0), None)
    book.release(book.reserve(task(book, None), None))  # no budget: allowed, shown as price unknown
