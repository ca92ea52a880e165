"""`deputy run`: a task in the terminal, with live steps and costs, and approvals answered inline.

An approval answered elsewhere (the extension, the approvals page, another terminal) ends the prompt at
once and says who answered: the event socket's `approval.decided` is watched while the prompt waits.
"""

import json
import os
import queue
import select
import sys
import threading
from contextlib import ExitStack
from typing import Any

from rich.console import Console, Group
from rich.live import Live
from rich.table import Table
from rich.text import Text
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from backend.api_client import LocalClient
from backend.cli.phrasing import approval_sentence, decided_by, humanize, relative, short_id, without_refs

ENDED = ("finished", "failed", "cancelled", "interrupted")


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
            self.steps.append((humanize(data["action"]), "…"))
        elif kind == "step.finished":
            mark = "done" if data.get("ok") else "failed"
            self.page = data.get("url") or self.page
            action = humanize(data.get("action", "step"))
            done = (action, f"{mark}: {without_refs(data.get('summary', ''))}"[:100])
            if self.steps and self.steps[-1] == (action, "…"):
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
        table = Table("#", "step", "result", box=None, pad_edge=False)
        for n, (action, result) in enumerate(self.steps[-12:], max(1, len(self.steps) - 11)):
            table.add_row(str(n), action, result)
        t = self.tokens
        meter = Text(
            f"${self.cost:.4f} · in {t['input']} · out {t['output']} · cache read {t['cache_read']} · "
            f"cache write {t['cache_write']}",
            style="cyan",
        )
        head = Text(f"{short_id(self.task_id)} · {self.status} · {self.instruction[:80]}", style="bold")
        page = Text(f"page: {self.page}", style="dim") if self.page else Text("")
        return Group(head, page, table, meter, Text(self.summary[:200], style="dim"))


class Decisions:
    """Approvals answered anywhere, as the event socket reports them: id → who answered and how."""

    def __init__(self) -> None:
        self._seen: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def record(self, data: dict[str, Any]) -> None:
        with self._lock:
            self._seen[str(data.get("id"))] = data

    def of(self, approval_id: str) -> dict[str, Any] | None:
        with self._lock:
            return self._seen.get(approval_id)


def _events(
    client: LocalClient, inbox: "queue.Queue[dict[str, Any]]", decisions: Decisions, stop: threading.Event
) -> None:
    try:
        with connect(f"ws://127.0.0.1:{client.port}/api/events", open_timeout=5) as ws:
            ws.send(json.dumps({"type": "auth", "token": client.token()}))
            while not stop.is_set():
                try:
                    event = json.loads(ws.recv(timeout=0.5))
                except TimeoutError:
                    continue
                if event.get("type") == "approval.decided":
                    decisions.record(event.get("data") or {})
                inbox.put(event)
    except (ConnectionClosed, OSError) as error:
        inbox.put({"type": "error", "data": {"detail": str(error)}})


class AnsweredElsewhere(Exception):
    def __init__(self, decision: dict[str, Any]) -> None:
        super().__init__(decision.get("status"))
        self.decision = decision


def read_line(console: Console, prompt: str, approval_id: str, decisions: Decisions) -> str:
    """One line from the person, given up as soon as the approval is answered somewhere else."""
    console.print(prompt, end="")
    if os.name == "nt":  # no select() on consoles there: a plain read
        return sys.stdin.readline().strip()
    while True:
        decision = decisions.of(approval_id)
        if decision is not None:
            console.print()
            raise AnsweredElsewhere(decision)
        ready, _, _ = select.select([sys.stdin], [], [], 0.1)
        if ready:
            line = sys.stdin.readline()
            if not line:  # end of input: nobody is there to answer
                raise EOFError
            return line.strip()


def editable_fields(approval: dict[str, Any], actions: list[dict[str, Any]]) -> list[tuple[str, str, Any]]:
    """(name, label, current value) of what the person may change: only what the server accepts as edits."""
    params = approval.get("params") or {}
    kind = approval.get("kind")
    if kind == "budget":
        return [("add_usd", "Add how many dollars", params.get("add_usd"))]
    if kind != "action":
        return []
    spec = next((a for a in actions if a.get("name") == approval.get("action")), None)
    properties = (spec or {}).get("parameters", {}).get("properties", {})
    fields = []
    for name, schema in properties.items():
        plain_text = schema.get("type") == "string" and not {"pattern", "enum", "format"} & set(schema)
        if plain_text and isinstance(params.get(name), str):
            label = str(schema.get("description") or humanize(name)).rstrip(".")
            fields.append((name, label, params[name]))
    return fields


