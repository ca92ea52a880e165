"""Benchmark: triage of the seeded Demo Mail inbox: rules against the reader, calls, tokens, dollars, approvals.

Run with `.venv/bin/python scripts/bench/triage.py`. It serves Demo Mail, starts Deputy with the starter
rules `scripts/run` adds and its reader pointed at the scripted Messages API server (tests/model_server:
the real wire format, token counts estimated offline as UTF-8 bytes / 4), and triages the inbox. The
scripted reader answers as a small model would: one compact JSON item per message, with a category, an
action, a short summary and, for mail that gives orders, why it is suspicious. Every batch is approved as
a user would, so acting is measured too. Prices come from Deputy's price table (the small model's list
price). It prints figures and the issue's targets beside them; nothing here asserts on time.
"""

import json
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from sqlmodel import Session, select

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from backend.cli.starter import STARTER_RULES
from backend.models import ModelCall
from backend.servers import ThreadedServer
from tests.live import Deputy, start_deputy
from tests.model_server import ModelRequest, ModelServer, text

TARGET_CALLS_PER_50 = 2
TARGET_USD_PER_MESSAGE = 0.0005
TARGET_APPROVALS_PER_100 = 10
SUSPICIOUS = re.compile(r"urgent|verify|system|policy|reset|ignore|assistant|password", re.IGNORECASE)
BULK = re.compile(r"newsletter|weekly|daily|digest|deals|brief|eats|unsubscribe|receiving this", re.IGNORECASE)
RECEIPT = re.compile(r"receipt|order|trip|total", re.IGNORECASE)


def reader(request: ModelRequest) -> Any:
    """What a small model says of a page of mail: a short verdict per message, in the schema it was given."""
    items = []
    for line in request.last_text.splitlines():
        if not line.startswith("{"):
            continue
        message = json.loads(line)
        said = f"{message['from']} {message['subject']} {message['preview']}"
        if SUSPICIOUS.search(said):
            verdict = {"c": "security", "a": "none", "s": "Urgent request for action", "x": "asks for codes or orders"}
        elif BULK.search(said):
            verdict = {"c": "newsletters", "a": "archive", "s": "Bulk newsletter, nothing to do", "x": ""}
        elif RECEIPT.search(said):
            verdict = {"c": "receipts", "a": "archive", "s": "A receipt for a purchase", "x": ""}
        else:
            verdict = {"c": "personal", "a": "star", "s": "A person writing to the owner", "x": ""}
        items.append({"i": message["i"], **verdict})
    return text(json.dumps({"m": items}))


def pending(deputy: Deputy, task_id: str) -> list[dict[str, Any]]:
    found = deputy.get(f"/api/approvals?status=pending&task_id={task_id}", token=deputy.local_token).json()
    return [a for a in found if a["kind"] == "batch"]


def main() -> None:
    from backend.demo.mail.app import create_app

    with ThreadedServer(create_app()) as mail, ModelServer([]) as model, tempfile.TemporaryDirectory() as data:
        box = httpx.post(f"{mail.url}/_test/mailboxes").raise_for_status().json()["url"]
        model.set_script(reader)
        with start_deputy(Path(data), anthropic_api_key="bench-key", anthropic_base_url=model.base_url) as deputy:
            for rule in STARTER_RULES:
                deputy.post("/api/rules", {"kind": "mail", "value": rule}, token=deputy.local_token)
            started = time.perf_counter()
            task_id = deputy.post(
                "/api/tasks", {"instruction": "Triage my inbox", "url": box}, token=deputy.local_token
            ).json()["id"]

            def report() -> Any:
                audit = deputy.get(f"/api/audit?task_id={task_id}", token=deputy.local_token).json()
                return next((r for r in audit if r["kind"] == "triage"), None)

            sorted_ = deputy.wait(report, 300, "the triage report")
            time.sleep(1.0)  # the batches are proposed right after the report
            batches = pending(deputy, task_id)
            sorted_at = time.perf_counter()
            items = sum(len(b["params"]["items"]) for b in batches)
            for batch in batches:
                deputy.post(f"/api/approvals/{batch['id']}/approve", {}, token=deputy.local_token)
            task = deputy.wait(
                lambda: (
                    (t := deputy.get(f"/api/tasks/{task_id}", token=deputy.local_token).json())["status"]
                    in ("finished", "failed", "cancelled")
                    and t
                ),
                600,
                "triage to end",
            )
            ended = time.perf_counter()
            with Session(deputy.ctx.engine) as session:
                calls = session.exec(select(ModelCall).where(ModelCall.task_id == task_id)).all()

        detail = sorted_["detail"]
        by_rules, by_reader = int(detail["by_rules"]), int(detail["by_reader"])
        total = by_rules + by_reader + len(detail["waiting"])
        sent = [
            json.loads(line)
            for r in model.requests
            if r.path == "/v1/messages"
            for line in r.body["messages"][0]["content"][0]["text"].splitlines()
            if line[:1] == "{"
        ]
        rule_senders = [str(rule["match"]["sender"]) for rule in STARTER_RULES]
        leaked = [m for m in sent if any(m["from"].startswith(s) for s in rule_senders)]
        tokens_in = sum(c.input_tokens + c.cache_creation_input_tokens + c.cache_read_input_tokens for c in calls)
        tokens_out = sum(c.output_tokens for c in calls)
        micro = sum(c.cost_micro_usd or 0 for c in calls)
        latency_s = sum(c.latency_ms for c in calls) / 1000
        read_s = sorted_at - started - latency_s
        act_s = ended - sorted_at

    print(f"Demo Mail inbox: {total} messages read; task {task['status']}: {task['summary']}")
    print(f"  handled by rules:      {by_rules} ({by_rules / total:.0%}), 0 model calls, $0")
    print(f"  handled by the reader: {by_reader} ({by_reader / total:.0%}) in {len(calls)} call(s)")
    print(f"  rule-covered messages sent to the model: {len(leaked)} (so $0 for rule-covered mail)")
    per_50 = len(calls) / max(by_reader, 1) * 50
    print(f"  model calls per 50 messages the reader sorts: {per_50:.2f} (target <= {TARGET_CALLS_PER_50})")
    print(
        f"  tokens per message the reader sorts: {tokens_in / max(by_reader, 1):.0f} in, "
        f"{tokens_out / max(by_reader, 1):.0f} out"
    )
    print(f"  tokens per message triaged (all):     {(tokens_in + tokens_out) / total:.0f}")
    usd_reader = micro / 1e6 / max(by_reader, 1)
    print(f"  $ per message the reader sorts: {usd_reader:.6f} (target <= {TARGET_USD_PER_MESSAGE})")
    print(f"  $ per message triaged (all):    {micro / 1e6 / total:.6f}; $ for the whole inbox: {micro / 1e6:.6f}")
    print(
        f"  batch approvals: {len(batches)} for {items} proposed changes; "
        f"{len(batches) / total * 100:.1f} per 100 messages (target <= {TARGET_APPROVALS_PER_100})"
    )
    print(
        f"  wall time reading and sorting, model latency ({latency_s:.2f} s) excluded: "
        f"{read_s:.2f} s, {read_s / total * 100:.2f} s per 100 messages"
    )
    print(f"  wall time acting on the approved items: {act_s:.2f} s, {act_s / max(items, 1) * 100:.1f} s per 100 items")


if __name__ == "__main__":
    main()
