"""Replaying a recipe: each step finds its target again by role, name and context in a fresh snapshot and is
proposed through the executor with origin "recipe", so the policy, the site scope, the approvals and the write
gate judge it like any step the model proposes. No model call is made unless a step must be healed."""

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from backend.agent.runner import Jobs
from backend.browser.session import BrowserSession
from backend.browser.snapshot import ElementInfo, Snapshot
from backend.browser.tab import Tab
from backend.clock import Clock
from backend.events import EventBus
from backend.models import Task, TaskStatus
from backend.models.task import ENDED_TASK
from backend.policy.audit import AuditLog, account
from backend.policy.executor import Executor, Outcome
from backend.recipes.heal import Healer
from backend.recipes.library import Library, Match
from backend.recipes.template import VARIABLE, abstract, fill
from backend.tasks import set_status

log = logging.getLogger(__name__)

LOOK_FOR_S = 2.5  # how long a missing target is waited for before it counts as gone
LOOK_GAP_S = 0.1  # after the page changes, the time given to the rest of the change before looking


def find_target(snapshot: Snapshot, recorded: dict[str, Any], values: dict[str, str]) -> ElementInfo | None:
    """The one element like the recorded target: same role and name, and the same context where the name
    alone does not tell them apart (a context that held a variable, such as a row from a sender, matches the
    row holding this run's value). Two alike and none in the same place is no match: a guess could act on
    the wrong row."""
    target = fill(recorded, values)
    alike = [e for e in snapshot.elements.values() if e.role == target.get("role") and e.name == target.get("name")]
    if target.get("dialog"):
        alike = [e for e in alike if (e.dialog or "") == target["dialog"]] or alike
    same_place = [e for e in alike if e.context == target.get("context")]
    if len(same_place) == 1:
        return same_place[0]
    varying = [values[name] for name in VARIABLE.findall(str(recorded.get("context", ""))) if name in values]
    if varying and not same_place:
        kind = str(target.get("context", "")).split(" ", 1)[0]
        close = [e for e in alike if e.context.split(" ", 1)[0] == kind and all(v in e.context for v in varying)]
        if len(close) == 1:
            return close[0]
    return alike[0] if len(alike) == 1 and not same_place else None


