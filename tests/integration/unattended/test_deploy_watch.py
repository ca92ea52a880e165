"""The deploy watch, judged by the dashboards' own change logs: a failing rollout on Demo Deploy (scripted to
fail at 40%) and a bad release on Harbor (a board unlike it in every way) each raise an alert with evidence
and a rollback approval; nothing is rolled back until the user approves, and looking costs no tokens."""

import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import Session, select

from backend.models import ModelCall
from backend.servers import ThreadedServer
from tests.live import Deputy, start_deputy
from tests.sites.harbor.app import create_app as harbor_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def deputy(tmp_path: Path) -> Iterator[Deputy]:
    with start_deputy(tmp_path / "data") as server:
        yield server


@pytest.fixture
def harbor() -> Iterator[ThreadedServer]:
    with ThreadedServer(harbor_app()) as server:
        yield server


class Alerts:
    """The events socket's watch alerts, as the extension and the tray receive them."""

    def __init__(self, deputy: Deputy) -> None:
        self.sub = deputy.ctx.bus.subscribe()
        self.seen: list[dict[str, Any]] = []

    def drain(self) -> list[dict[str, Any]]:
        while not self.sub.queue.empty():
            event = self.sub.queue.get_nowait()
            if event["type"] == "watch.alert":
                self.seen.append(event["data"])
        return self.seen


def watch(deputy: Deputy, url: str) -> dict[str, Any]:
    added = deputy.post(
        "/api/schedules", {"kind": "deploy_watch", "params": {"url": url}, "every_seconds": 5}, token=deputy.local_token
    )
    assert added.status_code == 201, added.text
    return added.json()


def look(deputy: Deputy, schedule_id: str) -> dict[str, Any]:
    """Run the watch once now and wait for that look to end."""
    ran = deputy.post(f"/api/schedules/{schedule_id}/run", token=deputy.local_token)
    assert ran.status_code == 202, ran.text

    def ended() -> Any:
        job = deputy.get(f"/api/schedules/{schedule_id}", token=deputy.local_token).json()
        return job if not job["running"] and job["last_run"] and job["last_run"]["status"] != "running" else None

    return deputy.wait(ended, 60, "the watch's look")["last_run"]


def approve(deputy: Deputy, approval_id: str) -> dict[str, Any]:
    answered = deputy.post(f"/api/approvals/{approval_id}/approve", {}, token=deputy.local_token)
    assert answered.status_code == 200, answered.text
    return deputy.wait(
        lambda: (
            (a := deputy.get(f"/api/approvals/{approval_id}", token=deputy.local_token).json())["status"]
            in ("executed", "void", "stale")
            and a
        ),
        60,
        "the rollback to run",
    )


def test_a_failing_rollout_on_demo_deploy_is_alerted_and_rolled_back_only_when_approved(
    deputy: Deputy, deploy_server: ThreadedServer
) -> None:
    site = httpx.Client(base_url=deploy_server.url)
    site.post("/_test/reset").raise_for_status()
    job = watch(deputy, f"{deploy_server.url}/services/checkout-api")
    deputy.post(f"/api/schedules/{job['id']}", {"enabled": False}, token=deputy.local_token)
    alerts = Alerts(deputy)

    first = look(deputy, job["id"])
    assert first["summary"].startswith("Looks healthy"), first
    assert look(deputy, job["id"])["summary"].startswith("No change"), "a calm dashboard is a plain comparison"

    site.post(
        "/_test/control", json={"service": "checkout-api", "next_deploy": {"outcome": "fail", "fail_at_percent": 40}}
    )
    site.post("/api/deployments/d-1022/promote").raise_for_status()
    site.post("/_test/advance", json={"seconds": 60}).raise_for_status()
    incident = look(deputy, job["id"])
    assert "Rollback proposed" in incident["summary"], incident

    (alert,) = alerts.drain()
    evidence = "\n".join(alert["evidence"])
    assert "Failed" in evidence and "Error rate:" in evidence
    assert "failed at 40%" in evidence  # the log excerpt from the deployment's page
    card = deputy.get(f"/api/approvals/{alert['approval_id']}", token=deputy.local_token).json()
    assert card["kind"] == "rollback" and card["risk"] == "irreversible" and card["status"] == "pending"
    assert card["objects"] == alert["evidence"]
    assert "Roll back" in card["summary"]

    # Nothing was rolled back by the watch: the change log has only the promotion.
    assert [c["endpoint"].split("/")[-1] for c in site.get("/_test/changes").json()["changes"]] == ["promote"]
    assert look(deputy, job["id"])["summary"].startswith("No change"), "one alert per incident, not one per look"

    done = approve(deputy, alert["approval_id"])
    assert done["status"] == "executed", done
    ends = [c["endpoint"].split("/")[-1] for c in site.get("/_test/changes").json()["changes"]]
    assert ends == ["promote", "rollback"]
    with Session(deputy.ctx.engine) as session:
        assert session.exec(select(ModelCall)).all() == []  # the watch spent no tokens


