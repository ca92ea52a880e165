"""Many tasks in several processes on one ledger: the daily budget is never crossed, whatever the interleaving."""

import json
import os
import subprocess
import sys
from datetime import UTC, datetime

from sqlalchemy import func
from sqlmodel import Session, select

from backend.db import create_schema, make_engine
from backend.ledger.budgets import start_of_day
from backend.models import BudgetHold, ModelCall, RuleKind, UserRule
from tests.model_server import ModelServer, forever, text

DAY_BUDGET = 50_000  # micro-dollars ($0.05): room for about ninety calls; the tasks want more
WORST_CALL = 1_000  # micro-dollars: more than any one of the spender's calls may cost at worst


def test_twenty_tasks_in_three_processes_never_spend_past_one_daily_budget(scratch_url: str) -> None:
    engine = make_engine(scratch_url)
    create_schema(engine)
    with Session(engine) as session:
        session.add(
            UserRule(
                kind=RuleKind.BUDGET_DAY, value={"usd": 0.02, "micro_usd": DAY_BUDGET}, created_at=datetime.now(UTC)
            )
        )
        session.commit()
    people = [("ana", "ops", 7), ("ben", "ops", 7), ("chen", "sales", 6)]
    with ModelServer([forever(text("receipts " * 300))]) as model:
        workers = [
            subprocess.Popen(
                [sys.executable, "-m", "tests.integration.ledger.spender", scratch_url, model.base_url, *map(str, who)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env={**os.environ, "PYTHONPATH": os.getcwd()},
            )
            for who in people
        ]
        for worker in workers:  # all three ready (imported, tasks made) before any starts
            assert worker.stdout is not None and worker.stdout.readline().strip() == "ready"
        for worker in workers:
            assert worker.stdin is not None
            worker.stdin.write("go\n")
            worker.stdin.flush()
        outputs = [worker.communicate(timeout=300) for worker in workers]
    for worker, (_, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err
    results = [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]

    with Session(engine) as session:
        today = start_of_day(datetime.now(UTC))
        spent = session.exec(select(func.sum(ModelCall.cost_micro_usd)).where(ModelCall.at >= today)).one()
        calls = session.exec(select(func.count()).select_from(ModelCall)).one()
        by_person = dict(session.exec(select(ModelCall.user_id, func.count()).group_by(ModelCall.user_id)).all())
        left_held = session.exec(select(func.count()).select_from(BudgetHold)).one()
    engine.dispose()

    assert spent <= DAY_BUDGET, (spent, calls, results)
    assert calls == sum(r["calls"] for r in results) == len(model.message_requests)
    # Every one of the twenty tasks ran until the budget refused its next call, and every process made calls:
    # the limit was contended for, not reached by one process alone.
    assert sum(r["refused"] for r in results) == 20, (spent, calls, results)
    assert set(by_person) == {"ana", "ben", "chen"}
    # The budget was used, not refused early: what is left is less than one more call's worst case.
    assert DAY_BUDGET - spent < WORST_CALL
    assert left_held == 0
