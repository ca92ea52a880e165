"""Self-healing: a recipe step whose target is gone is handed to the model, for that step alone.

One call, with the recipe's intent (the task's instruction and what the step did to what) and the page as it
is now; the only tool picks the element. The step that comes back still goes through the executor, so the
policy and the approvals judge it like any other.
"""

import logging
from dataclasses import dataclass
from typing import Any

from backend.agent.llm import ModelClient, ModelUnavailable
from backend.browser.snapshot import UNTRUSTED_NOTICE, ElementInfo, Snapshot
from backend.ledger.budgets import Book, BudgetExceeded, PriceUnknown
from backend.ledger.pricing import worst_case_cost

log = logging.getLogger(__name__)

MAX_TOKENS = 256
HIDDEN_TOKENS_MARGIN = 400

SYSTEM = (
    "You repair one step of a recorded recipe that Deputy replays in a web page. The element the step acted "
    "on is no longer where it was (its label or its place changed). Find the element on the page now that "
    "does what the step did, and call pick_target with its ref. If no element does that, call pick_target "
    "with an empty ref. " + UNTRUSTED_NOTICE
)

PICK_TARGET = {
    "name": "pick_target",
    "description": "Pick the page element that the recipe's step should act on now, by its ref ('' if none).",
    "input_schema": {
        "type": "object",
        "properties": {
            "ref": {"type": "string", "description": "The element's ref from the page snapshot, such as e12."},
            "why": {"type": "string", "description": "One short sentence: why this element."},
        },
        "required": ["ref"],
    },
}


@dataclass(frozen=True)
class Repair:
    element: ElementInfo | None
    message: str  # what happened, for the task's summary


def _describe(target: dict[str, Any]) -> str:
    where = ", ".join(f"{key} {target[key]!r}" for key in ("context", "dialog", "heading", "near") if target.get(key))
    return f"a {target.get('role', 'element')} named {target.get('name', '')!r}" + (f" ({where})" if where else "")


class Healer:
    def __init__(self, model: ModelClient | None, book: Book) -> None:
        self.model = model
        self.book = book

    async def repair(
        self, task_id: str, instruction: str, step: dict[str, Any], index: int, snapshot: Snapshot
    ) -> Repair:
        if self.model is None:
            return Repair(None, "no model key is set to repair it")
        intent = (
            f"The recipe does this task: {instruction}\n"
            f"Step {index + 1} was: {step.get('summary') or step['action']}.\n"
            f"It used the action {step['action']} on {_describe(step.get('target') or {})}.\n"
            "That element is not on the page now. The page as it is now:\n"
        )
        messages = [{"role": "user", "content": [{"type": "text", "text": intent + snapshot.text}]}]
        system = [{"type": "text", "text": SYSTEM}]
        upper = (len(SYSTEM.encode()) + len(intent.encode()) + len(snapshot.text.encode())) // 2
        worst = worst_case_cost(self.model.model, upper + HIDDEN_TOKENS_MARGIN, MAX_TOKENS)
        try:
            reservation = self.book.reserve(task_id, worst)
        except (BudgetExceeded, PriceUnknown) as error:
            return Repair(None, f"repairing it would cross the budget ({error})")
        try:
            reply = await self.model.create(system, [PICK_TARGET], messages, MAX_TOKENS)
        except ModelUnavailable as error:
            self.book.release(reservation)
            return Repair(None, str(error))
        except BaseException:
            self.book.release(reservation)
            raise
        self.book.record(reservation, reply.model, reply.usage, 0, reply.latency_ms, reply.stop_reason)
        picked = next((b.get("input") or {} for b in reply.content if b.get("type") == "tool_use"), {})
        ref = str(picked.get("ref") or "")
        element = snapshot.elements.get(ref)
        if element is None:
            return Repair(None, "the model found no element on the page that does it")
        log.info("Task %s: step %d of its recipe now acts on %s %r.", task_id, index + 1, element.role, element.name)
        return Repair(element, f"step {index + 1} now acts on {element.role} {element.name!r}")
