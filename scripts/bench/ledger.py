"""Benchmark: what the budget check costs per model call, on SQLite and on PostgreSQL.

Run with `.venv/bin/python scripts/bench/ledger.py [POSTGRESQL_URL]` (an empty database on a server, e.g. one
from `scripts/postgres start DIR` with /postgres replaced by a database you created). For each database it
times reserve (check and hold under the lock) plus record (the real cost replaces the hold), one after
another and from 4 threads at once, and prints p50 and p95 in milliseconds. Figures only; nothing asserts.
"""

import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlmodel import Session

from backend.clock import SystemClock
from backend.db import create_schema, make_engine
from backend.ledger.budgets import Book
from backend.ledger.pricing import Usage
from backend.tasks import new_task

CALLS = 300


def one_call(book: Book, task_id: str) -> float:
    started = time.perf_counter()
    book.record(book.reserve(task_id, 1_000), "claude-haiku-4-5", Usage(input_tokens=100), 1, 1, None)
    return (time.perf_counter() - started) * 1000


def measure(url: str) -> None:
    engine = make_engine(url)
    create_schema(engine)
    book = Book(engine, SystemClock())
    with Session(engine) as session:
        task_id = new_task(session, "bench", SystemClock().now()).id
        session.commit()
    serial = [one_call(book, task_id) for _ in range(CALLS)]
    with ThreadPoolExecutor(4) as pool:
        parallel = list(pool.map(lambda _: one_call(book, task_id), range(CALLS)))
    engine.dispose()
    for name, times in (("one at a time", serial), ("4 threads", parallel)):
        p95 = statistics.quantiles(times, n=20)[-1]
        print(f"{engine.url.get_backend_name():10} {name:14} p50 {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        measure(f"sqlite:///{Path(folder) / 'bench.db'}")
    if len(sys.argv) > 1:
        measure(sys.argv[1])
