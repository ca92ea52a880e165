"""Benchmark: a task done by the model, then replayed from the recipe it became. Prints figures; asserts nothing.

Run with `.venv/bin/python scripts/bench/replay.py [ROUNDS]`. It starts Deputy (real clock) with its agent
pointed at the scripted Messages API server (tests/model_server, which answers at once), serves Demo Deploy,
and runs "Check the status of checkout-api" once with the scripted model (open the service, read it,
finish). That run becomes a recipe. Then ROUNDS replays (default 5) for other services, and one replay
whose recorded target no longer matches the page, which heals with one model call.

For each kind of run it prints model calls, tokens and wall time, from the task's creation to its end, less
the model's own latency as the ledger recorded it (a real model's seconds are not Deputy's work), and the
speed-up of a replay over the model run. The first run also pays for starting the agent's browser, so a
warm-up task runs first.
"""

import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from backend.clock import SystemClock  # noqa: E402
from backend.models import ModelCall, Recipe, RecipeVersion  # noqa: E402
from backend.servers import ThreadedServer  # noqa: E402
from tests.integration.agent.conftest import find_ref  # noqa: E402
from tests.live import Deputy, start_deputy  # noqa: E402
from tests.model_server import ModelServer, tool_use  # noqa: E402

SERVICES = ["web-frontend", "search", "payments-worker", "notifications", "auth"]


def start(deputy: Deputy, instruction: str, url: str) -> str:
    reply = deputy.post("/api/tasks", {"instruction": instruction, "url": url}, token=deputy.local_token)
    reply.raise_for_status()
    return str(reply.json()["id"])


def finish(deputy: Deputy, task_id: str) -> dict[str, Any]:
    def ended() -> Any:
        task = deputy.get(f"/api/tasks/{task_id}", token=deputy.local_token).json()
        return task if task["status"] in ("finished", "failed", "cancelled") else None

    return dict(deputy.wait(ended, 120, f"task {task_id}"))


def run(deputy: Deputy, instruction: str, url: str) -> dict[str, Any]:
    began = time.perf_counter()
    task_id = start(deputy, instruction, url)
    task = finish(deputy, task_id)
    wall = time.perf_counter() - began
    with Session(deputy.ctx.engine) as session:
        calls = list(session.exec(select(ModelCall).where(ModelCall.task_id == task_id)))
    model_s = sum(c.latency_ms for c in calls) / 1000
    tokens = sum(
        c.input_tokens + c.output_tokens + c.cache_read_input_tokens + c.cache_creation_input_tokens for c in calls
    )
    if task["status"] != "finished":
        print(f"  {instruction!r} ended {task['status']}: {task['summary']}")
    return {"status": task["status"], "calls": len(calls), "tokens": tokens, "work_s": wall - model_s}


def open_service(name: str) -> Any:
    return lambda req: tool_use("click", {"ref": find_ref(req, "link", name)})


def learned_once(model: ModelServer) -> None:
    model.set_script(
        [
            open_service("checkout-api"),
            tool_use("extract_text", {"max_chars": 1500}),
            tool_use("finish_task", {"summary": "Read it."}),
        ]
    )


def main() -> None:
    numbers = [a for a in sys.argv[1:] if a.isdigit()]
    rounds = int(numbers[0]) if numbers else 5
    from backend.demo.deploy.app import create_app

    with (
        tempfile.TemporaryDirectory() as folder,
        ModelServer([]) as model,
        ThreadedServer(create_app()) as site,
        start_deputy(
            Path(folder), SystemClock(), anthropic_api_key="bench", anthropic_base_url=model.base_url
        ) as deputy,
    ):
        home = site.url + "/"
        model.set_script([tool_use("finish_task", {"summary": "Warmed up."})])
        run(deputy, "Warm up the browser", home)

        learned_once(model)
        by_model = run(deputy, "Check the status of checkout-api", home)
        replays = [run(deputy, f"Check the status of {SERVICES[i % len(SERVICES)]}", home) for i in range(rounds)]

        # A recorded target that no longer matches the page: the link's name as it was before a rename.
        with Session(deputy.ctx.engine) as session:
            recipe = session.exec(select(Recipe).where(Recipe.origin == "recorded")).one()
            steps = (
                session.exec(
                    select(RecipeVersion).where(
                        RecipeVersion.recipe_id == recipe.id, RecipeVersion.version == recipe.version
                    )
                )
                .one()
                .steps
            )
        renamed = [dict(s) for s in steps]
        renamed[0] = {**renamed[0], "target": {**renamed[0]["target"], "name": "{{name}} service"}}
        deputy.ctx.library.healed(recipe.id, renamed, 0)
        model.set_script([lambda req: tool_use("pick_target", {"ref": find_ref(req, "link", "search")})])
        healed = run(deputy, "Check the status of search", home)

        if "--trace" in sys.argv:
            from backend.models import AuditRecord

            with Session(deputy.ctx.engine) as session:
                for task_id in sorted({r.task_id for r in session.exec(select(AuditRecord))})[-2:]:
                    records = list(session.exec(select(AuditRecord).where(AuditRecord.task_id == task_id)))
                    for r in records:
                        print(f"  {task_id} {(r.at - records[0].at).total_seconds():7.3f} {r.kind} {r.action}")
        print(f"model run:   {by_model['calls']} calls, {by_model['tokens']} tokens, {by_model['work_s']:.3f} s")
        work = [r["work_s"] for r in replays]
        calls = sum(r["calls"] for r in replays)
        tokens = sum(r["tokens"] for r in replays)
        ok = sum(r["status"] == "finished" for r in replays)
        print(
            f"replay x{rounds}:  {calls} calls, {tokens} tokens, median {statistics.median(work):.3f} s "
            f"(min {min(work):.3f}, max {max(work):.3f}); {ok}/{rounds} finished"
        )
        print(f"speed-up:    {by_model['work_s'] / statistics.median(work):.1f}x (model latency excluded)")
        print(
            f"healed run:  {healed['calls']} calls, {healed['tokens']} tokens, {healed['work_s']:.3f} s "
            f"({healed['status']})"
        )
        print(f"model server requests in all: {len(model.message_requests)}")


if __name__ == "__main__":
    main()
