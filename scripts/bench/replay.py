"""Benchmark: work done once by the model, then again at zero tokens. Prints figures; asserts nothing.

Run with `.venv/bin/python scripts/bench/replay.py [ROUNDS]`. It starts Deputy (real clock) with its model
pointed at the scripted Messages API server (tests/model_server, which answers at once) and runs three kinds
of repeat work twice, first with the scripted model and then without it:

- Demo Deploy: "Check the status of checkout-api" (open the service, read it, finish) becomes a recipe; then
  ROUNDS replays for other services (default 5), and one replay whose recorded target no longer matches the
  page, which heals with one model call.
- Demo Air: a check-in through `/api/checkins` by the scripted pilot, which reads only the page, becomes the
  site's check-in recipe; the same booking (the site reset) is checked in again from the recipe; then the
  final button is renamed and the next check-in heals that step. Every approval is given as soon as it shows.
- Demo Mail: a triage pass whose reader is the scripted small model, then the same inbox triaged again,
  which reads no message twice. Both passes turn their batches down, so each does the same work.

For each run it prints model calls, tokens and Deputy's own time: wall time from the task's creation to its
end (triage: to its batches), less the model's latency as the ledger recorded it (a real model's seconds are
not Deputy's work), and the speed-up of the second run over the first. That time is then split in two: the
actions themselves, each with the wait for the page to settle that follows it (work both runs must do, and
the write gate's window for the requests an action starts), and the rest, Deputy's own time between actions
(looking at the page, asking the model or matching the recipe, deciding, recording). A warm-up task first
pays for starting the agent's browser.
"""

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from sqlmodel import Session, col, select

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from triage import reader as mail_reader  # noqa: E402

from backend.clock import SystemClock  # noqa: E402
from backend.models import AuditRecord, ModelCall, Recipe, RecipeVersion  # noqa: E402
from backend.servers import ThreadedServer  # noqa: E402
from backend.traveller.profile import Person, Profile  # noqa: E402
from backend.traveller.vault import Vault  # noqa: E402
from tests.integration.agent.conftest import find_ref  # noqa: E402
from tests.integration.checkin.pilot import Pilot  # noqa: E402
from tests.live import Deputy, start_deputy  # noqa: E402
from tests.model_server import ModelServer, tool_use  # noqa: E402

SERVICES = ["web-frontend", "search", "payments-worker", "notifications", "auth"]
ENDED = ("finished", "failed", "cancelled")
TRAVELLER = Person(first_name="Alex", last_name="Rivera", date_of_birth=date(1990, 1, 2), nationality="PT",
                   passport_number="PX7731904", passport_country="PT", passport_expiry=date(2032, 8, 1),
                   seat_preference="window")  # fmt: skip
BOOKING, LAST_NAME = "DQ7K2M", "Rivera"


def figures(deputy: Deputy, task_id: str, wall: float, status: str) -> dict[str, Any]:
    with Session(deputy.ctx.engine) as session:
        calls = list(session.exec(select(ModelCall).where(ModelCall.task_id == task_id)))
    tokens = sum(
        c.input_tokens + c.output_tokens + c.cache_read_input_tokens + c.cache_creation_input_tokens for c in calls
    )
    model_s = sum(c.latency_ms for c in calls) / 1000
    work_s = wall - model_s
    acting_s = acting(deputy, task_id)
    return {"status": status, "calls": len(calls), "tokens": tokens, "work_s": work_s, "acting_s": acting_s,
            "between_s": work_s - acting_s}  # fmt: skip


def acting(deputy: Deputy, task_id: str) -> float:
    """Seconds the task spent in its actions, each from its last decision to its execution: the action on the
    page and the wait for the page to settle, which a replay does just as the model's run did."""
    with Session(deputy.ctx.engine) as session:
        query = select(AuditRecord).where(AuditRecord.task_id == task_id).order_by(col(AuditRecord.id))
        records = list(session.exec(query))
    total, decided = 0.0, None
    for record in records:
        if record.kind == "decided":
            decided = record.at
        elif record.kind == "executed" and decided is not None:
            total += (record.at - decided).total_seconds()
            decided = None
    return total


