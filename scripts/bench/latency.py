"""Benchmark: how quickly the surfaces see and answer what Deputy does. Prints figures; asserts nothing.

Run with `.venv/bin/python scripts/bench/latency.py [ROUNDS]`. It starts Deputy (real clock) with its agent
pointed at the scripted Messages API server (tests/model_server, which answers at once), serves Demo Mail,
and runs ROUNDS tasks (default 8) that tick a message and click Archive, which asks. For each it measures:

- proposal → visible: from the approval's creation (its stored time) to the moment a client holding the
  event socket, as the tray and the extension's worker do, has it in `GET /api/approvals?status=pending`;
- approve → executed: from the approve request to the archive appearing in Demo Mail's change log;
- backend overhead per step: `step.started` → `step.finished` as the socket reports it (the model's time is
  not in it: the scripted model has already answered).

Then `deputy --help` wall time (10 runs) and the idle server's resident memory without the browser.
"""

import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from backend.clock import SystemClock  # noqa: E402
from backend.servers import ThreadedServer  # noqa: E402
from tests.live import Deputy, start_deputy  # noqa: E402
from tests.model_server import ModelRequest, ModelServer, Reply, text, tool_use  # noqa: E402

TARGETS = {"visible": 100.0, "approve": 300.0, "step": 150.0, "help": 1000.0, "rss": 150.0}


def ref(req: ModelRequest, role: str, name: str) -> str:
    pattern = re.compile(rf'\[(e\d+)\] {re.escape(role)} "{re.escape(name)}"')
    for message in reversed(req.messages):
        if message["role"] != "user" or isinstance(message["content"], str):
            continue
        for block in message["content"]:
            found = pattern.search(block.get("text", ""))
            if found:
                return found.group(1)
    raise SystemExit(f"the model was never shown a {role} {name!r}")


def round_script() -> list[Any]:
    def tick(req: ModelRequest) -> Reply:
        return tool_use("check", {"ref": ref(req, "checkbox", "Select")})

    def archive(req: ModelRequest) -> Reply:
        return text("Archiving it.") + tool_use("click", {"ref": ref(req, "button", "Archive")})

    return [tick, archive, tool_use("finish_task", {"summary": "Archived one message."})]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class Listener:
    """The event socket as the tray holds it, timing what arrives."""

    def __init__(self, deputy: Deputy) -> None:
        self.deputy = deputy
        self.events: list[tuple[float, dict[str, Any]]] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        with connect(f"ws://127.0.0.1:{self.deputy.port}/api/events") as ws:
            ws.send(json.dumps({"type": "auth", "token": self.deputy.local_token}))
            while not self.stop.is_set():
                try:
                    event = json.loads(ws.recv(timeout=0.2))
                except TimeoutError:
                    continue
                except ConnectionClosed:
                    return  # the server stopped at the end of the run
                self.events.append((time.time(), event))


def wait(check: Any, within: float = 30.0, step: float = 0.002) -> Any:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(step)
    raise SystemExit("timed out")


