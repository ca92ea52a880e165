"""Check-in end to end on Demo Air: the real SDK against the scripted model, real Chromium, two passengers,
two approvals (the declaration and the final button), boarding passes kept; and the proof that no prompt, log
line, event, audit row, task record or approval holds a passport number or a date of birth."""

import json
import logging
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from backend.traveller.placeholders import ECHO_FORMATS
from backend.traveller.profile import Person, Profile
from backend.traveller.vault import Vault
from tests import web
from tests.integration.agent.conftest import wait_ended, wait_pending
from tests.integration.checkin.conftest import kept_passes
from tests.integration.checkin.pilot import Pilot
from tests.live import Deputy
from tests.model_server import ModelServer

pytestmark = pytest.mark.slow

YUKI = Person(first_name="Yuki", last_name="Nakamura", date_of_birth=date(1986, 7, 14), nationality="JP",
              passport_number="TK5520931", passport_country="JP", passport_expiry=date(2032, 8, 1),
              seat_preference="window")  # fmt: skip
REN = Person(first_name="Ren", last_name="Nakamura", date_of_birth=date(2011, 2, 3), nationality="JP",
             passport_number="TK7781046", passport_country="JP", passport_expiry=date(2030, 4, 9))  # fmt: skip
SECRETS = [YUKI.passport_number, REN.passport_number] + [
    born.strftime(f) for born in (YUKI.date_of_birth, REN.date_of_birth) for f in ECHO_FORMATS[:8]
]  # fmt: skip


class Captured(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def logs() -> Iterator[Captured]:
    handler = Captured()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    root.setLevel(level)


def capture_events(agent: Deputy) -> list[Any]:
    seen: list[Any] = []
    bus = agent.ctx.bus
    publish = bus.publish

    def recording(kind: str, payload: Any) -> Any:
        seen.append([kind, payload])
        return publish(kind, payload)

    bus.publish = recording
    return seen


def approve(agent: Deputy, task_id: str) -> dict[str, Any]:
    pending = wait_pending(agent, task_id, within=60)
    answered = agent.post(f"/api/approvals/{pending['id']}/approve", {}, token=agent.local_token)
    assert answered.status_code == 200, answered.text
    return pending


def test_two_passengers_check_in_with_two_approvals_and_no_value_reaches_the_model(
    agent: Deputy, model: ModelServer, air_server, logs: Captured
) -> None:
    web.post(f"{air_server.url}/_test/reset").raise_for_status()
    Vault(agent.settings.data_dir).save(Profile(traveller=YUKI, companions=[REN]))
    events = capture_events(agent)
    model.set_script(Pilot("FM5W6C", passengers=2))
    started = agent.post(
        "/api/checkins",
        {"url": f"{air_server.url}/", "booking_code": "FM5W6C", "last_name": "Nakamura", "airline": "Demo Air"},
        token=agent.local_token,
    )
    assert started.status_code == 201, started.text
    task_id = started.json()["task_id"]

    declaration = approve(agent, task_id)
    assert declaration["action"] == "check" and "dangerous goods" in declaration["target"]
    # The card carries the declaration's own paragraph, not just the box's label.
    assert any("explosives and fireworks" in o and "lithium batteries" in o for o in declaration["objects"])
    final = approve(agent, task_id)
    assert final["action"] == "click" and "Check in" in final["target"]
    ended = wait_ended(agent, task_id, within=120)
    assert ended["status"] == "finished", ended

    changes = web.get(f"{air_server.url}/_test/changes", params={"scope": "FM5W6C"}).json()["changes"]
    whats = [c["what"] for c in changes]
    assert whats.count("checked in") == 1, whats
    assert not any("payment" in w or "basket" in w for w in whats), whats
    checked = next(c for c in changes if c["what"] == "checked in")
    assert "Yuki Nakamura" in json.dumps(checked) and "Ren Nakamura" in json.dumps(checked)
    saved = [c for c in changes if "details" in c["what"]]
    assert saved and "TK5520931" in json.dumps(saved) and "TK7781046" in json.dumps(saved)  # the site got them

    approvals = agent.get(f"/api/approvals?task_id={task_id}", token=agent.local_token).json()
    assert len(approvals) == 2
    passes = kept_passes(agent, task_id, 2)
    assert len(passes) == 2 and all(p.endswith(".pdf") for p in passes)
    pdf = agent.get(f"/api/checkins/{task_id}/boarding-pass/{passes[0]}", token=agent.local_token)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert any(kind == "checkin.boarding_pass" for kind, _ in events)

    # The proof: nothing that leaves the browser layer holds a passport number or a date of birth.
    prompts = json.dumps([r.body for r in model.message_requests])
    assert "{{traveller.passport_number}}" in prompts and "{{companion.1.date_of_birth}}" in prompts
    audit = agent.get(f"/api/audit?task_id={task_id}", token=agent.local_token).text
    task = json.dumps(agent.get(f"/api/tasks/{task_id}", token=agent.local_token).json())
    kept = {
        "prompts": prompts,
        "logs": "\n".join(logs.lines),
        "events": json.dumps(events, default=str),
        "audit": audit,
        "task": task,
        "approvals": json.dumps(approvals),
    }
    for where, text in kept.items():
        for secret in SECRETS:
            assert secret not in text, f"{secret} is in the {where}"
