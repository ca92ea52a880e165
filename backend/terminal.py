"""`deputy run`: a task in the terminal, with live steps and costs, and approvals answered inline."""

import json
import queue
import threading
from contextlib import ExitStack
from typing import Any

from rich.console import Console, Group
from rich.live import Live
from rich.prompt import Prompt
from rich.table import Table
from rich.text import Text
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from backend.api_client import LocalClient

ENDED = ("finished", "failed", "cancelled")


class TaskView:
    """What the live view shows: the steps so far, the spend, the state."""

    def __init__(self, task_id: str, instruction: str) -> None:
        self.task_id = task_id
        self.instruction = instruction
        self.steps: list[tuple[str, str]] = []
        self.status = "starting"
        self.page = ""
        self.summary = ""
        self.cost = 0.0
        self.tokens = {"input": 0, "output": 0, "cache_read": 0, "cache_write": 0}

    def apply(self, event: dict[str, Any]) -> None:
        data = event.get("data", {})
        kind = event.get("type")
        if kind == "step.started" and data.get("action"):
            self.steps.append((data["action"], "…"))
        elif kind == "step.finished":
            mark = "ok" if data.get("ok") else "failed"
            self.page = data.get("url") or self.page
            done = (data.get("action", "?"), f"{mark}: {data.get('summary', '')}"[:100])
            if self.steps and self.steps[-1] == (done[0], "…"):
                self.steps[-1] = done
            else:
                self.steps.append(done)
        elif kind == "usage.recorded":
            self.cost = data.get("task_spend_usd") or self.cost
            self.tokens["input"] += data.get("input_tokens", 0)
            self.tokens["output"] += data.get("output_tokens", 0)
            self.tokens["cache_read"] += data.get("cache_read_input_tokens", 0)
            self.tokens["cache_write"] += data.get("cache_creation_input_tokens", 0)
        elif kind in ("task.updated", "task.finished"):
            self.status = data.get("status", self.status)
            self.summary = data.get("summary") or self.summary

    def render(self) -> Group:
        table = Table("#", "action", "result", box=None, pad_edge=False)
        for n, (action, result) in enumerate(self.steps[-12:], max(1, len(self.steps) - 11)):
            table.add_row(str(n), action, result)
        t = self.tokens
        meter = Text(
            f"${self.cost:.4f} · in {t['input']} · out {t['output']} · cache read {t['cache_read']} · "
            f"cache write {t['cache_write']}",
            style="cyan",
        )
        head = Text(f"{self.task_id} · {self.status} · {self.instruction[:80]}", style="bold")
        page = Text(f"page: {self.page}", style="dim") if self.page else Text("")
        return Group(head, page, table, meter, Text(self.summary[:200], style="dim"))


def _events(
    client: LocalClient, token: str, port: int, inbox: "queue.Queue[dict[str, Any]]", stop: threading.Event
) -> None:
    try:
        with connect(f"ws://127.0.0.1:{port}/api/events", open_timeout=5) as ws:
            ws.send(json.dumps({"type": "auth", "token": token}))
            while not stop.is_set():
                try:
                    inbox.put(json.loads(ws.recv(timeout=0.5)))
                except TimeoutError:
                    continue
    except (ConnectionClosed, OSError) as error:
        inbox.put({"type": "error", "data": {"detail": str(error)}})


def ask_approval(console: Console, client: LocalClient, approval: dict[str, Any]) -> None:
    console.print(
        f"\n[bold yellow]Approval needed[/] ({approval['risk']}): {approval['action']} {json.dumps(approval['params'])}"
    )
    if approval.get("target"):
        console.print(f"  target: {approval['target']}")
    if approval.get("model_reason"):
        console.print(f"  the agent says: {approval['model_reason']}")
    console.print(f"  policy: {approval['policy_reason']}")
    answer = Prompt.ask(r"Approve? \[y]es / \[n]o / \[e]dit", choices=["y", "n", "e"], default="n", console=console)
    if answer == "n":
        reason = Prompt.ask("Why (told to the agent; optional)", default="", console=console)
        client.request("POST", f"/api/approvals/{approval['id']}/reject", {"reason": reason or None})
        return
    edits: dict[str, Any] = {}
    if answer == "e":
        for name, value in approval["params"].items():
            if isinstance(value, str) and name not in ("ref",):
                edits[name] = Prompt.ask(f"  {name}", default=value, console=console)
        if approval["kind"] == "budget":
            edits["add_usd"] = float(
                Prompt.ask("  add_usd", default=str(approval["params"].get("add_usd")), console=console)
            )
    response = client.request("POST", f"/api/approvals/{approval['id']}/approve", {"edits": edits or None})
    if response.status_code != 200:
        console.print(f"[red]{response.json().get('detail')}[/]")


def run_in_terminal(console: Console, client: LocalClient, token: str, port: int, task: dict[str, Any]) -> str:
    """Follow a task to its end, answering its approvals; returns its final status."""
    view = TaskView(task["id"], task["instruction"])
    view.status = task["status"]
    inbox: queue.Queue[dict[str, Any]] = queue.Queue()
    stop = threading.Event()
    listener = threading.Thread(target=_events, args=(client, token, port, inbox, stop), daemon=True)
    listener.start()
    asked: set[str] = set()
    try:
        with ExitStack() as stack:
            live = stack.enter_context(Live(view.render(), console=console, refresh_per_second=8, transient=False))
            while view.status not in ENDED:
                try:
                    event = inbox.get(timeout=1.0)
                except queue.Empty:
                    state = client.request("GET", f"/api/tasks/{view.task_id}").json()
                    view.status, view.summary = state["status"], state.get("summary") or view.summary
                    event = {}
                if event.get("type") == "error":
                    raise ConnectionError(event["data"]["detail"])
                data = event.get("data", {})
                if data.get("task_id", data.get("id")) == view.task_id:
                    view.apply(event)
                pending = client.request("GET", f"/api/approvals?status=pending&task_id={view.task_id}").json()
                for approval in reversed(pending):
                    if approval["id"] not in asked:
                        asked.add(approval["id"])
                        live.stop()
                        ask_approval(console, client, approval)
                        live.start()
                live.update(view.render())
    finally:
        stop.set()
    final = client.request("GET", f"/api/tasks/{view.task_id}").json()
    console.print(f"\n[bold]{final['status']}[/]: {final.get('summary') or ''}")
    console.print(f"Spent ${final['spend_usd']:.4f} in {final['steps']} model calls.")
    return final["status"]
