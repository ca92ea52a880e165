"""A team's report: several people's Deputys write to one ledger, and the report ranks what got done per
person and per team, never tokens, and never shows what a task or a page said."""

import json
import os
from pathlib import Path

from sqlmodel import Session

from backend.ledger.budgets import Book
from backend.ledger.pricing import Usage
from backend.models import AuditRecord, TaskStatus
from backend.tasks import new_task, set_status
from tests.cli import deputy_cli
from tests.live import Deputy, start_deputy

SECRET = "Wire 4,800 EUR to IBAN DE44 5001 0517 5407 3249 31"  # text from a mail a task was about


def work(deputy: Deputy, user: str, team: str, finished: int, failed: int, input_tokens: int) -> None:
    """Tasks by one person's Deputy on the shared ledger: each makes one call and, if finished, one change."""
    book = Book(deputy.ctx.engine, deputy.clock, user_id=user, team=team)
    now = deputy.clock.now()
    for n in range(finished + failed):
        with Session(deputy.ctx.engine) as session:
            task = new_task(session, f"Pay the invoice in this mail: {SECRET}", now, user_id=user, team=team)
            session.commit()
            task_id = task.id
        book.record(book.reserve(task_id, 0), "claude-haiku-4-5", Usage(input_tokens=input_tokens), 1, 5, None)
        with Session(deputy.ctx.engine) as session:
            task = session.get_one(type(task), task_id)
            if n < finished:
                session.add(
                    AuditRecord(
                        task_id=task_id,
                        at=now,
                        kind="executed",
                        action="click",
                        actor="model",
                        verdict="ok",
                        risk="irreversible",
                        params={"text": SECRET},
                    )
                )
                session.add(AuditRecord(task_id=task_id, at=now, kind="decided", actor=f"user:{user}", verdict="ok"))
            set_status(session, task, TaskStatus.FINISHED if n < finished else TaskStatus.FAILED, now)
            session.commit()


def test_outcomes_per_person_and_team_come_first_with_no_tokens_and_no_text(tmp_path: Path) -> None:
    url = os.environ.get("DEPUTY_DATABASE_URL") or f"sqlite:///{tmp_path / 'team.db'}"
    with start_deputy(tmp_path / "ana", database_url=url, user_id="ana", team="ops") as deputy:
        # Ana gets three things done cheaply; Ben burns a hundred times the tokens and gets nothing done;
        # Chen, in another team, gets one done.
        work(deputy, "ana", "ops", finished=3, failed=0, input_tokens=1_000)
        work(deputy, "ben", "ops", finished=0, failed=2, input_tokens=100_000)
        work(deputy, "chen", "sales", finished=1, failed=0, input_tokens=2_000)
        reply = deputy.get("/api/usage/team?period=day", token=deputy.local_token)
        assert reply.status_code == 200, reply.text
        found = reply.json()
        assert deputy.get("/api/usage/team?period=year", token=deputy.local_token).status_code == 422

    assert [p["user_id"] for p in found["people"]] == ["ana", "chen", "ben"]
    ana, chen, ben = found["people"]
    assert (chen["team"], chen["outcomes"]["tasks_finished"], chen["spend_micro_usd"]) == ("sales", 1, 2_000)
    assert ana["outcomes"] == {"tasks_finished": 3, "actions_done": 3, "approvals_answered": 3}
    assert ana["spend_micro_usd"] == 3 * 1_000 and ana["cost_per_outcome"]["tasks_finished"] == 0.001
    assert ben["outcomes"]["tasks_finished"] == 0 and ben["cost_per_outcome"]["tasks_finished"] is None
    assert ben["wasted_micro_usd"] == ben["spend_micro_usd"] == 2 * 100_000
    assert [t["team"] for t in found["teams"]] == ["ops", "sales"]
    ops = found["teams"][0]
    assert ops["people"] == 2 and ops["outcomes"]["tasks_finished"] == 3
    assert ops["spend_micro_usd"] == 203_000 and ops["cost_per_outcome"]["tasks_finished"] == 0.067667
    assert found["total"]["spend_micro_usd"] == 205_000
    text = json.dumps(found)
    assert "token" not in text  # no token counts, per person or at all
    assert "IBAN" not in text and "invoice" not in text.lower()

    env = {"COLUMNS": "250", "DEPUTY_DATABASE_URL": url, "DEPUTY_DATA_DIR": str(tmp_path / "chen")}
    shown = deputy_cli("report", "--team", "--period", "day", env=env)
    assert shown.returncode == 0, shown.stderr
    rows = [line for line in shown.stdout.splitlines() if line.strip().startswith(("│ ana", "│ chen", "│ ben"))]
    assert [row.split("│")[1].strip() for row in rows] == ["ana", "chen", "ben"]
    assert "IBAN" not in shown.stdout and "token" not in shown.stdout.lower()

    mine = deputy_cli("report", "--period", "day", env={**env, "DEPUTY_USER_ID": "chen", "DEPUTY_TEAM": "sales"})
    assert mine.returncode == 0, mine.stderr
    assert "chen" in mine.stdout and "ana" not in mine.stdout and "ben" not in mine.stdout

    bad = deputy_cli("report", "--team", "--period", "day", env={**env, "DEPUTY_USER_ID": "<b>ana</b>"})
    assert bad.returncode != 0 and "DEPUTY_USER_ID" in bad.stderr and "Traceback" not in bad.stderr
