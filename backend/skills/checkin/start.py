"""Starting a check-in task (from the API, or later from a schedule) and keeping its boarding passes.

`start_checkin` is the one entry point: it lends the traveller profile to the task's tab, replays the airline
site's check-in recipe or else starts the agent on the airline's page, with the check-in's grants, and once the
task ends copies the boarding passes it downloaded to `boarding-passes/TASK` in the data folder and announces
them (`checkin.boarding_pass`).
"""

import asyncio
import logging
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from backend.models import AuditRecord, Task
from backend.skills.checkin.instruction import TEMPLATE, CheckinRequest, instruction, recipe_values, short_instruction
from backend.tasks import new_task
from backend.traveller.placeholders import Personal
from backend.traveller.vault import Vault

if TYPE_CHECKING:
    from backend.agent.runner import Jobs
    from backend.api.deps import AppContext

log = logging.getLogger(__name__)

PASS_SUFFIXES = (".pdf", ".png", ".jpg", ".jpeg", ".pkpass")
# The form steps of a check-in (find the booking, save details, choose a seat, dismiss a cookie wall) are
# writes the person asked for by starting it; paying, declaring and the final check-in still ask.
GRANTS = [{"action": "click", "kind": "*"}, {"action": "press_key", "kind": "*"}]


class CheckinUnavailable(Exception):
    """A check-in cannot start; the message says what to do."""


def passes_dir(data_dir: Path, task_id: str) -> Path:
    return data_dir / "boarding-passes" / task_id


def boarding_passes(data_dir: Path, task_id: str) -> list[str]:
    folder = passes_dir(data_dir, task_id)
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def start_checkin(ctx: "AppContext", request: CheckinRequest, budget_micro_usd: int | None = None) -> str:
    """Start checking in `request`'s booking; returns the task's id. Callable from any thread.

    A check-in this airline's site has a recipe for replays it (no model call, and no model key needed);
    otherwise the agent does it, and the task carries its template so that it becomes that recipe."""
    if ctx.browser is None or ctx.loop is None:
        raise CheckinUnavailable(ctx.agent_unavailable or "Deputy cannot run tasks right now.")
    profile = Vault(ctx.settings.data_dir).load()
    travellers = Personal.of(profile)
    if not travellers.people:
        raise CheckinUnavailable("There is no traveller profile yet: add yourself with `deputy profile set`.")
    values = recipe_values(request)
    recipe = None
    if ctx.library is not None and ctx.recipes is not None:
        recipe = ctx.library.for_template(request.url, TEMPLATE, values)
    runner: Jobs | None = ctx.recipes if recipe is not None else ctx.runner
    if runner is None:
        raise CheckinUnavailable(ctx.agent_unavailable or "Deputy cannot run tasks right now.")
    with Session(ctx.engine) as session:
        task = new_task(
            session,
            short_instruction(request) if recipe is not None else instruction(request, travellers),
            ctx.clock.now(),
            url=request.url,
            budget_micro_usd=budget_micro_usd,
            recipe_template=TEMPLATE,
            recipe_values=values,
        )
        task.grants = list(GRANTS)
        session.commit()
        task_id = task.id
    ctx.browser.lend(task_id, travellers)
    ctx.bus.publish(
        "task.created", {"id": task_id, "instruction": f"Check in {request.booking_code}", "url": request.url}
    )
    loop, replays = ctx.loop, ctx.recipes

    def begin() -> None:
        if recipe is not None and replays is not None:
            replays.assign(task_id, recipe)
        runner.start(task_id)
        loop.create_task(_keep_passes(ctx, runner, task_id, request), name=f"checkin-passes-{task_id}")

    loop.call_soon_threadsafe(begin)
    how = f"replaying recipe {recipe.name!r}" if recipe is not None else "by the agent"
    log.info("Check-in task %s started for booking %s, %s.", task_id, request.booking_code, how)
    return task_id


async def _keep_passes(ctx: "AppContext", runner: "Jobs", task_id: str, request: CheckinRequest) -> None:
    await runner.finished(task_id)
    kept = await asyncio.to_thread(collect_passes, ctx, task_id)
    if kept:
        # The booking rides along, so a surface can say whose passes these are without another request.
        booking = {"booking_code": request.booking_code, "airline": request.airline, "flight": request.flight}
        ctx.bus.publish("checkin.boarding_pass", {"task_id": task_id, "files": kept, **booking})


def collect_passes(ctx: "AppContext", task_id: str) -> list[str]:
    """Copy the files the task downloaded that look like boarding passes into its folder."""
    with Session(ctx.engine) as session:
        rows = session.exec(
            select(AuditRecord)
            .where(AuditRecord.task_id == task_id, AuditRecord.kind == "executed", AuditRecord.action == "download")
            .order_by(col(AuditRecord.id))
        ).all()
        if session.get(Task, task_id) is None:
            return []
    folder = passes_dir(ctx.settings.data_dir, task_id)
    kept = []
    for row in rows:
        path = Path(str(((row.detail or {}).get("data") or {}).get("path", "")))
        if row.verdict == "ok" and path.suffix.lower() in PASS_SUFFIXES and path.is_file():
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            shutil.copy2(path, folder / path.name)
            kept.append(path.name)
    return kept
