"""One Deputy process of a team, spending from the shared ledger: `python -m tests.integration.ledger.spender
DATABASE_URL MODEL_BASE_URL USER TEAM TASKS` runs TASKS tasks at once, each making model calls through the real
SDK exactly as the agent loop does (reserve the worst case, call, record the real usage) until the budget
refuses the next call, which is the only way a task ends. It says "ready", starts when a line arrives on stdin,
and prints one JSON line: calls made and calls refused."""

import asyncio
import itertools
import json
import sys
from datetime import UTC, datetime

from sqlmodel import Session

from backend.agent.llm import ModelClient
from backend.clock import SystemClock
from backend.db import make_engine
from backend.ledger.budgets import Book, BudgetExceeded
from backend.ledger.pricing import worst_case_cost
from backend.tasks import new_task

MODEL = "claude-haiku-4-5"
MAX_TOKENS = 100
SYSTEM = [{"type": "text", "text": "Sort each message into one of: receipts, newsletters, people, other."}]


async def run_task(book: Book, model: ModelClient, task_id: str) -> tuple[int, int]:
    """(calls made, 1 when the budget refused the next)."""
    for step in itertools.count(1):
        messages = [{"role": "user", "content": f"Task {task_id}, page {step}: 'Your receipt from ShopMart'."}]
        # The exact input count (as the agent loop asks for near a limit), and replies cut at MAX_TOKENS: each
        # hold is exactly the call's real cost, so no margin can hide a race that lets one call too many through.
        exact = await model.count_tokens(SYSTEM, [], messages)
        assert exact is not None
        try:
            # On threads, so the twenty tasks check the budget truly at once, within a process and across them.
            reservation = await asyncio.to_thread(book.reserve, task_id, worst_case_cost(MODEL, exact, MAX_TOKENS))
        except BudgetExceeded:
            return step - 1, 1
        try:
            reply = await model.create(SYSTEM, [], messages, MAX_TOKENS)
        except BaseException:
            book.release(reservation)
            raise
        await asyncio.to_thread(
            book.record, reservation, reply.model, reply.usage, step, reply.latency_ms, reply.stop_reason
        )
    raise AssertionError("unreachable: the budget ends every task")


async def main(url: str, base_url: str, user: str, team: str, count: int) -> None:
    engine = make_engine(url)
    book = Book(engine, SystemClock(), user_id=user, team=team)
    with Session(engine) as session:
        tasks = [
            new_task(session, f"Triage page {n}", datetime.now(UTC), user_id=user, team=team) for n in range(count)
        ]
        session.commit()
        ids = [task.id for task in tasks]
    model = ModelClient("test-key", MODEL, base_url, max_retries=0)
    print("ready", flush=True)
    sys.stdin.readline()  # every process starts spending at the same moment, when the test says go
    try:
        results = await asyncio.gather(*(run_task(book, model, task_id) for task_id in ids))
    finally:
        await model.close()
        engine.dispose()
    print(json.dumps({"calls": sum(r[0] for r in results), "refused": sum(r[1] for r in results)}))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])))
