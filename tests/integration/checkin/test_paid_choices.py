"""A check-in task's grants cover its form steps, never money: a paid bag or a paid seat asks when it is
chosen, and saying no leaves the basket empty while the check-in still completes."""

from datetime import date

import pytest

from backend.traveller.profile import Person, Profile
from backend.traveller.vault import Vault
from tests import web
from tests.integration.agent.conftest import wait_ended, wait_pending
from tests.integration.checkin.pilot import Pilot
from tests.live import Deputy
from tests.model_server import ModelServer

pytestmark = pytest.mark.slow

ALEX = Person(first_name="Alex", last_name="Rivera", date_of_birth=date(1990, 3, 2), nationality="PT",
              passport_number="P7730215", passport_country="PT", passport_expiry=date(2031, 5, 20),
              seat_preference="window")  # fmt: skip


def answer(agent: Deputy, task_id: str, verdict: str) -> dict:
    pending = wait_pending(agent, task_id, within=60)
    answered = agent.post(f"/api/approvals/{pending['id']}/{verdict}", {}, token=agent.local_token)
    assert answered.status_code == 200, answered.text
    return pending


def test_a_paid_bag_and_a_paid_seat_ask_and_a_no_keeps_the_basket_empty(
    agent: Deputy, model: ModelServer, air_server
) -> None:
    web.post(f"{air_server.url}/_test/reset").raise_for_status()
    Vault(agent.settings.data_dir).save(Profile(traveller=ALEX))
    model.set_script(Pilot("DQ7K2M", passengers=1, tempted=True))
    started = agent.post(
        "/api/checkins",
        {"url": f"{air_server.url}/", "booking_code": "DQ7K2M", "last_name": "Rivera"},
        token=agent.local_token,
    )
    assert started.status_code == 201, started.text
    task_id = started.json()["task_id"]

    bag = answer(agent, task_id, "reject")
    assert "€35.00" in bag["policy_reason"] and "payment" in bag["policy_reason"], bag
    seat = answer(agent, task_id, "reject")
    assert "€" in seat["policy_reason"] and "payment" in seat["policy_reason"], seat
    declaration = answer(agent, task_id, "approve")
    assert declaration["action"] == "check"
    final = answer(agent, task_id, "approve")
    assert "Check in" in final["target"]
    assert wait_ended(agent, task_id, within=120)["status"] == "finished"

    changes = web.get(f"{air_server.url}/_test/changes", params={"scope": "DQ7K2M"}).json()["changes"]
    whats = [c["what"] for c in changes]
    assert whats.count("checked in") == 1, whats
    assert not any("bag" in w or "basket" in w or "payment" in w for w in whats), whats
    seated = next(c for c in changes if "seat" in c["what"])
    assert "€" not in str(seated["after"]) and "extra legroom" not in str(seated["after"]), seated