@dataclass
class Replay:
    """One task replaying one recipe."""

    engine: Engine
    executor: Executor
    browser: BrowserSession
    library: Library
    healer: Healer
    audit: AuditLog
    bus: EventBus
    clock: Clock
    task_id: str
    recipe: Match
    steps: list[dict[str, Any]] = field(default_factory=list)
    read: str = ""  # what the last reading step read, shown with the result

    def status(self, status: TaskStatus, summary: str | None = None, claim: str | None = None) -> None:
        with Session(self.engine) as session:
            task = session.get(Task, self.task_id)
            if task is None:
                return
            set_status(session, task, status, self.clock.now(), summary)
            if claim is not None:
                task.claim = claim
            session.commit()
        kind = "task.finished" if status in ENDED_TASK else "task.updated"
        self.bus.publish(kind, {"id": self.task_id, "status": status.value, "summary": summary})

    def end(self, status: TaskStatus, why: str | None, claim: str | None = None) -> None:
        done = account(self.engine, self.task_id).sentence()
        self.status(status, f"{why} {done}" if why else done, claim)

    async def run(self) -> None:
        recipe = self.recipe
        self.steps = [dict(step) for step in recipe.steps]
        with Session(self.engine) as session:
            task = session.get(Task, self.task_id)
            if task is None:
                return
            instruction, url = task.instruction, task.url
        self.status(TaskStatus.RUNNING)
        self.audit.append(
            self.task_id,
            "recipe_replay",
            "recipe",
            reason=f"Replaying recipe {recipe.name!r}, version {recipe.version}.",
            detail={
                "recipe_id": recipe.recipe_id,
                "name": recipe.name,
                "version": recipe.version,
                "learned_micro_usd": recipe.learned_micro_usd,
            },
        )
        self.bus.publish(
            "recipe.started", {"task_id": self.task_id, "recipe_id": recipe.recipe_id, "version": recipe.version}
        )
        if url:
            opened = await self.executor.propose(self.task_id, "navigate", {"url": url}, origin="user")
            if opened.status != "done":
                self.end(TaskStatus.FAILED, f"Could not open {url}: {opened.message}")
                return
        for index in range(len(self.steps)):
            problem = await self._step(index, instruction)
            if problem is None:
                continue
            failed, why = problem
            if failed:
                retired = self.library.failed(recipe.recipe_id)
                if retired:
                    why += (
                        f" Recipe {recipe.name!r} failed twice in a row, so it is retired: "
                        "the model does this task next time."
                    )
                    self.bus.publish("recipe.retired", {"recipe_id": recipe.recipe_id, "name": recipe.name, "why": why})
            self.end(TaskStatus.FAILED, why)
            return
        self.library.succeeded(recipe.recipe_id)
        claim = f"Replayed recipe {recipe.name!r} ({len(self.steps)} steps)."
        if self.read:
            claim += " The page read: " + " ".join(self.read.split())[:600]
        self.end(TaskStatus.FINISHED, None, claim=claim)

    async def _step(self, index: int, instruction: str) -> tuple[bool, str] | None:
        """Run one step; None when it was done, else (whether the recipe failed, why the replay stopped)."""
        step = fill(self.steps[index], self.recipe.values)
        params: dict[str, Any] = dict(step.get("params") or {})
        said = step.get("summary") or step["action"]
        recorded = self.steps[index].get("target")
        if recorded:
            # Each step already waited for the page to settle after it ran (the execution does).
            tab = await self.browser.tab(self.task_id)
            snapshot = await tab.snapshot()
            element = find_target(snapshot, recorded, self.recipe.values)
            if element is None and step.get("optional") and self._next_is_there(index, snapshot):
                # The page is already where the step after this one acts: this visit does not need it.
                log.info("Task %s: step %d of its recipe (%s) is not needed this time.", self.task_id, index + 1, said)
                return None
            if element is None:
                element, snapshot = await self._wait_for(tab, recorded)
            if element is None and step.get("optional"):
                # A step only some visits need (a cookie banner already answered in this browser) is skipped.
                log.info("Task %s: step %d of its recipe (%s) is not needed this time.", self.task_id, index + 1, said)
                return None
            if element is None:
                repair = await self.healer.repair(self.task_id, instruction, step, index, snapshot)
                if repair.element is None:
                    return True, f"Step {index + 1} ({said}) found nothing to act on, and {repair.message}."
                element = repair.element
                self._keep_repair(index, element)
            params["ref"] = element.ref
        reason = f"Recipe {self.recipe.name!r}, step {index + 1}: {said}"
        self.bus.publish("step.started", {"task_id": self.task_id, "step": index + 1, "action": step["action"]})
        outcome = await self.executor.propose(
            self.task_id,
            step["action"],
            params,
            origin="recipe",
            reason=reason,
            recipe_step=f"{self.recipe.recipe_id}#{index + 1}",
        )
        if outcome.status == "pending" and outcome.approval_id:
            self.status(TaskStatus.WAITING, f"Waiting for approval {outcome.approval_id}.")
            outcome = await self.executor.resolve(outcome.approval_id)
            self.status(TaskStatus.RUNNING)
        return self._judge(index, said, outcome)

    async def _wait_for(self, tab: Tab, recorded: dict[str, Any]) -> tuple[ElementInfo | None, Snapshot]:
        """Part of a page may still be arriving (a seat map fetched a second after load): look again each time
        the page changes, until the target shows or LOOK_FOR_S pass. Each look notes the page's version
        first, so a change made while Deputy reads the page still ends the wait that follows."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + LOOK_FOR_S
        while True:
            _, version = await tab.changes()
            snapshot = await tab.snapshot()
            element = find_target(snapshot, recorded, self.recipe.values)
            left = deadline - loop.time()
            if element is not None or left <= 0:
                return element, snapshot
            changed, _ = await tab.changes(version, left)
            if changed:
                await asyncio.sleep(LOOK_GAP_S)

    def _next_is_there(self, index: int, snapshot: Snapshot) -> bool:
        following = self.steps[index + 1 : index + 2]
        target = following[0].get("target") if following else None
        return bool(target) and find_target(snapshot, target, self.recipe.values) is not None

    def _judge(self, index: int, said: str, outcome: Outcome) -> tuple[bool, str] | None:
        if outcome.status == "done":
            if outcome.result is not None and isinstance(outcome.result.data.get("text"), str):
                self.read = outcome.result.data["text"]
            return None
        where = f"Step {index + 1} ({said})"
        if outcome.status in ("rejected", "expired", "denied", "pending"):
            return False, f"{where} was not done: {outcome.message}"
        return True, f"{where} failed: {outcome.message}"

    def _keep_repair(self, index: int, element: ElementInfo) -> None:
        """The repaired target becomes the recipe's new version; the version it replaced stays stored."""
        found = {"role": element.role, "name": element.name, "context": element.context, "dialog": element.dialog or ""}
        target = {**(self.steps[index].get("target") or {}), **abstract(found, self.recipe.values)}
        self.steps[index] = {**self.steps[index], "target": target}
        version = self.library.healed(self.recipe.recipe_id, self.steps, index)
        self.bus.publish(
            "recipe.healed",
            {"task_id": self.task_id, "recipe_id": self.recipe.recipe_id, "version": version, "step": index + 1},
        )
        self.audit.append(
            self.task_id,
            "recipe_healed",
            "recipe",
            reason=f"Step {index + 1} of recipe {self.recipe.name!r} healed: version {version} keeps the repair.",
            detail={"recipe_id": self.recipe.recipe_id, "version": version, "step": index + 1},
        )


class RecipeRunner(Jobs):
    """Tasks replaying recipes, each on its own asyncio task and tab."""

    def __init__(
        self,
        engine: Engine,
        executor: Executor,
        browser: BrowserSession,
        library: Library,
        healer: Healer,
        audit: AuditLog,
        bus: EventBus,
        clock: Clock,
    ) -> None:
        super().__init__(self._replay, browser.close_tab)
        self.engine = engine
        self.executor = executor
        self.browser = browser
        self.library = library
        self.healer = healer
        self.audit = audit
        self.bus = bus
        self.clock = clock
        self.assigned: dict[str, Match] = {}

    def assign(self, task_id: str, recipe: Match) -> None:
        self.assigned[task_id] = recipe

    async def _replay(self, task_id: str) -> None:
        recipe = self.assigned.pop(task_id)
        replay = Replay(
            self.engine,
            self.executor,
            self.browser,
            self.library,
            self.healer,
            self.audit,
            self.bus,
            self.clock,
            task_id,
            recipe,
        )
        try:
            await replay.run()
        except asyncio.CancelledError:
            replay.end(TaskStatus.CANCELLED, "Cancelled by the user.")
            raise
        except Exception as error:  # a bug must end the task visibly, not leave it "running"
            log.exception("Replay of task %s failed unexpectedly.", task_id)
            replay.end(TaskStatus.FAILED, f"Deputy hit an internal error: {error}")