def ask_approval(
    console: Console, client: LocalClient, approval: dict[str, Any], actions: list[dict[str, Any]], decisions: Decisions
) -> None:
    approval_id = approval["id"]
    console.print(f"\n[bold yellow]Approval needed[/] ({approval['risk']}, {short_id(approval_id)}):")
    console.print(f"  {approval_sentence(approval)}")
    for line in approval.get("objects") or []:
        console.print(f"    - {line}")
    if approval.get("model_reason"):
        console.print(f"  the agent says: {approval['model_reason']}")
    console.print(f"  policy: {approval['policy_reason']}  (expires {relative(approval.get('expires_at'))})")
    try:
        body = _answer(console, approval, actions, decisions)
    except AnsweredElsewhere as elsewhere:
        status = elsewhere.decision.get("status", "answered")
        console.print(f"[bold]{humanize(str(status))} by {decided_by(elsewhere.decision.get('by'))}[/] elsewhere.")
        return
    verb = "reject" if "reason" in body else "approve"
    reply = client.request("POST", f"/api/approvals/{approval_id}/{verb}", body)
    if reply.status_code != 200:
        console.print(f"[red]{reply.detail()}[/]")


def _answer(
    console: Console, approval: dict[str, Any], actions: list[dict[str, Any]], decisions: Decisions
) -> dict[str, Any]:
    """What to post: `{"reason": ...}` to reject, `{"edits": ...}` to approve."""
    approval_id = approval["id"]
    if approval.get("kind") == "question":
        answer = read_line(console, "Your answer (empty to decline): ", approval_id, decisions)
        return {"edits": {"answer": answer}} if answer else {"reason": "The user declined to answer."}
    fields = editable_fields(approval, actions)
    choices = "y/n/e" if fields else "y/n"
    hint = r"\[y]es / \[n]o / \[e]dit" if fields else r"\[y]es / \[n]o"
    while True:
        choice = read_line(console, f"Approve? {hint} ({choices}, default n): ", approval_id, decisions).lower()
        choice = choice or "n"
        if choice in choices.split("/"):
            break
        console.print(f"Please type one of {choices}.")
    if choice == "n":
        reason = read_line(console, "Why not (told to the agent; optional): ", approval_id, decisions)
        return {"reason": reason or None}
    if choice == "y":
        return {"edits": None}
    edits: dict[str, Any] = {}
    for name, label, current in fields:
        typed = read_line(console, f"  {label} [{current}]: ", approval_id, decisions)
        if not typed:
            continue
        if name == "add_usd":
            try:
                edits[name] = float(typed.removeprefix("$"))
            except ValueError:
                console.print(f"  {typed!r} is not an amount; keeping {current}.")
                continue
        else:
            edits[name] = typed
    # Edits are shown back and confirmed: editing never approves by itself.
    for name, value in edits.items():
        console.print(f"  {name}: {value}")
    confirm = read_line(console, "Approve with these changes? (y/n, default n): ", approval_id, decisions)
    if confirm.lower() != "y":
        reason = read_line(console, "Why not (told to the agent; optional): ", approval_id, decisions)
        return {"reason": reason or None}
    return {"edits": edits or None}


def run_in_terminal(console: Console, client: LocalClient, task: dict[str, Any]) -> str:
    """Follow a task to its end, answering its approvals; returns its final status."""
    view = TaskView(task["id"], task["instruction"])
    view.status = task["status"]
    inbox: queue.Queue[dict[str, Any]] = queue.Queue()
    decisions = Decisions()
    stop = threading.Event()
    listener = threading.Thread(target=_events, args=(client, inbox, decisions, stop), daemon=True)
    listener.start()
    actions_reply = client.request("GET", "/api/actions")
    actions = actions_reply.json() if actions_reply.status_code == 200 else []
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
                        ask_approval(console, client, approval, actions, decisions)
                        live.start()
                live.update(view.render())
    finally:
        stop.set()
    final = client.request("GET", f"/api/tasks/{view.task_id}").json()
    console.print(f"\n[bold]{final['status']}[/]: {final.get('summary') or ''}")
    for line in final.get("done") or []:
        console.print(f"  done: {line}")
    if final.get("claim"):
        console.print(f"  the agent's own account: {final['claim']}")
    steps = final.get("steps", 0)
    console.print(f"Spent ${final.get('cost_usd', final.get('spend_usd', 0.0)):.4f} over {steps} steps.")
    return str(final["status"])
