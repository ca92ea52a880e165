"""Hard budgets: checked before every call against its worst case; never overspent, even concurrently."""

from pathlib import Path

from sqlmodel import Session, select

from backend.models import ModelCall
from tests.integration.agent.conftest import MODEL, fresh_mailbox, start_task, wait_ended, wait_pending
from tests.live import Deputy, start_deputy
from tests.model_server import ModelRequest, ModelServer, tool_use


def wants_more(req: ModelRequest):
    # A different question each time, so the loop detector does not end it first: only the budget can.
    return tool_use("wait_for", {"text": f"sign {req.index}", "timeout_s": 0.1})


def spent(deputy: Deputy, task_id: str | None = None) -> float:
    with Session(deputy.ctx.engine) as session:
        calls = session.exec(select(ModelCall)).all()
    return sum(c.cost_usd or 0 for c in calls if task_id is None or c.task_id == task_id)


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
    assert spent(agent, task_id) <= 0.01


def test_more_budget_lets_the_task_go_on_and_the_limit_still_holds(
    agent: Deputy, model: ModelServer, mail_server
) -> None:
    model.set_script(wants_more)
    task_id = start_task(agent, "Wait for a sign.", url=fresh_mailbox(mail_server.url), budget=0.05)
    first = wait_pending(agent, task_id, within=60)
    calls_before = len(model.message_requests)
    assert calls_before >= 1
    assert spent(agent, task_id) <= 0.05
    approve = agent.post(f"/api/approvals/{first['id']}/approve", {"edits": {"add_usd": 0.05}}, token=agent.local_token)
    assert approve.status_code == 200
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
    assert spent(agent, task_id) <= 0.10
    agent.post(f"/api/approvals/{second['id']}/reject", {}, token=agent.local_token)
    wait_ended(agent, task_id)
    assert spent(agent, task_id) <= 0.10


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
        assert spent(deputy) <= 0.12
        assert len(model.message_requests) >= 3
        usage = deputy.get("/api/usage", token=deputy.local_token).json()
        assert usage["budget"]["day_usd"] == 0.12
        assert usage["budget"]["day_left_usd"] >= 0
