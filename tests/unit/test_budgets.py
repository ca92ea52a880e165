"""Budget reservations in whole micro-dollars: a call is made only if its worst case fits, counting calls in
flight; limits are reached exactly and never crossed."""

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlmodel import Session

from backend.clock import ManualClock
from backend.db import create_schema, make_engine
from backend.ledger.budgets import Book, BudgetExceeded, PriceUnknown
from backend.ledger.pricing import Usage
from backend.ledger.report import usage_report
from backend.models import Approval, RuleKind, UserRule
from backend.tasks import new_task


@pytest.fixture
def book(tmp_path: Path, database_url: str | None) -> Book:
    engine = make_engine(database_url or f"sqlite:///{tmp_path / 'ledger.db'}")
    create_schema(engine)
    return Book(engine, ManualClock())


def task(book: Book, budget_micro_usd: int | None) -> str:
    with Session(book.engine) as session:
        made = new_task(session, "x", book.clock.now(), budget_micro_usd=budget_micro_usd)
        session.commit()
        return made.id


def day_budget(book: Book, usd: float) -> None:
    with Session(book.engine) as session:
        session.add(UserRule(kind=RuleKind.BUDGET_DAY, value={"usd": usd}, created_at=book.clock.now()))
        session.commit()


def test_a_call_that_could_cross_the_task_budget_is_refused(book: Book) -> None:
    task_id = task(book, 10_000)  # $0.01
    first = book.reserve(task_id, 6_000)
    with pytest.raises(BudgetExceeded) as over:
        book.reserve(task_id, 6_000)  # the first is still in flight
    assert over.value.scope == "task"
    assert str(over.value) == (
        "The task budget of $0.01 would be crossed: $0.006 spent or in flight, and the next call may cost up to $0.006."
    )
    book.record(first, "claude-sonnet-4-6", Usage(input_tokens=1000, output_tokens=100), 1, 10, "tool_use")
    assert book.spent(task_id) == 1000 * 3 + 100 * 15
    book.release(book.reserve(task_id, 10_000 - book.spent(task_id)))


def test_a_one_cent_budget_is_reached_exactly_and_not_a_micro_dollar_more(book: Book) -> None:
    task_id = task(book, 10_000)
    # Three calls of 3,333 micro-dollars (1,111 Sonnet input tokens) leave one micro-dollar of the cent.
    for _ in range(3):
        book.record(book.reserve(task_id, 0), "claude-sonnet-4-6", Usage(input_tokens=1111), 1, 10, None)
    assert book.spent(task_id) == 9_999
    last = book.reserve(task_id, 1)  # reaching the limit exactly is allowed
    with pytest.raises(BudgetExceeded):
        book.reserve(task_id, 1)  # one more micro-dollar would cross it
    book.record(last, "claude-sonnet-4-6", Usage(cache_read_input_tokens=2), 1, 10, None)  # 0.6 -> 1
    assert book.spent(task_id) == 10_000
    with pytest.raises(BudgetExceeded):
        book.reserve(task_id, 1)
    book.release(book.reserve(task_id, 0))


def test_many_small_calls_add_up_exactly(book: Book) -> None:
    task_id = task(book, None)
    # Ten Sonnet cache reads at $0.30 per million: exactly 3 micro-dollars a call.
    for step in range(1000):
        book.record(book.reserve(task_id, 0), "claude-sonnet-4-6", Usage(cache_read_input_tokens=10), step, 1, None)
    assert book.spent(task_id) == 3000
    with Session(book.engine) as session:
        report = usage_report(session, "day", book.clock.now())
    assert report["spend_micro_usd"] == 3000
    assert report["spend_usd"] == 0.003
    assert report["by_day"][-1]["spend_usd"] == 0.003
    assert report["top_tasks"] == [
        {"id": task_id, "instruction": "x", "status": "queued", "spend_usd": 0.003, "spend_micro_usd": 3000}
    ]


def test_concurrent_reservations_never_exceed_the_daily_budget(book: Book) -> None:
    day_budget(book, 1.0)
    tasks = [task(book, None) for _ in range(8)]

    def grab(task_id: str) -> int:
        got = 0
        while True:
            try:
                book.reserve(task_id, 30_000)
            except BudgetExceeded:
                return got
            got += 1

    with ThreadPoolExecutor(8) as pool:
        granted = sum(pool.map(grab, tasks))
    assert granted == 33  # 33 x $0.03 = $0.99; a 34th would cross $1


def test_two_reservations_at_once_cannot_both_take_the_last_of_the_budget(book: Book) -> None:
    task_id = task(book, 50_000)
    book.record(book.reserve(task_id, 0), "claude-sonnet-4-6", Usage(output_tokens=2000), 1, 10, None)  # $0.03
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def one() -> None:
        start.wait()
        try:
            book.reserve(task_id, 15_000)
            outcomes.append("held")
        except BudgetExceeded:
            outcomes.append("refused")

    threads = [threading.Thread(target=one) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["held", "refused"]


def test_unknown_price_with_a_budget_is_refused(book: Book) -> None:
    with pytest.raises(PriceUnknown):
        book.reserve(task(book, 1_000_000), None)
    day_budget(book, 5)
    with pytest.raises(PriceUnknown):
        book.reserve(task(book, None), None)


def test_unknown_price_is_recorded_as_unknown_never_free(book: Book) -> None:
    task_id = task(book, None)
    call = book.record(book.reserve(task_id, None), "claude-mythos-5", Usage(10, 10), 1, 10, None)
    assert call.cost_micro_usd is None
    book.record(book.reserve(task_id, 0), "claude-sonnet-4-6", Usage(output_tokens=1), 2, 10, None)
    assert book.spent(task_id) == 15
    with Session(book.engine) as session:
        report = usage_report(session, "day", book.clock.now())
    assert report["price_unknown_calls"] == 1
    assert report["calls"] == 2
    assert report["spend_micro_usd"] == 15


def test_an_approval_shows_what_the_ledger_says_the_task_spent(book: Book) -> None:
    task_id = task(book, None)
    book.record(book.reserve(task_id, 0), "claude-sonnet-4-6", Usage(input_tokens=4500), 1, 10, None)
    now = book.clock.now()
    with Session(book.engine) as session:
        session.add(
            Approval(
                id="ap_1",
                task_id=task_id,
                action="click",
                risk="write",
                policy_reason="asks",
                fingerprint="f",
                created_at=now,
                expires_at=now,
            )
        )
        session.commit()
        stored = session.get(Approval, "ap_1")
        assert stored is not None
        assert stored.cost_so_far_micro_usd == 13_500


def test_a_budget_rule_stored_before_micro_dollars_still_counts(book: Book) -> None:
    day_budget(book, 0.12)  # an old rule: {"usd": 0.12} only
    assert book.limits(task(book, None)) == (None, 120_000)
