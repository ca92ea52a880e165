"""Benchmark: what learning and plain-English rules cost in time. Prints figures; asserts nothing.

Run with `.venv/bin/python scripts/bench/rules.py [SEEN]`. In a fresh SQLite database it records SEEN
messages (default 2000) as triage would, then times:

- the offline reader of plain-English rules, per sentence (the common forms);
- counting a rule's past matches over the seen messages (what a proposal card shows);
- finding rule candidates over 300 approved batches of 20 items (what runs after each approved batch).

None of it calls a model: a key adds one small-model call per plain sentence, and nothing else.
"""

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlmodel import Session  # noqa: E402

from backend.clock import ManualClock  # noqa: E402
from backend.db import create_schema, make_engine  # noqa: E402
from backend.events import EventBus  # noqa: E402
from backend.models import Approval  # noqa: E402
from backend.policy.audit import AuditLog  # noqa: E402
from backend.policy.lifecycle import Lifecycle  # noqa: E402
from backend.skills.mail.inbox import Row  # noqa: E402
from backend.skills.mail.learning import Learner, past_matches, remember_seen  # noqa: E402
from backend.skills.mail.plain import read_offline  # noqa: E402
from backend.tasks import new_task  # noqa: E402

SENTENCES = [
    "archive newsletters I haven't opened in a month",
    "archive mail from shopmart.example",
    "star mail from Priya Nair",
    "mark newsletters from LaunchList Daily as read",
    "label mail from ShopMart Deals as Receipts",
    "archive mail whose subject says 'weekly digest'",
]


def timed(run: Callable[[], object], rounds: int) -> list[float]:
    spent = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        spent.append((time.perf_counter() - start) * 1000)
    return spent


def line(name: str, spent: list[float]) -> None:
    print(f"{name:<48} median {statistics.median(spent):8.3f} ms   max {max(spent):8.3f} ms   ({len(spent)} runs)")


def main() -> None:
    seen = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    folder = Path(tempfile.mkdtemp(prefix="deputy-bench-rules-"))
    engine = make_engine(f"sqlite:///{folder / 'deputy.db'}")
    create_schema(engine)
    clock = ManualClock()
    senders = [f"Sender {n}" for n in range(50)]
    rows = [
        Row(
            f"e{n}",
            senders[n % 50],
            f"Subject {n} weekly digest",
            "unsubscribe here",
            f"Mar {n % 28 + 1}",
            unsubscribe=n % 3 == 0,
        )
        for n in range(seen)
    ]
    start = time.perf_counter()
    remember_seen(engine, clock, rows, {})
    print(f"recording {seen} seen messages once: {(time.perf_counter() - start) * 1000:.1f} ms")

    per_sentence = [ms for said in SENTENCES for ms in timed(lambda said=said: read_offline(said), 50)]
    line("one plain sentence, offline reader", per_sentence)
    rule = read_offline("archive mail from Sender 7").rule
    line(f"past matches over {seen} seen messages", timed(lambda: past_matches(engine, rule), 20))

    bus = EventBus(clock)
    learner = Learner(engine, Lifecycle(engine, bus, clock), AuditLog(engine, clock), bus, clock)
    now = datetime.now(UTC)
    with Session(engine) as session:
        task = new_task(session, "Triage my inbox", now)
        session.commit()
        for n in range(300):
            items = [
                {"sender": senders[(n + i) % 50], "subject": f"Subject {i}", "date": "", "category": "newsletters"}
                for i in range(20)
            ]
            session.add(
                Approval(
                    id=f"ap_bench{n}",
                    task_id=task.id,
                    kind="batch",
                    action="archive",
                    params={"verb": "archive", "items": items, "exclude": []},
                    risk="write",
                    policy_reason="bench",
                    fingerprint="batch",
                    status="executed",
                    decided_by="user:bench",
                    created_at=now + timedelta(seconds=n),
                    expires_at=now + timedelta(days=1),
                )
            )
        session.commit()
    line("rule candidates over 300 batches x 20 items", timed(learner.candidates, 10))


if __name__ == "__main__":
    main()
