"""Jobs live in Deputy's database: they survive a clean restart and a kill -9 of a real `deputy serve`
process, and a run missed while Deputy was down runs once when it starts, never once per missed time."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import Session, select

from backend.clock import ManualClock
from backend.models import ScheduledRun
from backend.servers import bind_loopback
from tests import web
from tests.live import start_deputy


class Serve:
    """`deputy serve` in its own process, which the test can kill outright."""

    def __init__(self, data: Path) -> None:
        sock = bind_loopback(0)
        self.port = sock.getsockname()[1]
        sock.close()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if k != "ANTHROPIC_API_KEY"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "backend.cli", "serve", "--port", str(self.port), "--data-dir", str(data)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while not self._healthy():
            assert self.proc.poll() is None, f"deputy serve exited ({self.proc.returncode})"
            assert time.monotonic() < deadline, "deputy serve did not start"
            time.sleep(0.1)
        self.token = (data / "local-token").read_text().strip()

    def _healthy(self) -> bool:
        try:
            return web.get(f"{self.url}/api/health", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
        return web.request(
            method, f"{self.url}{path}", json=body, headers={"Authorization": f"Bearer {self.token}"}, timeout=30
        )

    def kill(self) -> None:
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(20)


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[list[Serve]]:
    started: list[Serve] = []
    yield started
    for server in started:
        server.stop()


def test_jobs_survive_a_restart_and_a_kill(tmp_path: Path, serve: list[Serve]) -> None:
    data = tmp_path / "data"
    first = Serve(data)
    serve.append(first)
    body = {"kind": "triage", "params": {"url": "http://127.0.0.1:9/inbox/"}, "cron": "15 6 * * 1-5"}
    added = first.call("POST", "/api/schedules", body)
    assert added.status_code == 201, added.text
    watch = first.call("POST", "/api/schedules", {"kind": "deploy_watch", "params": {"url": "http://127.0.0.1:9/"}})
    assert first.call("POST", f"/api/schedules/{watch.json()['id']}", {"enabled": False}).status_code == 200
    first.stop()

    second = Serve(data)
    serve.append(second)
    listed = {j["id"]: j for j in second.call("GET", "/api/schedules").json()}
    assert listed[added.json()["id"]]["when"] == {"cron": "15 6 * * 1-5"}
    assert listed[watch.json()["id"]]["enabled"] is False
    second.kill()

    third = Serve(data)
    serve.append(third)
    after_kill = {j["id"]: j for j in third.call("GET", "/api/schedules").json()}
    assert after_kill == listed
    assert third.call("DELETE", f"/api/schedules/{added.json()['id']}").status_code == 200
    assert [j["id"] for j in third.call("GET", "/api/schedules").json()] == [watch.json()["id"]]


def test_missed_jobs_run_once_and_a_stale_one_is_skipped(tmp_path: Path) -> None:
    clock = ManualClock(datetime.now().astimezone().replace(hour=12, minute=0, second=0, microsecond=0))
    data = tmp_path / "data"
    with start_deputy(data, clock=clock) as deputy:
        token = deputy.local_token
        digest = deputy.post("/api/schedules", {"kind": "digest", "every_seconds": 600}, token=token).json()
        triage = deputy.post(
            "/api/schedules",
            {"kind": "triage", "params": {"url": "http://127.0.0.1:9/"}, "cron": "0 13 * * *"},
            token=token,
        ).json()
        late = deputy.post(
            "/api/schedules",
            {
                "kind": "task",
                "params": {"instruction": "Tidy the inbox"},
                "at": (clock.now().replace(minute=30)).isoformat(),
            },
            token=token,
        ).json()
    # Deputy is down for three hours: 18 digest times pass, and the 13:00 triage.
    clock.advance(3 * 3600)
    with start_deputy(data, clock=clock) as deputy:
        deputy.wait(lambda: _runs(deputy, digest["id"]), 30, "the missed digest to run")
        time.sleep(0.5)
        token = deputy.local_token
        runs = _runs(deputy, digest["id"])
        assert len(runs) == 1 and runs[0].missed == 17 and runs[0].status == "done"
        # The triage missed by 2 h is within its 12 h grace: it runs once (and fails, the inbox is not there).
        (missed,) = deputy.wait(lambda: _runs(deputy, triage["id"]), 30, "the missed triage")
        assert missed.by == "schedule"
        # A one-off task missed by 2.5 h is past its 2 h grace: skipped, said so, and gone from the list.
        (skipped,) = deputy.wait(lambda: _runs(deputy, late["id"]), 30, "the stale one-off to be looked at")
        assert skipped.status == "skipped" and "too late" in (skipped.summary or "")
        listed = [j["id"] for j in deputy.get("/api/schedules", token=token).json()]
        assert late["id"] not in listed and triage["id"] in listed


def _runs(deputy: Any, schedule_id: str) -> list[ScheduledRun]:
    with Session(deputy.ctx.engine) as session:
        return list(session.exec(select(ScheduledRun).where(ScheduledRun.schedule_id == schedule_id)))
