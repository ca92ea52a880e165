"""Check-in on Skylark, an airline unlike Demo Air (tests/sites/skylark): a cookie wall, passengers chosen
first, a seat grid named "Row 12 seat A, window, free", priced extras in a table, a session that times out
mid-flow, three passengers. The same skill and the same page-reading model check in exactly once."""

import json
from collections.abc import Iterator
from datetime import date

import pytest

from backend.servers import ThreadedServer
from backend.traveller.profile import Person, Profile
from backend.traveller.vault import Vault
from tests import web
from tests.integration.agent.conftest import wait_ended, wait_pending
from tests.integration.checkin.conftest import kept_passes
from tests.integration.checkin.pilot import Pilot
from tests.live import Deputy
from tests.model_server import ModelServer
from tests.sites.skylark.app import create_app

pytestmark = pytest.mark.slow

ANA = Person(first_name="Ana", last_name="Ruiz", date_of_birth=date(1984, 11, 23), nationality="ES",
             passport_number="PAB204417", passport_country="ES", passport_expiry=date(2033, 1, 15),
             seat_preference="aisle")  # fmt: skip
BEN = Person(first_name="Ben", last_name="Ruiz", date_of_birth=date(1982, 4, 5), nationality="ES",
             passport_number="PAC991204", passport_country="ES", passport_expiry=date(2031, 9, 30))  # fmt: skip
CARLA = Person(first_name="Carla", last_name="Ruiz", date_of_birth=date(2015, 8, 19), nationality="ES",
               passport_number="PAD310562", passport_country="ES", passport_expiry=date(2032, 2, 11))  # fmt: skip


@pytest.fixture(scope="module")
def skylark() -> Iterator[ThreadedServer]:
    with ThreadedServer(create_app()) as server:
        yield server


def answer(agent: Deputy, task_id: str, verdict: str = "approve") -> dict:
    pending = wait_pending(agent, task_id, within=60)
    answered = agent.post(f"/api/approvals/{pending['id']}/{verdict}", {}, token=agent.local_token)
    assert answered.status_code == 200, answered.text
    return pending


def start(agent: Deputy, skylark: ThreadedServer, model: ModelServer, pilot: Pilot) -> str:
    web.post(f"{skylark.url}/_test/reset").raise_for_status()
    Vault(agent.settings.data_dir).save(Profile(traveller=ANA, companions=[BEN, CARLA]))
    model.set_script(pilot)
    started = agent.post(
        "/api/checkins",
        {"url": f"{skylark.url}/", "booking_code": "K7MQ2X", "last_name": "Ruiz", "airline": "Skylark"},
        token=agent.local_token,
    )
    assert started.status_code == 201, started.text
    return str(started.json()["task_id"])


def changes(skylark: ThreadedServer) -> list[dict]:
    return list(web.get(f"{skylark.url}/_test/changes", params={"scope": "K7MQ2X"}).json()["changes"])


def test_three_passengers_check_in_once_through_a_timeout_with_two_approvals(
    agent: Deputy, model: ModelServer, skylark: ThreadedServer
) -> None:
    task_id = start(agent, skylark, model, Pilot("K7MQ2X", passengers=3, seat="aisle"))
    declaration = answer(agent, task_id)
    assert declaration["action"] == "check"
    # The card shows what the box agrees to, from the fieldset around it.
    assert any("gas canisters" in o and "Lithium batteries" in o for o in declaration["objects"]), declaration
    final = answer(agent, task_id)
    assert "Complete check-in" in final["target"]
    assert wait_ended(agent, task_id, within=180)["status"] == "finished"

    log = changes(skylark)
    whats = [c["what"] for c in log]
    assert whats.count("checked in") == 1, whats
    assert "session timed out" in whats and whats.index("session timed out") < whats.index("checked in")
    assert not any("basket" in w for w in whats), whats
    done = next(c for c in log if c["what"] == "checked in")["after"]
    assert done["passengers"] == ["Ana Ruiz", "Ben Ruiz", "Carla Ruiz"] and not done["extras"]
    assert all(int(seat[:-1]) > 4 for seat in done["seats"]), done  # rows 1-4 are paid
    saved = json.dumps([c["after"] for c in log if c["what"] == "documents saved"])
    assert all(p in saved for p in ("PAB204417", "PAC991204", "PAD310562", "23/11/1984"))
    assert len(agent.get(f"/api/approvals?task_id={task_id}", token=agent.local_token).json()) == 2
    passes = kept_passes(agent, task_id, 3)
    assert len(passes) == 3 and all(p.endswith(".pdf") for p in passes)


def test_a_paid_seat_and_an_extra_priced_only_in_its_row_ask(
    agent: Deputy, model: ModelServer, skylark: ThreadedServer
) -> None:
    task_id = start(agent, skylark, model, Pilot("K7MQ2X", passengers=3, seat="aisle", tempted=True))
    seat = answer(agent, task_id, "reject")
    assert "£15.00" in seat["policy_reason"] and "payment" in seat["policy_reason"], seat
    extra = answer(agent, task_id, "reject")
    assert "£28.00" in extra["policy_reason"] and "'Add'" in extra["policy_reason"], extra
    answer(agent, task_id)
    answer(agent, task_id)
    assert wait_ended(agent, task_id, within=180)["status"] == "finished"
    whats = [c["what"] for c in changes(skylark)]
    assert whats.count("checked in") == 1 and not any("basket" in w for w in whats), whats