def until_ended(deputy: Deputy, task_id: str, answer: bool = False) -> str:
    """Wait for the task to end, approving whatever it asks when `answer`; returns how it ended."""
    token = deputy.local_token
    while True:
        if answer:
            for pending in deputy.get(f"/api/approvals?status=pending&task_id={task_id}", token=token).json():
                deputy.post(f"/api/approvals/{pending['id']}/approve", {}, token=token)
        task = deputy.get(f"/api/tasks/{task_id}", token=token).json()
        if task["status"] in ENDED:
            if task["status"] != "finished":
                print(f"  task {task_id} ended {task['status']}: {task['summary']}")
            return str(task["status"])
        time.sleep(0.02)


def timed(deputy: Deputy, start: Callable[[], str], answer: bool = False) -> dict[str, Any]:
    began = time.perf_counter()
    task_id = start()
    status = until_ended(deputy, task_id, answer)
    if "--trace" in sys.argv:
        trace(deputy, task_id)
    return figures(deputy, task_id, time.perf_counter() - began, status)


def trace(deputy: Deputy, task_id: str) -> None:
    """Each audit record of the task, with the seconds since the task's first."""
    with Session(deputy.ctx.engine) as session:
        records = list(session.exec(select(AuditRecord).where(AuditRecord.task_id == task_id)))
    for record in records:
        print(f"    {(record.at - records[0].at).total_seconds():7.3f} {record.kind} {record.action or ''}")


def task(deputy: Deputy, instruction: str, url: str) -> Callable[[], str]:
    def start() -> str:
        reply = deputy.post("/api/tasks", {"instruction": instruction, "url": url}, token=deputy.local_token)
        reply.raise_for_status()
        return str(reply.json()["id"])

    return start


def show(title: str, first: dict[str, Any], again: list[dict[str, Any]], healed: dict[str, Any] | None) -> None:
    work = [r["work_s"] for r in again]
    print(title)
    said = f"{first['calls']} calls, {first['tokens']} tokens, {first['work_s']:.2f} s ({first['status']})"
    print(f"  by the model:  {said}")
    ok = sum(r["status"] == "finished" for r in again)
    print(
        f"  again x{len(again)}:      {sum(r['calls'] for r in again)} calls, "
        f"{sum(r['tokens'] for r in again)} tokens, "
        f"median {statistics.median(work):.2f} s (min {min(work):.2f}, max {max(work):.2f}); {ok}/{len(again)} finished"
    )
    print(f"  speed-up:      {first['work_s'] / statistics.median(work):.1f}x (model latency excluded)")
    acted = statistics.median(r["acting_s"] for r in again)
    between = statistics.median(r["between_s"] for r in again)
    print(
        f"  of which:      acting and settling {first['acting_s']:.2f} s, then {acted:.2f} s; "
        f"Deputy's own time between actions {first['between_s']:.2f} s, then {between:.2f} s "
        f"({first['between_s'] / between:.1f}x)"
    )
    if healed is not None:
        print(
            f"  one step healed: {healed['calls']} call(s), {healed['tokens']} tokens, {healed['work_s']:.2f} s "
            f"({healed['status']})"
        )


