"""A restart tells the truth: Deputy killed with SIGKILL mid-task, then started again.

Deputy runs as its own process here (`deputy serve`), so the kill is real: no shutdown code runs. After
the restart, the cut-off task says it was interrupted and what was and was not done, a pending approval
for ticked rows still runs once when approved (the page and the ticked rows are restored first), and an
approval given just before the kill is either run once or ends saying why it cannot: never left "approved".
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from backend.servers import ThreadedServer, bind_loopback
from tests import web
from tests.integration.agent.conftest import MODEL, find_ref, fresh_mailbox, mail_changes
from tests.model_server import ModelRequest, ModelServer, text, tool_use

pytestmark = pytest.mark.slow


def tick_first_row(req: ModelRequest) -> Any:
    return tool_use("check", {"ref": find_ref(req, "checkbox", "Select")})


def click_archive(req: ModelRequest) -> Any:
    return text("Archiving it.") + tool_use("click", {"ref": find_ref(req, "button", "Archive")})


class Process:
    """`deputy serve` in a process of its own, which the test can kill outright."""

    def __init__(self, data: Path, model: ModelServer) -> None:
        sock = bind_loopback(0)
        self.port = sock.getsockname()[1]
        sock.close()
        self.data = data
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "ANTHROPIC_API_KEY": "test-key",
            "ANTHROPIC_BASE_URL": model.base_url,
            "DEPUTY_MODEL": MODEL,
        }
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "backend.cli", "serve", "--port", str(self.port), "--data-dir", str(data)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.wait(lambda: self._healthy(), "the server to start")
        self.token = (data / "local-token").read_text().strip()

    def _healthy(self) -> bool:
        try:
            return web.get(f"{self.url}/api/health", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def wait(self, check: Callable[[], Any], what: str, within: float = 60) -> Any:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if found := check():
                return found
            if self.proc.poll() is not None:
                raise AssertionError(f"Deputy exited ({self.proc.returncode}) while waiting for {what}.")
            time.sleep(0.1)
        raise AssertionError(f"Timed out waiting for {what}.")

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}"}
        return web.request(method, f"{self.url}{path}", json=body, headers=headers, timeout=30)

    def kill(self) -> None:
        """SIGKILL, as a crash or a power cut would: nothing of Deputy's gets to run."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        # Whatever the killed server left behind (its browser) goes with its session.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)


@pytest.fixture
def model() -> Iterator[ModelServer]:
    with ModelServer([]) as server:
        yield server


@pytest.fixture
def processes() -> Iterator[list[Process]]:
    started: list[Process] = []
    yield started
    for process in started:
        process.stop()


def start(processes: list[Process], data: Path, model: ModelServer) -> Process:
    process = Process(data, model)
    processes.append(process)
    return process


def pending_of(process: Process, task_id: str) -> dict[str, Any] | None:
    found = process.call("GET", f"/api/approvals?status=pending&task_id={task_id}").json()
    return found[0] if found else None


def archives(box: str) -> int:
    return sum(1 for c in mail_changes(box) if c["what"] == "archive")


def test_a_killed_task_ends_interrupted_and_its_approval_still_runs_once(
    tmp_path: Path, model: ModelServer, mail_server: ThreadedServer, processes: list[Process]
) -> None:
    box = fresh_mailbox(mail_server.url)
    model.set_script([tick_first_row, click_archive])
    first = start(processes, tmp_path / "data", model)
    task_id = first.call("POST", "/api/tasks", {"instruction": "Archive the newest message.", "url": box}).json()["id"]
    approval = first.wait(lambda: pending_of(first, task_id), "the archive to ask")
    assert approval["summary"].startswith("Archive: ") and len(approval["objects"]) == 1
    first.kill()

    second = start(processes, tmp_path / "data", model)
    task = second.call("GET", f"/api/tasks/{task_id}").json()
    assert task["status"] == "interrupted", task
    assert "Interrupted" in task["summary"] and "waiting for your approval" in task["summary"], task["summary"]
    assert archives(box) == 0
    # Approved after the restart: the page is opened again and the same row ticked, then it runs once.
    answer = second.call("POST", f"/api/approvals/{approval['id']}/approve")
    assert answer.status_code == 200, answer.text
    done = second.wait(
        lambda: (a := second.call("GET", f"/api/approvals/{approval['id']}").json())["status"] == "executed" and a,
        "the approval to run",
    )
    assert done["outcome"].startswith("Done"), done
    assert archives(box) == 1
    assert second.call("POST", f"/api/approvals/{approval['id']}/approve").status_code == 409
    assert archives(box) == 1
    assert "Archive" in " ".join(second.call("GET", f"/api/tasks/{task_id}").json()["done"])


def test_an_approval_given_just_before_a_kill_runs_once_or_says_why_not(
    tmp_path: Path, model: ModelServer, mail_server: ThreadedServer, processes: list[Process]
) -> None:
    box = fresh_mailbox(mail_server.url)
    model.set_script([tick_first_row, click_archive])
    first = start(processes, tmp_path / "data", model)
    task_id = first.call("POST", "/api/tasks", {"instruction": "Archive the newest message.", "url": box}).json()["id"]
    approval = first.wait(lambda: pending_of(first, task_id), "the archive to ask")
    assert first.call("POST", f"/api/approvals/{approval['id']}/approve").status_code == 200
    first.kill()
    ran_before_the_kill = archives(box)

    second = start(processes, tmp_path / "data", model)
    ended = second.wait(
        lambda: (
            (a := second.call("GET", f"/api/approvals/{approval['id']}").json())["status"] in ("executed", "void") and a
        ),
        "the approval to end",
    )
    assert archives(box) == 1 or (ended["status"] == "void" and archives(box) == ran_before_the_kill)
    if ended["status"] == "void":
        assert "unknown" in ended["outcome"] or "could not run" in ended["outcome"], ended
    assert second.call("GET", f"/api/tasks/{task_id}").json()["status"] == "interrupted"
    time.sleep(1)
    assert archives(box) <= 1  # never twice
