"""Hard budgets: checked before every call against its worst case; never overspent, even concurrently."""

from pathlib import Path

import pytest
from sqlmodel import Session, select

from backend.ledger.money import usd
from backend.models import ModelCall
from tests.integration.agent.conftest import MODEL, fresh_mailbox, start_task, task_state, wait_ended, wait_pending
from tests.live import Deputy, start_deputy
from tests.model_server import ModelRequest, ModelServer, tool_use

pytestmark = pytest.mark.slow


def wants_more(req: ModelRequest):
    # A different question each time, so the loop detector does not end it first: only the budget can.
    return tool_use("wait_for", {"text": f"sign {req.index}", "timeout_s": 0.1})


def spent(deputy: Deputy, task_id: str | None = None) -> int:
    """Micro-dollars in the ledger."""
    with Session(deputy.ctx.engine) as session:
        calls = session.exec(select(ModelCall)).all()
    return sum(c.cost_micro_usd or 0 for c in calls if task_id is None or c.task_id == task_id)


def test_a_one_cent_budget_stops_before_the_call_that_would_cross_it(
    agent: Deputy, model: ModelServer, mail_server
) -> None:
    model.set_script(wants_more)
    task_id = start_task(agent, "Wait for a sign.", url=fresh_mailbox(mail_server.url), budget=0.01)
    approval = wait_pending(agent, task_id)
    assert approval["kind"] == "budget"
    assert "budget" in approval["policy_reason"]
    reject = agent.post(f"/api/approvals/{approval['id']}/reject", {"reason": "enough"}, token=agent.local_token)
    assert reject.status_code == 200
    ended = wait_ended(agent, task_id)
    assert ended["status"] == "failed"
    assert "budget" in ended["summary"]
    assert spent(agent, task_id) <= 10_000
    assert ended["spend_micro_usd"] == spent(agent, task_id)


def test_more_budget_lets_the_task_go_on_and_the_limit_still_holds(
    agent: Deputy, model: ModelServer, mail_server
) -> None:
    model.set_script(wants_more)
    task_id = start_task(agent, "Wait for a sign.", url=fresh_mailbox(mail_server.url), budget=0.05)
    first = wait_pending(agent, task_id, within=60)
    calls_before = len(model.message_requests)
    assert calls_before >= 1
    assert spent(agent, task_id) <= 50_000
    assert first["params"]["add_usd"] == usd(first["params"]["add_micro_usd"])
    answer = f"/api/approvals/{first['id']}/approve"
    for bad, says in (({"add_usd": -1}, "more than $0"), ({"add_usd": "NaN"}, "not NaN"), ({"add_usd": 1e9}, "most")):
        refused = agent.post(answer, {"edits": bad}, token=agent.local_token)
        assert refused.status_code == 422 and says in refused.json()["detail"], refused.text
    # Typed as a person would, a string: kept exactly.
    approve = agent.post(answer, {"edits": {"add_usd": "0.05"}}, token=agent.local_token)
    assert approve.status_code == 200
    assert approve.json()["params"] == {"add_usd": 0.05, "add_micro_usd": 50_000}
    second = agent.wait(
        lambda: next(
            (
                a
                for a in agent.get("/api/approvals?status=pending", token=agent.local_token).json()
                if a["id"] != first["id"]
            ),
            None,
        ),
        60,
        "a second budget approval",
    )
    assert len(model.message_requests) > calls_before
    assert spent(agent, task_id) <= 100_000
    agent.post(f"/api/approvals/{second['id']}/reject", {}, token=agent.local_token)
    wait_ended(agent, task_id)
    assert spent(agent, task_id) <= 100_000
    assert task_state(agent, task_id)["budget_micro_usd"] == 100_000


def test_concurrent_tasks_never_overspend_the_daily_budget(tmp_path: Path, model: ModelServer, mail_server) -> None:
    model.set_script(wants_more)
    with start_deputy(
        tmp_path / "data", anthropic_api_key="test-key", anthropic_base_url=model.base_url, model=MODEL
    ) as deputy:
        rule = deputy.post("/api/rules", {"kind": "budget_day", "value": {"usd": 0.12}}, token=deputy.local_token)
        assert rule.status_code == 201
        tasks = [start_task(deputy, f"Wait for sign {n}.", url=fresh_mailbox(mail_server.url)) for n in range(3)]
        ended = [wait_ended(deputy, task_id, within=120) for task_id in tasks]
        assert all(t["status"] == "failed" and "daily budget" in t["summary"] for t in ended), ended
        assert spent(deputy) <= 120_000
        assert len(model.message_requests) >= 3
        usage = deputy.get("/api/usage", token=deputy.local_token).json()
        assert usage["budget"]["day_usd"] == 0.12
        assert usage["budget"]["day_left_micro_usd"] == 120_000 - spent(deputy)
        assert usage["budget"]["day_left_usd"] == usd(120_000 - spent(deputy))
