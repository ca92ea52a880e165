"""The Demo Air check-in starter: a newcomer with no model key checks in end to end at zero tokens, the
traveller's details filled only by the browser, asked before the declaration and before "Check in"; a second
check-in replays the same way; a renamed final button heals with one model call and the new version is kept."""

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from backend.servers import ThreadedServer
from backend.traveller.profile import Person, Profile
from backend.traveller.vault import Vault
from tests import web
from tests.integration.agent.conftest import find_ref
from tests.integration.recipes.conftest import wait_ended, wait_pending
from tests.live import Deputy, start_deputy
from tests.model_server import ModelServer, tool_use

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ALEX = Person(first_name="Alex", last_name="Rivera", date_of_birth=date(1990, 1, 2), nationality="PT",
              passport_number="PX7731904", passport_country="PT", passport_expiry=date(2032, 8, 1),
              seat_preference="window")  # fmt: skip
VARIABLES = {"booking_code": "DQ7K2M", "last_name": "Rivera"}


@pytest.fixture
def keyless(tmp_path: Path) -> Iterator[Deputy]:
    with start_deputy(tmp_path / "data", anthropic_api_key="") as server:
        yield server


def fresh_air(air: ThreadedServer, final_label: str | None = None) -> None:
    web.post(f"{air.url}/_test/reset").raise_for_status()
    if final_label:
        web.post(f"{air.url}/_test/final-label", json={"label": final_label}).raise_for_status()


def changes(air: ThreadedServer) -> list[dict[str, Any]]:
    return list(web.get(f"{air.url}/_test/changes", params={"scope": "DQ7K2M"}).json()["changes"])


def run_starter(deputy: Deputy, air: ThreadedServer) -> str:
    body = {"url": air.url + "/", "variables": VARIABLES}
    started = deputy.post("/api/recipes/demo-air-checkin/run", body, token=deputy.local_token)
    assert started.status_code == 201, started.text
    return str(started.json()["id"])


def answer(deputy: Deputy, task_id: str, verb: str = "approve") -> dict[str, Any]:
    try:
        pending = wait_pending(deputy, task_id, within=60)
    except AssertionError:
        raise AssertionError(deputy.get(f"/api/tasks/{task_id}", token=deputy.local_token).json()) from None
    answered = deputy.post(f"/api/approvals/{pending['id']}/{verb}", {}, token=deputy.local_token)
    assert answered.status_code == 200, answered.text
    return pending


def test_a_newcomer_checks_in_on_demo_air_with_no_model_key(keyless: Deputy, air_server: ThreadedServer) -> None:
    fresh_air(air_server)
    listed = keyless.get("/api/recipes", token=keyless.local_token).json()
    starter = next(r for r in listed if r["name"] == "demo-air-checkin")
    assert starter["origin"] == "starter" and starter["variables"] == ["booking_code", "last_name"]

    refused = keyless.post(
        "/api/recipes/demo-air-checkin/run",
        {"url": air_server.url + "/", "variables": VARIABLES},
        token=keyless.local_token,
    )
    assert refused.status_code == 409 and "deputy profile set" in refused.json()["detail"]
    assert changes(air_server) == []  # nothing half done

    Vault(keyless.settings.data_dir).save(Profile(traveller=ALEX))
    task_id = run_starter(keyless, air_server)
    declaration = answer(keyless, task_id)
    assert declaration["action"] == "check" and "dangerous goods" in declaration["target"]
    final = answer(keyless, task_id)
    assert final["action"] == "click" and "Check in" in final["target"]
    ended = wait_ended(keyless, task_id, within=120)
    assert ended["status"] == "finished", ended
    assert ended["model_calls"] == 0

    whats = [c["what"] for c in changes(air_server)]
    assert whats.count("checked in") == 1, whats
    assert not any("payment" in w or "basket" in w or "bag" in w for w in whats), whats
    saved = json.dumps([c for c in changes(air_server) if "details" in c["what"]])
    assert "PX7731904" in saved and "1990-01-02" in saved  # the site got the values the browser filled
    approvals = json.dumps(keyless.get(f"/api/approvals?task_id={task_id}", token=keyless.local_token).json())
    audit = keyless.get(f"/api/audit?task_id={task_id}", token=keyless.local_token).text
    assert "PX7731904" not in approvals and "PX7731904" not in audit
    assert "{{traveller.passport_number}}" in audit

    # A second check-in (the site reset, the cookie banner already answered) replays with zero calls and
    # still asks before "Check in": saying no there leaves the booking unchecked.
    fresh_air(air_server)
    again = run_starter(keyless, air_server)
    answer(keyless, again)
    final = answer(keyless, again, "reject")
    assert "Check in" in final["target"]
    ended = wait_ended(keyless, again, within=120)
    assert ended["status"] != "finished" and ended["model_calls"] == 0
    assert "checked in" not in [c["what"] for c in changes(air_server)]


@pytest.fixture
def model() -> Iterator[ModelServer]:
    with ModelServer([]) as server:
        yield server


@pytest.fixture
def deputy(tmp_path: Path, model: ModelServer) -> Iterator[Deputy]:
    with start_deputy(
        tmp_path / "data", anthropic_api_key="test-key", anthropic_base_url=model.base_url, model="claude-sonnet-4-6"
    ) as server:
        yield server


def test_a_renamed_check_in_button_heals_with_one_call_and_the_new_version_is_kept(
    deputy: Deputy, model: ModelServer, air_server: ThreadedServer
) -> None:
    Vault(deputy.settings.data_dir).save(Profile(traveller=ALEX))
    fresh_air(air_server, final_label="Complete check-in")
    model.set_script(
        [lambda req: tool_use("pick_target", {"ref": find_ref(req, "button", "Complete check-in"), "why": "Renamed."})]
    )
    task_id = run_starter(deputy, air_server)
    answer(deputy, task_id)
    final = answer(deputy, task_id)  # the healed step is still irreversible: it asks
    assert "Complete check-in" in final["target"]
    ended = wait_ended(deputy, task_id, within=120)
    assert ended["status"] == "finished", ended
    assert ended["model_calls"] == 1 and len(model.message_requests) == 1
    assert [tool["name"] for tool in model.message_requests[0].body["tools"]] == ["pick_target"]
    assert [c["what"] for c in changes(air_server)].count("checked in") == 1

    shown = deputy.get("/api/recipes/demo-air-checkin", token=deputy.local_token).json()
    assert shown["version"] == 2
    newest, oldest = shown["versions"]
    assert newest["why"] == "healed step 15" and newest["steps"][14]["target"]["name"] == "Complete check-in"
    assert oldest["why"] == "shipped with Deputy" and oldest["steps"][14]["target"]["name"] == "Check in"

    fresh_air(air_server, final_label="Complete check-in")
    again = run_starter(deputy, air_server)
    answer(deputy, again)
    assert "Complete check-in" in answer(deputy, again)["target"]
    assert wait_ended(deputy, again, within=120)["status"] == "finished"
    assert len(model.message_requests) == 1  # the healed version replays with no call