def test_the_watch_works_on_a_board_unlike_demo_deploy(deputy: Deputy, harbor: ThreadedServer) -> None:
    board = httpx.Client(base_url=harbor.url)
    job = watch(deputy, harbor.url + "/")
    deputy.post(f"/api/schedules/{job['id']}", {"enabled": False}, token=deputy.local_token)
    alerts = Alerts(deputy)
    assert look(deputy, job["id"])["summary"].startswith("Looks healthy")

    board.post("/_test/break").raise_for_status()
    started = time.monotonic()
    incident = look(deputy, job["id"])
    assert "Rollback proposed" in incident["summary"], incident
    (alert,) = alerts.drain()
    assert time.monotonic() - started >= 0  # the alert is published by the look itself, not a later one
    evidence = "\n".join(alert["evidence"])
    assert "9.1%" in evidence and "health checks failed" in evidence
    assert board.get("/_test/changes").json()["changes"] == []

    done = approve(deputy, alert["approval_id"])
    assert done["status"] == "executed", done
    assert board.get("/_test/changes").json()["changes"] == [{"what": "revert", "from": "r42", "to": "r41"}]


def incident_on_demo_deploy(deputy: Deputy, site: httpx.Client, url: str) -> str:
    """A failing rollout seen by the watch; the id of the rollback it proposed."""
    site.post("/_test/reset").raise_for_status()
    job = watch(deputy, f"{url}/services/checkout-api")
    deputy.post(f"/api/schedules/{job['id']}", {"enabled": False}, token=deputy.local_token)
    alerts = Alerts(deputy)
    look(deputy, job["id"])
    site.post(
        "/_test/control", json={"service": "checkout-api", "next_deploy": {"outcome": "fail", "fail_at_percent": 40}}
    )
    site.post("/api/deployments/d-1022/promote").raise_for_status()
    site.post("/_test/advance", json={"seconds": 60}).raise_for_status()
    assert "Rollback proposed" in look(deputy, job["id"])["summary"]
    (alert,) = alerts.drain()
    return alert["approval_id"]


def quiet_now(deputy: Deputy) -> dict[str, Any]:
    """Quiet hours from an hour before Deputy's now to an hour after, in local time as the user sets them."""
    now = deputy.clock.now().astimezone()
    start, end = ((now + timedelta(hours=h)).strftime("%H:%M") for h in (-1, 1))
    return {"kind": "quiet_hours", "value": {"start": start, "end": end}}


@pytest.mark.parametrize(
    ("path", "body", "why"),
    [
        ("/api/state", lambda _: {"paused": True}, "Deputy is paused"),
        ("/api/rules", quiet_now, "Quiet hours"),
    ],
    ids=["paused", "quiet-hours"],
)
def test_an_approved_rollback_goes_through_the_policy_and_says_why_it_did_not_run(
    deputy: Deputy, deploy_server: ThreadedServer, path: str, body: Callable[[Deputy], Any], why: str
) -> None:
    site = httpx.Client(base_url=deploy_server.url)
    approval_id = incident_on_demo_deploy(deputy, site, deploy_server.url)
    held = deputy.post(path, body(deputy), token=deputy.local_token)
    assert held.status_code in (200, 201), held.text

    done = approve(deputy, approval_id)
    assert done["status"] == "void", done
    assert why in done["outcome"], done
    ends = [c["endpoint"].split("/")[-1] for c in site.get("/_test/changes").json()["changes"]]
    assert ends == ["promote"], "nothing was rolled back"