def deploy(deputy: Deputy, model: ModelServer, rounds: int) -> None:
    from backend.demo.deploy.app import create_app

    with ThreadedServer(create_app()) as site:
        home = site.url + "/"
        model.set_script([tool_use("finish_task", {"summary": "Warmed up."})])
        timed(deputy, task(deputy, "Warm up the browser", home))
        model.set_script(
            [
                lambda req: tool_use("click", {"ref": find_ref(req, "link", "checkout-api")}),
                tool_use("extract_text", {"max_chars": 1500}),
                tool_use("finish_task", {"summary": "Read it."}),
            ]
        )
        first = timed(deputy, task(deputy, "Check the status of checkout-api", home))
        again = [
            timed(deputy, task(deputy, f"Check the status of {SERVICES[i % len(SERVICES)]}", home))
            for i in range(rounds)
        ]
        # A recorded target that no longer matches the page: the link's name as it was before a rename.
        with Session(deputy.ctx.engine) as session:
            recipe = session.exec(select(Recipe).where(Recipe.site == site.url.split("//")[1])).one()
            query = select(RecipeVersion).where(
                RecipeVersion.recipe_id == recipe.id, RecipeVersion.version == recipe.version
            )
            steps = [dict(s) for s in session.exec(query).one().steps]
        steps[0] = {**steps[0], "target": {**steps[0]["target"], "name": "{{name}} service"}}
        deputy.ctx.library.healed(recipe.id, steps, 0)
        model.set_script([lambda req: tool_use("pick_target", {"ref": find_ref(req, "link", "search")})])
        healed = timed(deputy, task(deputy, "Check the status of search", home))
    show("Demo Deploy status check (3 steps)", first, again, healed)


def checkin(deputy: Deputy, model: ModelServer, rounds: int) -> None:
    from backend.demo.air.app import create_app

    Vault(deputy.settings.data_dir).save(Profile(traveller=TRAVELLER))
    with ThreadedServer(create_app()) as site:

        def start(final_label: str = "") -> str:
            httpx.post(f"{site.url}/_test/reset").raise_for_status()
            if final_label:
                httpx.post(f"{site.url}/_test/final-label", json={"label": final_label}).raise_for_status()
            body = {"url": f"{site.url}/", "booking_code": BOOKING, "last_name": LAST_NAME}
            reply = deputy.post("/api/checkins", body, token=deputy.local_token)
            reply.raise_for_status()
            return str(reply.json()["task_id"])

        model.set_script(Pilot(BOOKING, passengers=1, last_name=LAST_NAME))
        first = timed(deputy, start, answer=True)
        again = [timed(deputy, start, answer=True) for _ in range(rounds)]
        model.set_script([lambda req: tool_use("pick_target", {"ref": find_ref(req, "button", "Complete check-in")})])
        healed = timed(deputy, lambda: start("Complete check-in"), answer=True)
    show("Demo Air check-in", first, again, healed)


def triage(deputy: Deputy, model: ModelServer, rounds: int) -> None:
    from backend.demo.mail.app import create_app

    with ThreadedServer(create_app()) as site:
        box = httpx.post(f"{site.url}/_test/mailboxes").raise_for_status().json()["url"]
        model.set_script(mail_reader)
        token = deputy.local_token

        def sorted_once() -> dict[str, Any]:
            began = time.perf_counter()
            task_id = task(deputy, "Triage my inbox", box)()

            def proposed() -> Any:
                audit = deputy.get(f"/api/audit?task_id={task_id}", token=token).json()
                state = deputy.get(f"/api/tasks/{task_id}", token=token).json()
                return any(r["kind"] == "triage" for r in audit) and state["status"] in ("waiting", *ENDED)

            deputy.wait(proposed, 300, "the triage's batches")
            wall = time.perf_counter() - began
            for batch in deputy.get(f"/api/approvals?status=pending&task_id={task_id}", token=token).json():
                deputy.post(f"/api/approvals/{batch['id']}/reject", {}, token=token)
            return figures(deputy, task_id, wall, until_ended(deputy, task_id))

        first = sorted_once()
        again = [sorted_once() for _ in range(rounds)]
    show("Demo Mail triage pass (to its batches)", first, again, None)


def main() -> None:
    numbers = [a for a in sys.argv[1:] if a.isdigit()]
    rounds = int(numbers[0]) if numbers else 5
    with (
        tempfile.TemporaryDirectory() as folder,
        ModelServer([]) as model,
        start_deputy(
            Path(folder), SystemClock(), anthropic_api_key="bench", anthropic_base_url=model.base_url
        ) as deputy,
    ):
        deploy(deputy, model, rounds)
        checkin(deputy, model, rounds)
        triage(deputy, model, rounds)
        print(f"model server requests in all: {len(model.message_requests)}")


if __name__ == "__main__":
    main()
