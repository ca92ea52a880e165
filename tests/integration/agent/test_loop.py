"""The agent loop end to end: the real SDK against the scripted Messages API, real Chromium, Demo Mail."""

import json

import pytest

from backend.ledger.money import usd
from backend.ledger.pricing import Usage, cost_of
from tests.integration.agent.conftest import (
    find_ref,
    fresh_mailbox,
    mail_changes,
    start_task,
    task_state,
    wait_ended,
    wait_pending,
)
from tests.live import Deputy
from tests.model_server import ModelRequest, ModelServer, forever, text, tool_use

pytestmark = pytest.mark.slow


def tick_first_row(req: ModelRequest):
    return text("I will select the first message.") + tool_use("check", {"ref": find_ref(req, "checkbox", "Select")})


def click_archive(req: ModelRequest):
    return text("Archiving it.") + tool_use("click", {"ref": find_ref(req, "button", "Archive")})


def test_a_task_archives_after_approval_and_the_ledger_counts_it(
    agent: Deputy, model: ModelServer, mail_server
) -> None:
    box = fresh_mailbox(mail_server.url)
    model.set_script([tick_first_row, click_archive, tool_use("finish_task", {"summary": "Archived one message."})])
    task_id = start_task(agent, "Archive the newest message.", url=box)
    approval = wait_pending(agent, task_id)
    assert approval["action"] == "click" and "Archive" in approval["target"]
    assert approval["model_reason"] == "Archiving it."
    assert mail_changes(box) == []
    assert agent.post(f"/api/approvals/{approval['id']}/approve", {}, token=agent.local_token).status_code == 200
    ended = wait_ended(agent, task_id)
    assert ended["status"] == "finished", ended
    # The summary is what the audit log says was executed; the model's own words are kept as its claim.
    assert ended["summary"].startswith("Done: Archive: "), ended["summary"]
    assert ended["claim"] == "Archived one message."
    assert ended["changes"] == 1 and ended["done"] == [ended["summary"][len("Done: ") : -1]]
    assert [c["what"] for c in mail_changes(box)] == ["archive"]

    calls = model.message_requests
    assert len(calls) == 3
    # The loop sent valid conversations with tool results for every tool use, and the instruction stayed.
    for recorded in calls:
        assert "Archive the newest message." in json.dumps(recorded.body["messages"][0])
    assert ended["model_calls"] == 3
    assert ended["steps"] == 4  # open the page, tick, archive, finish
    usage = agent.get("/api/usage?period=day", token=agent.local_token).json()
    expected = 0
    for recorded in calls:
        u = recorded.response["usage"]
        cost = cost_of(
            "claude-sonnet-4-6",
            Usage(
                u["input_tokens"],
                u["output_tokens"],
                u.get("cache_creation_input_tokens") or 0,
                u.get("cache_read_input_tokens") or 0,
            ),
        )
        assert cost is not None
        expected += cost
    # Whole micro-dollars, summed exactly: the report, the task and a hand sum agree to the last digit.
    assert usage["spend_micro_usd"] == ended["spend_micro_usd"] == expected
    assert usage["spend_usd"] == ended["spend_usd"] == usd(expected)
    assert usage["outcomes"]["actions_done"] == 1
    assert usage["outcomes"]["approvals_answered"] == 1
    assert usage["outcomes"]["tasks_finished"] == 1
    assert usage["cost_per_outcome"]["actions_done"] == usd(expected)
    assert usage["tokens"]["output"] == sum(r.response["usage"]["output_tokens"] for r in calls)


def test_prompt_is_cached_and_tools_come_from_the_registry(agent: Deputy, model: ModelServer, mail_server) -> None:
    box = fresh_mailbox(mail_server.url)
    model.set_script(
        [
            tool_use("scroll", {"direction": "down"}),
            tool_use("scroll", {"direction": "up"}),
            tool_use("extract_text", {"max_chars": 200}),
            tool_use("finish_task", {"summary": "Looked."}),
        ]
    )
    task_id = start_task(agent, "Have a look at my inbox.", url=box)
    assert wait_ended(agent, task_id)["status"] == "finished"
    first, *rest = model.message_requests
    body = first.body
    assert body["system"][-1]["cache_control"] == {"type": "ephemeral"}
    assert body["tools"][-1]["cache_control"] == {"type": "ephemeral"}
    names = {tool["name"] for tool in body["tools"]}
    assert {"click", "navigate", "finish_task"} <= names
    assert "site_request" not in names  # internal actions are never offered to the model
    for recorded in rest:
        assert recorded.response["usage"]["cache_read_input_tokens"] > 0
    # An unchanged page is not sent again.
    assert "did not change" in json.dumps(rest[-1].body["messages"][-1])


