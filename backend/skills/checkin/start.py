"""Starting a check-in task (from the API, or later from a schedule) and keeping its boarding passes.

`start_checkin` is the one entry point: it lends the traveller profile to the task's tab, starts the agent
on the airline's page with the check-in's grants, and once the task ends copies the boarding passes it
downloaded to `boarding-passes/TASK` in the data folder and announces them (`checkin.boarding_pass`).
"""

import asyncio
import logging
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from backend.models import AuditRecord, Task
from backend.skills.checkin.instruction import CheckinRequest, instruction
from backend.tasks import new_task
from backend.traveller.placeholders import Personal
from backend.traveller.vault import Vault

if TYPE_CHECKING:
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
    """Start checking in `request`'s booking; returns the task's id. Callable from any thread."""
    if ctx.runner is None or ctx.browser is None or ctx.loop is None:
        raise CheckinUnavailable(ctx.agent_unavailable or "Deputy cannot run tasks right now.")
    profile = Vault(ctx.settings.data_dir).load()
    travellers = Personal.of(profile)
    if not travellers.people:
        raise CheckinUnavailable("There is no traveller profile yet: add yourself with `deputy profile set`.")
    with Session(ctx.engine) as session:
        task = new_task(
            session,
            instruction(request, travellers),
            ctx.clock.now(),
            url=request.url,
            budget_micro_usd=budget_micro_usd,
        )
        task.grants = list(GRANTS)
        session.commit()
        task_id = task.id
    ctx.browser.lend(task_id, travellers)
    ctx.bus.publish(
        "task.created", {"id": task_id, "instruction": f"Check in {request.booking_code}", "url": request.url}
    )
    runner, loop = ctx.runner, ctx.loop

    def begin() -> None:
        runner.start(task_id)
        loop.create_task(_keep_passes(ctx, task_id, request), name=f"checkin-passes-{task_id}")

    loop.call_soon_threadsafe(begin)
    log.info("Check-in task %s started for booking %s.", task_id, request.booking_code)
    return task_id


async def _keep_passes(ctx: "AppContext", task_id: str, request: CheckinRequest) -> None:
    assert ctx.runner is not None
    await ctx.runner.finished(task_id)
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
