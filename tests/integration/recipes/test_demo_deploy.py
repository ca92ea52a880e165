"""Demo Deploy: a status check and a promotion learned from one scripted-model run, then replayed with no
model call; the promotion still asks before each irreversible click."""

import pytest

from tests import web
from tests.integration.agent.conftest import find_ref
from tests.integration.recipes.conftest import approve, learned_from, recipes, start_task, task_state, wait_ended
from tests.live import Deputy
from tests.model_server import ModelRequest, ModelServer, text, tool_use

pytestmark = pytest.mark.browser


@pytest.fixture
def site(deploy_server) -> str:
    web.post(f"{deploy_server.url}/_test/reset").raise_for_status()
    return deploy_server.url


def promotions(url: str) -> list[str]:
    listed = web.get(f"{url}/_test/changes", params={"since": 0}).json()["changes"]
    return [c["what"] for c in listed if c["what"].startswith("promoted")]


def open_service(name: str):
    def step(req: ModelRequest):
        return text(f"Opening {name}.") + tool_use("click", {"ref": find_ref(req, "link", name)})

    return step


def test_a_status_check_replays_for_another_service_with_no_model_call(
    deputy: Deputy, model: ModelServer, site: str
) -> None:
    model.set_script(
        [
            open_service("checkout-api"),
            tool_use("extract_text", {"max_chars": 1500}),
            tool_use("finish_task", {"summary": "checkout-api is healthy."}),
        ]
    )
    first = start_task(deputy, "Check the status of checkout-api", url=site + "/")
    assert wait_ended(deputy, first)["status"] == "finished"
    calls = len(model.message_requests)
    assert calls == 3

    learned = learned_from(deputy, first)
    assert recipes(deputy) == [learned]
    assert learned["instruction"] == "Check the status of {{name}}"
    assert learned["variables"] == ["name"] and learned["learned_calls"] == 3
    shown = deputy.get(f"/api/recipes/{learned['name']}", token=deputy.local_token).json()
    click = shown["versions"][0]["steps"][0]
    assert click["action"] == "click" and "ref" not in click["params"]
    assert click["target"]["role"] == "link" and click["target"]["name"] == "{{name}}"

    again = start_task(deputy, "check the status of web-frontend.", url=site + "/")
    ended = wait_ended(deputy, again)
    assert ended["status"] == "finished", ended
    assert len(model.message_requests) == calls  # no model call at all
    assert ended["model_calls"] == 0 and ended["spend_usd"] == 0
    assert "web-frontend" in ended["claim"] and "5.8.0" in ended["claim"]
    learned_cost = deputy.get(f"/api/tasks/{first}", token=deputy.local_token).json()["spend_micro_usd"]
    report = deputy.get("/api/usage?period=day", token=deputy.local_token).json()["recipes"]
    assert report["runs"] == 1 and report["spend_micro_usd"] == 0 and report["model_calls"] == 0
    assert report["last_model_run_micro_usd"] == learned_cost > 0
    assert report["saved_micro_usd"] == learned_cost
    audit = deputy.get(f"/api/audit?task_id={again}", token=deputy.local_token).json()
    assert {r["actor"] for r in audit if r["kind"] == "proposed" and r["action"] == "click"} == {"recipe"}


def promote(req: ModelRequest):
    return text("Promoting.") + tool_use("click", {"ref": find_ref(req, "button", "Promote")})


def confirm(req: ModelRequest):
    return text("Confirming.") + tool_use("click", {"ref": find_ref(req, "button", "Confirm promotion")})


def test_a_replayed_promotion_still_asks_before_each_irreversible_click(
    deputy: Deputy, model: ModelServer, site: str
) -> None:
    model.set_script([promote, confirm, tool_use("finish_task", {"summary": "Promoted."})])
    first = start_task(deputy, "Promote checkout-api to production", url=site + "/services/checkout-api")
    approve(deputy, first)
    approve(deputy, first)
    assert wait_ended(deputy, first)["status"] == "finished"
    assert len(promotions(site)) == 1
    calls = len(model.message_requests)

    web.post(f"{site}/_test/reset").raise_for_status()
    again = start_task(deputy, "Promote checkout-api to production", url=site + "/services/checkout-api")
    asked = approve(deputy, again)
    assert asked["action"] == "click" and "Promote" in asked["summary"]
    assert promotions(site) == []  # nothing happened before the person said yes
    confirmed = approve(deputy, again)
    assert "Confirm promotion" in confirmed["target"] or "Promote" in confirmed["summary"]
    ended = wait_ended(deputy, again)
    assert ended["status"] == "finished", ended
    assert len(promotions(site)) == 1
    assert len(model.message_requests) == calls
    assert task_state(deputy, again)["model_calls"] == 0
