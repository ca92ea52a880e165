"""Recipe candidates: the recipes learned from runs nobody watched, proposed to the person, and what their
answer does.

    each candidate (a scheduled run's steps, never matched or replayed)
        ├─ its run queued actions still waiting for the person ─ left for a later night
        ├─ its run queued actions the person turned down (or let expire) ─ deleted: it never did the whole task
        ├─ its queued actions were approved and done since ─ learned again, now with those steps
        ├─ a step's values carried data a page or a mail showed ─ deleted, never proposed (the diary says why)
        ├─ the person turned this recipe down before ─ deleted, not proposed again
        ├─ its proposal is still waiting ─ left alone
        └─ else ─ a "recipe" approval: the instruction, the site, the steps as sentences, which of them ask
           every time, and what the model run cost that a replay saves
    approved ─ the candidate replays from now on, at the version the approval showed
    rejected ─ the candidate is deleted

What a step typed or opened that Deputy read on a page is recorded when the step was proposed (the
executor's provenance check); a step recorded before that was kept has no mark, and counts as clean.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from backend.ledger.money import dollars
from backend.models import Approval, ApprovalStatus, Recipe
from backend.policy.lifecycle import Draft, Lifecycle
from backend.recipes.library import Library
from backend.skills.mail.learning import PROPOSAL_TTL

if TYPE_CHECKING:
    from backend.dreaming.night import Dream

log = logging.getLogger(__name__)

ASKING = ("write", "irreversible")
_OPEN = (ApprovalStatus.PENDING, ApprovalStatus.APPROVED, ApprovalStatus.CLAIMED)
# The kinds of page data the provenance check names; anything else is said as "data".
_PAGE_DATA = {"a number", "a code", "an address", "a site name", "message text", "a word", "a value"}


def step_lines(steps: list[dict[str, Any]]) -> list[str]:
    """The steps as a person reads them, numbered, each saying whether it asks before it runs."""
    lines = []
    for number, step in enumerate(steps, 1):
        said = str(step.get("summary") or step.get("action") or "a step")
        asks = " (asks you every time)" if step.get("risk") in ASKING else ""
        lines.append(f"{number}. {said}{asks}")
    return lines


def _naive(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None) if moment.tzinfo is None else moment.astimezone(UTC).replace(tzinfo=None)


def _from_page(steps: list[dict[str, Any]]) -> str | None:
    for number, step in enumerate(steps, 1):
        if step.get("from_page"):
            what = str(step["from_page"]) if step["from_page"] in _PAGE_DATA else "data"
            action = str(step.get("action", "a step")).replace("_", " ")
            return f"step {number} ({action}) used {what} Deputy read on a page"
    return None


@dataclass
class Candidates:
    engine: Engine
    library: Library
    approvals: Lifecycle

    # ---- proposing, once a night -------------------------------------------------------------------

    def propose(self, dream: "Dream") -> None:
        candidates = self.library.candidates()
        with Session(self.engine) as session:
            asked = list(session.exec(select(Approval).where(Approval.kind == "recipe")))
        waiting = {str(a.params.get("recipe_id")) for a in asked if a.status in _OPEN}
        refused = {
            (str(a.params.get("site")), str(a.params.get("instruction")))
            for a in asked
            if a.status == ApprovalStatus.REJECTED
        }
        if candidates:
            dream.read.append(f"{len(candidates)} recipe candidate(s) learned from runs nobody watched")
        for recipe, steps in candidates:
            said = f"the recipe candidate {recipe.name!r} on {recipe.site}"
            if recipe.id in waiting:
                continue
            queued = self._queued(recipe.source_task_id)
            if any(a.status in _OPEN for a in queued):
                dream.dropped.append(f"{said}: its run queued actions still waiting for your answer; proposed later")
                continue
            if any(a.status != ApprovalStatus.EXECUTED for a in queued):
                self.library.discard(recipe.id)
                dream.dropped.append(f"{said}: its run did not do all it queued (turned down or expired); deleted")
                continue
            recipe, steps = self._with_approved_steps(recipe, steps, queued)
            page = _from_page(steps)
            if page is not None:
                self.library.discard(recipe.id)
                dream.dropped.append(f"{said}: {page}, so it was deleted and not proposed")
                continue
            if (recipe.site, recipe.instruction) in refused:
                self.library.discard(recipe.id)
                dream.dropped.append(f"{said}: you turned this recipe down before, so it was deleted")
                continue
            approval = self.approvals.create(self._draft(dream.task_id, recipe, steps), waits=False)
            dream.approval_ids.append(approval.id)
            dream.proposed.append(f"recipe: {recipe.instruction} on {recipe.site} ({len(steps)} steps)")

    def _queued(self, task_id: str | None) -> list[Approval]:
        """The actions the candidate's run queued for the person (nobody was watching to answer them)."""
        kinds = ("action", "navigation")
        with Session(self.engine) as session:
            query = select(Approval).where(Approval.task_id == task_id, col(Approval.kind).in_(kinds))
            return list(session.exec(query))

    def _with_approved_steps(
        self, recipe: Recipe, steps: list[dict[str, Any]], queued: list[Approval]
    ) -> tuple[Recipe, list[dict[str, Any]]]:
        """What the person approved and Deputy did after the run is part of the task: learned again, in order."""
        since = _naive(recipe.updated_at)
        later = any(a.decided_at is not None and _naive(a.decided_at) > since for a in queued)
        if not later or not recipe.source_task_id or self.library.learn(recipe.source_task_id) is None:
            return recipe, steps
        recipe, versions = self.library.get(recipe.id)
        return recipe, next((v.steps for v in versions if v.version == recipe.version), steps)

    @staticmethod
    def _draft(task_id: str, recipe: Recipe, steps: list[dict[str, Any]]) -> Draft:
        asks = [n for n, step in enumerate(steps, 1) if step.get("risk") in ASKING]
        cost = (
            f"Its model run cost {dollars(recipe.learned_micro_usd)} in {recipe.learned_calls} model call(s); "
            "a replay makes none."
            if recipe.learned_calls
            else "A replay makes no model call."
        )
        asking = (
            f"Step{'s' if len(asks) > 1 else ''} {', '.join(map(str, asks))} still ask{'' if len(asks) > 1 else 's'} "
            "you every time it replays."
            if asks
            else "None of its steps changes anything, so none asks."
        )
        return Draft(
            task_id=task_id,
            kind="recipe",
            action="keep_recipe",
            params={
                "recipe_id": recipe.id,
                "name": recipe.name,
                "version": recipe.version,
                "instruction": recipe.instruction,
                "site": recipe.site,
                "steps": step_lines(steps),
                "asks": asks,
                "learned_micro_usd": recipe.learned_micro_usd,
                "learned_calls": recipe.learned_calls,
                "source_task_id": recipe.source_task_id,
            },
            summary=f"Keep a recipe: {recipe.instruction} (on {recipe.site})",
            objects=step_lines(steps),
            policy_reason=(
                f"Learned from a scheduled run nobody watched (task {recipe.source_task_id}). Approve to replay it "
                f"whenever you ask for this on {recipe.site}; reject to delete it. {asking} {cost}"
            ),
            risk="local",
            page_url=recipe.start_url,
            fingerprint="recipe",
            ttl=PROPOSAL_TTL,
        )

    # ---- the person's answer -----------------------------------------------------------------------

    async def keep(self, approval_id: str) -> None:
        """The runner of approved "recipe" approvals: the candidate replays from now on, once."""
        approval = self.approvals.get(approval_id)
        if approval is None or not self.approvals.claim(approval_id):
            return
        said = self.library.activate(str(approval.params.get("recipe_id")), int(approval.params.get("version", 0)))
        self.approvals.finish(approval_id, ApprovalStatus.EXECUTED, said)

    async def forget(self, approval_id: str) -> None:
        """A rejected "recipe" approval deletes its candidate (a recipe that became active meanwhile stays)."""
        approval = self.approvals.get(approval_id)
        if approval is None:
            return
        gone = self.library.discard(str(approval.params.get("recipe_id")))
        if gone is not None:
            log.info("Recipe candidate %s (%s) deleted: the person rejected it.", gone.id, gone.name)
