"""Benchmark: tokens per step of a scripted multi-step task, and the share of input served from the cache.

Run with `.venv/bin/python scripts/bench/tokens.py`. It starts Deputy with its agent pointed at the scripted
Messages API server (tests/model_server: real wire format, a simulated prompt cache with the API's rules,
token counts estimated offline as UTF-8 bytes / 4), serves Demo Mail, and runs a twelve-step triage task
through the real loop (approvals answered by this script as a user would). It prints input, output,
cache-read and cache-write tokens per step, and the share of input tokens read from the cache from step 2
on (target: at least 80%). Figures only; nothing here asserts on time.
"""

import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from backend.ledger.money import dollars
from backend.servers import ThreadedServer
from tests.live import start_deputy
from tests.model_server import ModelRequest, ModelServer, Reply, text, tool_use

TARGET = 0.80


def ref(req: ModelRequest, role: str, name: str, nth: int = 0) -> str:
    import re

    pattern = re.compile(rf'\[(e\d+)\] {re.escape(role)} "{re.escape(name)}"')
    for message in reversed(req.messages):
        if message["role"] != "user" or isinstance(message["content"], str):
            continue
        found = [m.group(1) for b in message["content"] for m in pattern.finditer(b.get("text", ""))]
        if len(found) > nth:
            return found[nth]
    raise SystemExit(f"the model was never shown a {role} {name!r}")


def script(box: str) -> list:
    def tick(n: int):
        return lambda req: (
            text(f"Selecting newsletter {n}.") + tool_use("check", {"ref": ref(req, "checkbox", "Select", n)})
        )

    def archive(req: ModelRequest) -> Reply:
        return text("Archiving the selected newsletters.") + tool_use("click", {"ref": ref(req, "button", "Archive")})

    return [
        tool_use("extract_text", {"max_chars": 1500}),
        tick(0),
        tick(3),
        tool_use("scroll", {"direction": "down"}),
        tool_use("scroll", {"direction": "up"}),
        archive,
        tool_use("navigate", {"url": box + "#label/Newsletters"}),
        tool_use("extract_text", {"max_chars": 800}),
        tool_use("navigate", {"url": box + "#inbox"}),
        tool_use("scroll", {"direction": "down"}),
        tool_use("wait_for", {"text": "Inbox", "timeout_s": 1}),
        tool_use("finish_task", {"summary": "Archived two newsletters."}),
    ]


def main() -> None:
    from backend.demo.mail.app import create_app as mail_app

    with ThreadedServer(mail_app()) as mail, tempfile.TemporaryDirectory() as data:
        box = httpx.post(f"{mail.url}/_test/mailboxes").json()["url"]
        steps = script(box)
        with (
            ModelServer(steps) as model,
            start_deputy(
                Path(data), anthropic_api_key="bench", anthropic_base_url=model.base_url, model="claude-sonnet-4-6"
            ) as deputy,
        ):
            token = deputy.local_token
            task = deputy.post(
                "/api/tasks", {"instruction": "Archive the newsletters in my inbox.", "url": box}, token=token
            )
            task_id = task.json()["id"]
            while (state := deputy.get(f"/api/tasks/{task_id}", token=token).json())["status"] not in (
                "finished",
                "failed",
                "cancelled",
            ):
                for approval in deputy.get(f"/api/approvals?status=pending&task_id={task_id}", token=token).json():
                    deputy.post(f"/api/approvals/{approval['id']}/approve", {}, token=token)
                time.sleep(0.05)
            usages = [r.response["usage"] for r in model.message_requests]

    print("Token estimate: UTF-8 bytes / 4 by the scripted server (Claude's tokenizer is not public); the cache")
    print("follows the API's rules (breakpoints, 20-block lookback, 1024-token minimum for Sonnet).")
    spend = dollars(state["spend_micro_usd"])
    print(f"Task status: {state['status']} ({state['summary']}); {len(usages)} model calls, {spend}.")
    print()
    print(f"{'step':>4} {'input':>8} {'output':>7} {'cache read':>11} {'cache write':>12} {'from cache':>11}")
    for n, u in enumerate(usages, 1):
        total = u["input_tokens"] + u["cache_read_input_tokens"] + u["cache_creation_input_tokens"]
        share = u["cache_read_input_tokens"] / total if total else 0
        print(
            f"{n:>4} {u['input_tokens']:>8} {u['output_tokens']:>7} {u['cache_read_input_tokens']:>11} "
            f"{u['cache_creation_input_tokens']:>12} {share:>10.0%}"
        )
    later = usages[1:]
    read = sum(u["cache_read_input_tokens"] for u in later)
    total = sum(u["input_tokens"] + u["cache_read_input_tokens"] + u["cache_creation_input_tokens"] for u in later)
    share = read / total if total else 0.0
    print()
    print(
        f"Input tokens from the cache, steps 2-{len(usages)}: {read} of {total} = {share:.1%} (target {TARGET:.0%}: "
        f"{'met' if share >= TARGET else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