def measure_rounds(rounds: int) -> tuple[list[float], list[float], list[float]]:
    from backend.demo.mail.app import create_app as mail_app

    visible: list[float] = []
    approve: list[float] = []
    steps: list[float] = []
    with ThreadedServer(mail_app()) as mail, tempfile.TemporaryDirectory() as data:
        script: list[Any] = []
        for _ in range(rounds):
            script += round_script()
        with (
            ModelServer(script) as model,
            start_deputy(
                Path(data),
                clock=SystemClock(),
                anthropic_api_key="bench",
                anthropic_base_url=model.base_url,
                model="claude-sonnet-4-6",
            ) as deputy,
        ):
            token = deputy.local_token
            listener = Listener(deputy)
            time.sleep(0.3)
            for _ in range(rounds):
                box = httpx.post(f"{mail.url}/_test/mailboxes").json()["url"]
                base = box if box.endswith("/") else box + "/"
                task = deputy.post(
                    "/api/tasks", {"instruction": "Archive the newest message.", "url": box}, token=token
                )
                task_id = task.json()["id"]
                seen = wait(
                    lambda tid=task_id: [
                        e
                        for _, e in listener.events
                        if e["type"] == "approval.created" and e["data"].get("task_id") == tid
                    ]
                )
                approval_id = seen[0]["data"]["id"]
                wait(
                    lambda aid=approval_id: any(
                        a["id"] == aid for a in deputy.get("/api/approvals?status=pending", token=token).json()
                    )
                )
                shown = time.time()
                created = deputy.get(f"/api/approvals/{approval_id}", token=token).json()["created_at"]
                created_at = datetime.fromisoformat(created.replace("Z", "+00:00"))
                if created_at.tzinfo is None:
                    created_at = created_at.replace(tzinfo=SystemClock().now().tzinfo)
                visible.append((shown - created_at.timestamp()) * 1000)
                clicked = time.perf_counter()
                deputy.post(f"/api/approvals/{approval_id}/approve", {}, token=token)
                wait(lambda at=base: archived(at))
                approve.append((time.perf_counter() - clicked) * 1000)
                wait(
                    lambda tid=task_id: (
                        deputy.get(f"/api/tasks/{tid}", token=token).json()["status"]
                        in ("finished", "failed", "cancelled")
                    )
                )
            listener.stop.set()
            started: dict[tuple[str, Any], float] = {}
            for at, event in listener.events:
                data = event.get("data") or {}
                key = (data.get("task_id"), data.get("action"))
                if event["type"] == "step.started":
                    started[key] = at
                elif event["type"] == "step.finished" and key in started:
                    steps.append((at - started.pop(key)) * 1000)
    return visible, approve, steps


def archived(base: str) -> bool:
    return any(change["what"] == "archive" for change in httpx.get(f"{base}_test/changes").json()["changes"])


def measure_help(runs: int = 10) -> list[float]:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run([str(ROOT / ".venv/bin/deputy"), "--help"], capture_output=True, check=True)
        times.append((time.perf_counter() - began) * 1000)
    return times


def measure_idle_rss() -> float:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with tempfile.TemporaryDirectory() as data:
        server = subprocess.Popen(
            [str(ROOT / ".venv/bin/deputy"), "serve", "--port", str(port), "--data-dir", data],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "ANTHROPIC_API_KEY": "bench"},
        )
        try:
            wait(lambda: _answers(port), within=60, step=0.1)
            time.sleep(2)
            status = Path(f"/proc/{server.pid}/status").read_text()
            return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024  # type: ignore[union-attr]
        finally:
            server.terminate()
            server.wait(20)


def _answers(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/api/health").status_code == 200
    except httpx.HTTPError:
        return False


def line(name: str, values: list[float], target: float, unit: str = "ms", at: float = 0.95) -> None:
    if not values:
        print(f"{name}: no samples")
        return
    figure = percentile(values, at)
    label = f"p{round(at * 100)}"
    verdict = "met" if figure < target else "NOT met"
    spread = f"p50 {statistics.median(values):.0f}, p95 {percentile(values, 0.95):.0f}, max {max(values):.0f} {unit}"
    print(f"{name}: {spread}, {len(values)} samples (target {label} < {target:.0f} {unit}: {verdict})")


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    visible, approve, steps = measure_rounds(rounds)
    line("Proposal created → visible to the tray and extension", visible, TARGETS["visible"])
    line("Approve clicked → action executed in the page", approve, TARGETS["approve"])
    line("Backend overhead per step (model excluded)", steps, TARGETS["step"], at=0.5)
    line("`deputy --help`", measure_help(), TARGETS["help"])
    rss = measure_idle_rss()
    print(
        f"Idle server RSS without the browser: {rss:.0f} MB (target < {TARGETS['rss']:.0f} MB: "
        f"{'met' if rss < TARGETS['rss'] else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
