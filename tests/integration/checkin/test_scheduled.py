"""Check-in on schedule with a fake clock on Demo Air: the job starts one check-in once the window opens, the
declaration and the final button wait as approvals, nothing is checked in before they are given, later rounds
do not start it again, and a window that closed while Deputy was away is skipped and said so."""

from datetime import timedelta
from typing import Any

import pytest

from backend.skills.checkin.trips import TripFacts, keep_trip
from backend.traveller.profile import Profile
from backend.traveller.vault import Vault
from tests import web
from tests.integration.agent.conftest import wait_ended, wait_pending
from tests.integration.checkin.pilot import Pilot
from tests.integration.checkin.test_demo_air import REN, YUKI
from tests.live import Deputy
from tests.model_server import ModelServer

pytestmark = pytest.mark.slow


def add_trip(agent: Deputy, code: str, hours_away: float) -> None:
    departs = agent.clock.now() + timedelta(hours=hours_away)
    facts = TripFacts(code=code, airline="Demo Air", flight="DA 233", departs=departs,
                      passengers=["Yuki Nakamura", "Ren Nakamura"])  # fmt: skip
    keep_trip(agent.ctx.engine, facts, "Demo Air\nYour booking\nMon", agent.clock.now())


def add_job(agent: Deputy, url: str) -> str:
    added = agent.post(
        "/api/schedules",
        {"kind": "checkin", "params": {"url": url, "airline": "Demo Air"}, "every_seconds": 300},
        token=agent.local_token,
    )
    assert added.status_code == 201, added.text
    return str(added.json()["id"])


def run_now(agent: Deputy, job: str) -> dict[str, Any]:
    """Run the job at once and return its finished run."""
    before = agent.get(f"/api/schedules/{job}", token=agent.local_token).json()["last_run"]
    assert agent.post(f"/api/schedules/{job}/run", {}, token=agent.local_token).status_code == 202

    def finished() -> Any:
        last = agent.get(f"/api/schedules/{job}", token=agent.local_token).json()["last_run"]
        return last if last and last != before and last["status"] != "running" else None

    return agent.wait(finished, 60, "the check-in job to run")


def checkin_tasks(agent: Deputy) -> list[dict[str, Any]]:
    tasks = agent.get("/api/tasks", token=agent.local_token).json()
    return [t for t in tasks if t["instruction"].startswith("Check in booking")]


def test_the_job_starts_one_checkin_when_the_window_opens_and_the_final_button_waits(
    agent: Deputy, model: ModelServer, air_server
) -> None:
    web.post(f"{air_server.url}/_test/reset").raise_for_status()
    Vault(agent.settings.data_dir).save(Profile(traveller=YUKI, companions=[REN]))
    model.set_script(Pilot("FM5W6C", passengers=2))
    add_trip(agent, "FM5W6C", hours_away=30)
    job = add_job(agent, f"{air_server.url}/")

    early = run_now(agent, job)  # 30 h before departure: the 24 h window is shut
    assert early["status"] == "done" and early["task_id"] is None
    assert checkin_tasks(agent) == []

    agent.clock.advance(7 * 3600)  # 23 h before: the window is open, and the job is due
    agent.ctx.schedules.wakeup()
    ran = agent.wait(
        lambda: (
            (r := agent.get(f"/api/schedules/{job}", token=agent.local_token).json()["last_run"])
            and r["task_id"]
            and r["status"] == "done"
            and r
        ),
        60,
        "the scheduled check-in to start",
    )
    assert "FM5W6C" in ran["summary"] and "wait for you" in ran["summary"]
    task_id = ran["task_id"]

    declaration = wait_pending(agent, task_id, within=60)
    assert declaration["action"] == "check" and "dangerous goods" in declaration["target"]
    assert agent.post(f"/api/approvals/{declaration['id']}/approve", {}, token=agent.local_token).status_code == 200
    final = wait_pending(agent, task_id, within=60)
    assert final["action"] == "click" and "Check in" in final["target"]

    changes = web.get(f"{air_server.url}/_test/changes", params={"scope": "FM5W6C"}).json()["changes"]
    assert "checked in" not in [c["what"] for c in changes]  # prepared, never pressed alone

    agent.clock.advance(300)  # the next round finds the check-in waiting and leaves it alone
    again = run_now(agent, job)
    assert "Still waiting" in again["summary"] and again["task_id"] is None
    assert [t["id"] for t in checkin_tasks(agent)] == [task_id]

    assert agent.post(f"/api/approvals/{final['id']}/approve", {}, token=agent.local_token).status_code == 200
    assert wait_ended(agent, task_id, within=120)["status"] == "finished"
    changes = web.get(f"{air_server.url}/_test/changes", params={"scope": "FM5W6C"}).json()["changes"]
    assert [c["what"] for c in changes].count("checked in") == 1

    after = run_now(agent, job)  # checked in: no further round starts anything
    assert after["task_id"] is None and "FM5W6C" not in after["summary"]
    assert len(checkin_tasks(agent)) == 1


def test_a_window_that_closed_while_deputy_was_away_is_skipped_and_said_once(agent: Deputy, air_server) -> None:
    Vault(agent.settings.data_dir).save(Profile(traveller=YUKI, companions=[REN]))
    add_trip(agent, "QX7P2M", hours_away=30)
    job = add_job(agent, f"{air_server.url}/")

    agent.clock.advance(31 * 3600)  # Deputy was down through the whole window: the flight has left
    missed = run_now(agent, job)
    assert "QX7P2M" in missed["summary"] and "closed before it was checked in" in missed["summary"]
    assert checkin_tasks(agent) == []
    later = run_now(agent, job)
    assert "QX7P2M" not in later["summary"]
    assert checkin_tasks(agent) == []