def test_rejection_reason_goes_back_to_the_model(agent: Deputy, model: ModelServer, mail_server) -> None:
    box = fresh_mailbox(mail_server.url)
    model.set_script(
        [tick_first_row, click_archive, tool_use("finish_task", {"summary": "Left it.", "success": False})]
    )
    task_id = start_task(agent, "Archive the newest message.", url=box)
    approval = wait_pending(agent, task_id)
    body = {"reason": "Not that one, it is from my bank"}
    assert agent.post(f"/api/approvals/{approval['id']}/reject", body, token=agent.local_token).status_code == 200
    wait_ended(agent, task_id)
    told = model.message_requests[-1].body["messages"][-1]["content"]
    result = next(b for b in told if b.get("type") == "tool_result")
    assert result["is_error"] is True
    assert "Not that one, it is from my bank" in json.dumps(result)
    assert mail_changes(box) == []


def test_tool_errors_are_returned_for_the_model_to_recover(agent: Deputy, model: ModelServer, mail_server) -> None:
    box = fresh_mailbox(mail_server.url)
    model.set_script(
        [
            tool_use("click", {"ref": "e99999"}),
            tool_use("click", {"ref": "not a ref"}),
            tool_use("teleport", {"to": "mars"}),
            tool_use("finish_task", {"summary": "Recovered."}),
        ]
    )
    task_id = start_task(agent, "Try things.", url=box)
    assert wait_ended(agent, task_id)["status"] == "finished"
    errors = [
        next(b for b in r.body["messages"][-1]["content"] if b.get("type") == "tool_result")
        for r in model.message_requests[1:]
    ]
    assert all(e["is_error"] for e in errors)
    assert "e99999" in errors[0]["content"]
    assert "ref" in errors[1]["content"]
    assert "teleport" in errors[2]["content"]


def test_the_same_action_on_the_same_page_three_times_stops_the_task(
    agent: Deputy, model: ModelServer, mail_server
) -> None:
    box = fresh_mailbox(mail_server.url)
    model.set_script(forever(tool_use("wait_for", {"text": "never appears here", "timeout_s": 0.1})))
    task_id = start_task(agent, "Wait.", url=box)
    ended = wait_ended(agent, task_id)
    assert ended["status"] == "failed"
    assert "without progress" in ended["summary"]
    assert len(model.message_requests) == 3
    usage = agent.get("/api/usage", token=agent.local_token).json()
    assert usage["waste"]["loops"] == 1
    assert usage["waste"]["usd"] > 0


def test_cancel_stops_a_task(agent: Deputy, model: ModelServer, mail_server) -> None:
    box = fresh_mailbox(mail_server.url)
    model.set_script([tick_first_row, click_archive])
    task_id = start_task(agent, "Archive the newest message.", url=box)
    wait_pending(agent, task_id)
    cancelled = agent.post(f"/api/tasks/{task_id}/cancel", token=agent.local_token)
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert agent.post(f"/api/tasks/{task_id}/cancel", token=agent.local_token).status_code == 409
    assert task_state(agent, task_id)["status"] == "cancelled"


def test_bad_task_input_is_refused(agent: Deputy) -> None:
    token = agent.local_token
    assert agent.post("/api/tasks", {}, token=token).status_code == 422
    assert agent.post("/api/tasks", {"instruction": ""}, token=token).status_code == 422
    assert agent.post("/api/tasks", {"instruction": "x", "url": "javascript:alert(1)"}, token=token).status_code == 422
    assert agent.post("/api/tasks", {"instruction": "x", "budget_usd": -1}, token=token).status_code == 422
    assert agent.get("/api/tasks/t_nope", token=token).status_code == 404
    assert agent.post("/api/tasks/t_nope/cancel", token=token).status_code == 404
    assert agent.get("/api/usage?period=year", token=token).status_code == 422
