"""The stored recipes: learning one from a finished task's audit log, finding the one a task matches,
keeping every version, and retiring a recipe that keeps failing.

A task a person started (and could watch) becomes an active recipe at once. A task that ran unattended (a
scheduled run) becomes a candidate: never matched, never replayed, until the person approves the proposal
dreaming makes of it.
"""

import json
import logging
import re
import secrets
from dataclasses import dataclass
from importlib import resources
from typing import Any

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from backend.actions.risk import PAYING, price_in
from backend.clock import Clock
from backend.models import AuditRecord, ModelCall, Recipe, RecipeGrant, RecipeVersion, Task, TaskStatus
from backend.policy.engine import grant_kind
from backend.policy.provenance import site_of
from backend.recipes.template import VARIABLE, abstract, find_variables, match, strings_of

log = logging.getLogger(__name__)

RETIRE_AFTER = 2  # failed replays in a row
ACTIVE, CANDIDATE, RETIRED = "active", "candidate", "retired"
# Actions that end or steer the run itself: a replay ends on its own and never asks the person questions.
_NOT_REPLAYED = {"finish_task", "ask_user"}


class RecipeError(ValueError):
    """A recipe that cannot be found, stored or run as asked; the message says what to do."""


@dataclass(frozen=True)
class Match:
    """A recipe a task replays, at one version, with the values of its variables."""

    recipe_id: str
    name: str
    version: int
    steps: list[dict[str, Any]]
    values: dict[str, str]
    learned_micro_usd: int = 0  # what the model run it was learned from cost


def _slug(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", VARIABLE.sub(lambda m: m.group(1), text.lower()))
    return "-".join(words[:6]) or "recipe"


def _free_name(session: Session, base: str) -> str:
    name, n = base[:72], 2
    while session.exec(select(Recipe).where(Recipe.name == name)).first() is not None:
        name, n = f"{base[:72]}-{n}", n + 1
    return name


def steps_of(records: list[AuditRecord], start_url: str | None) -> list[dict[str, Any]]:
    """The executed steps of a task, each with its target as the proposal described it (never a ref)."""
    proposed: dict[str, AuditRecord] = {}
    steps: list[dict[str, Any]] = []
    for record in records:
        if record.kind == "proposed" and record.action:
            proposed[record.action] = record
            continue
        if record.kind != "executed" or record.verdict != "ok" or not record.action:
            continue
        if record.action in _NOT_REPLAYED or record.action == "site_request":
            continue
        params = {k: v for k, v in (record.params or {}).items() if k != "ref"}
        if not steps and record.action == "navigate" and params.get("url") == start_url:
            continue  # the replay opens the task's own start page first
        asked = proposed.get(record.action)
        target = (asked.detail or {}).get("target") if asked is not None else None
        if "ref" in (record.params or {}) and not target:
            raise RecipeError(f"Step {record.action} was recorded without a description of its target.")
        step = {
            "action": record.action,
            "params": params,
            "target": target,
            "risk": record.risk,
            "summary": (record.detail or {}).get("summary") or record.action,
        }
        from_page = (asked.detail or {}).get("from_page") if asked is not None else None
        if from_page:
            step["from_page"] = str(from_page)  # what kind of page data its values carried
        steps.append(step)
    return steps


# A consent wall is answered once per browser: the next visit has none, so a step that answered it is skipped
# when its target is not there, instead of being healed.
_CONSENT = re.compile(r"(?i)\b(cookies?|consent|privacy)\b")


def _optional(step: dict[str, Any]) -> dict[str, Any]:
    target = step.get("target") or {}
    where = " ".join(str(target.get(key, "")) for key in ("name", "context", "dialog"))
    if step["action"] == "click" and _CONSENT.search(where):
        return {**step, "optional": True}
    return step


class Library:
    def __init__(self, engine: Engine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock

    # ---- learning ----------------------------------------------------------------------------------

    def learn(self, task_id: str) -> Recipe | None:
        """Make a recipe of a task the model finished (or a new version of the recipe it matches); a task
        nobody watched makes a candidate, and never changes a recipe the person already has."""
        with Session(self.engine) as session:
            task = session.get(Task, task_id)
            if task is None or task.status != TaskStatus.FINISHED or not task.url or not site_of(task.url):
                return None
            status = CANDIDATE if task.unattended else ACTIVE
            query = select(AuditRecord).where(AuditRecord.task_id == task_id).order_by(col(AuditRecord.id))
            records = list(session.exec(query))
            try:
                steps = steps_of(records, task.url)
            except RecipeError as error:
                log.info("Task %s is not kept as a recipe: %s", task_id, error)
                return None
            if not any(s["risk"] in ("write", "irreversible") or s["action"] != "navigate" for s in steps):
                return None
            material = [text for step in steps for text in strings_of([step["params"], step["target"]])]
            if task.recipe_template and task.recipe_values is not None:
                # The skill said what differs between runs: its values the steps used, and nothing guessed.
                template, blob = task.recipe_template, "\n".join(material)
                variables = {name: value for name, value in task.recipe_values.items() if value and value in blob}
            else:
                variables = find_variables(task.instruction, material)
                template = abstract(task.instruction, variables)
            steps = [_optional(abstract(step, variables)) for step in steps]
            spent, calls, tokens = session.exec(
                select(
                    func.coalesce(func.sum(ModelCall.cost_micro_usd), 0),
                    func.count(),
                    func.coalesce(
                        func.sum(
                            ModelCall.input_tokens
                            + ModelCall.output_tokens
                            + ModelCall.cache_creation_input_tokens
                            + ModelCall.cache_read_input_tokens
                        ),
                        0,
                    ),
                ).where(ModelCall.task_id == task_id)
            ).one()
            now = self.clock.now()
            site = site_of(task.url)
            recipe = next(
                (r for r in session.exec(select(Recipe).where(Recipe.site == site)) if r.instruction == template),
                None,
            )
            if recipe is not None and status == CANDIDATE and recipe.status != CANDIDATE:
                log.info("Task %s ran unattended: recipe %s (%s) is left as it is.", task_id, recipe.id, recipe.name)
                return None
            if recipe is None:
                recipe = Recipe(
                    id="r_" + secrets.token_hex(6),
                    name=_free_name(session, _slug(template)),
                    instruction=template,
                    site=site,
                    start_url=task.url,
                    version=0,
                    created_at=now,
                    updated_at=now,
                )
            recipe.version = self._next_version(session, recipe.id)
            recipe.variables = sorted(variables)
            recipe.status, recipe.failures, recipe.source_task_id = status, 0, task_id
            recipe.learned_micro_usd, recipe.learned_calls, recipe.learned_tokens = int(spent), int(calls), int(tokens)
            recipe.updated_at = now
            session.add(recipe)
            why = f"recorded from task {task_id}"
            session.add(
                RecipeVersion(recipe_id=recipe.id, version=recipe.version, steps=steps, why=why, created_at=now)
            )
            session.commit()
            session.refresh(recipe)
            log.info(
                "Task %s became %s recipe %s (%s), version %d.", task_id, status, recipe.id, recipe.name, recipe.version
            )
            return recipe

    @staticmethod
    def _next_version(session: Session, recipe_id: str) -> int:
        query = select(func.max(RecipeVersion.version)).where(RecipeVersion.recipe_id == recipe_id)
        return int(session.exec(query).one() or 0) + 1

    # ---- finding ------------------------------------------------------------------------------------

    def match(self, instruction: str, url: str | None) -> Match | None:
        """The active recipe for this instruction on this start site, if there is one."""
        site = site_of(url or "")
        if not site:
            return None
        with Session(self.engine) as session:
            query = select(Recipe).where(Recipe.site == site, Recipe.status == ACTIVE)
            for recipe in session.exec(query.order_by(col(Recipe.updated_at).desc())):
                values = match(recipe.instruction, instruction)
                if values is not None:
                    return self._at(session, recipe, values)
        return None

    def for_template(self, url: str | None, template: str, values: dict[str, str]) -> Match | None:
        """The active recipe on this start site with exactly this instruction template, when `values` hold
        every variable it needs; for a skill that knows its task's template (a check-in)."""
        site = site_of(url or "")
        if not site:
            return None
        with Session(self.engine) as session:
            query = select(Recipe).where(Recipe.site == site, Recipe.status == ACTIVE, Recipe.instruction == template)
            for recipe in session.exec(query.order_by(col(Recipe.updated_at).desc())):
                if all(values.get(name) for name in recipe.variables):
                    return self._at(session, recipe, dict(values))
        return None

    def for_run(self, key: str, values: dict[str, str]) -> tuple[Match, str]:
        """The recipe named (or with this id) to run now, and its instruction with the values filled in."""
        with Session(self.engine) as session:
            recipe = self._find(session, key)
            if recipe.status == CANDIDATE:
                raise RecipeError(
                    f"Recipe {recipe.name!r} is a candidate learned from a run nobody watched: approve its proposal "
                    "(`deputy approvals`) before it replays."
                )
            if recipe.status != ACTIVE:
                raise RecipeError(f"Recipe {recipe.name!r} is retired: it failed twice in a row.")
            missing = [name for name in recipe.variables if not values.get(name)]
            if missing:
                raise RecipeError(
                    f"Recipe {recipe.name!r} needs a value for {', '.join(missing)} (give it as NAME=VALUE)."
                )
            # A template's variable the steps never used may still be given: it only fills the instruction.
            unknown = sorted(set(values) - set(recipe.variables) - set(VARIABLE.findall(recipe.instruction)))
            if unknown:
                raise RecipeError(f"Recipe {recipe.name!r} has no variable {unknown[0]!r}.")
            instruction = VARIABLE.sub(lambda m: values.get(m.group(1), m.group(0)), recipe.instruction)
            return self._at(session, recipe, values), instruction

    def _at(self, session: Session, recipe: Recipe, values: dict[str, str]) -> Match:
        version = session.exec(
            select(RecipeVersion).where(RecipeVersion.recipe_id == recipe.id, RecipeVersion.version == recipe.version)
        ).one()
        return Match(recipe.id, recipe.name, recipe.version, list(version.steps), values, recipe.learned_micro_usd)

    def _find(self, session: Session, key: str) -> Recipe:
        recipe = session.get(Recipe, key) or session.exec(select(Recipe).where(Recipe.name == key)).first()
        if recipe is None:
            raise LookupError(f"No recipe {key!r}; `deputy recipes` lists them.")
        return recipe

    def get(self, key: str) -> tuple[Recipe, list[RecipeVersion]]:
        with Session(self.engine) as session:
            recipe = self._find(session, key)
            query = select(RecipeVersion).where(RecipeVersion.recipe_id == recipe.id)
            return recipe, list(session.exec(query.order_by(col(RecipeVersion.version))))

    def all(self) -> list[tuple[Recipe, int]]:
        """Every recipe with the number of steps of the version that replays."""
        with Session(self.engine) as session:
            recipes = list(session.exec(select(Recipe).order_by(col(Recipe.created_at))))
            found = []
            for recipe in recipes:
                version = session.exec(
                    select(RecipeVersion).where(
                        RecipeVersion.recipe_id == recipe.id, RecipeVersion.version == recipe.version
                    )
                ).first()
                found.append((recipe, len(version.steps) if version else 0))
            return found

    def delete(self, key: str) -> Recipe:
        with Session(self.engine) as session:
            recipe = self._find(session, key)
            for version in session.exec(select(RecipeVersion).where(RecipeVersion.recipe_id == recipe.id)):
                session.delete(version)
            for grant in session.exec(select(RecipeGrant).where(RecipeGrant.recipe_id == recipe.id)):
                session.delete(grant)
            session.delete(recipe)
            session.commit()
            return recipe

    # ---- candidates: learned from runs nobody watched ---------------------------------------------

    def candidates(self) -> list[tuple[Recipe, list[dict[str, Any]]]]:
        """Every candidate with the steps of the version the person would approve."""
        with Session(self.engine) as session:
            query = select(Recipe).where(Recipe.status == CANDIDATE).order_by(col(Recipe.created_at))
            return [(recipe, self._at(session, recipe, {}).steps) for recipe in session.exec(query)]

    def activate(self, recipe_id: str, version: int) -> str:
        """Make a candidate active at the version the person approved; says what changed."""
        with Session(self.engine) as session:
            recipe = session.get(Recipe, recipe_id)
            if recipe is None:
                return f"Recipe {recipe_id} is gone; nothing changed."
            if recipe.status != CANDIDATE:
                return f"Recipe {recipe.name} is already {recipe.status}; nothing changed."
            query = select(RecipeVersion).where(RecipeVersion.recipe_id == recipe_id, RecipeVersion.version == version)
            if session.exec(query).first() is None:
                return f"Recipe {recipe.name} has no version {version}; nothing changed."
            recipe.status, recipe.version, recipe.failures = ACTIVE, version, 0
            recipe.updated_at = self.clock.now()
            session.add(recipe)
            session.commit()
            log.info("Recipe %s (%s) is active at version %d.", recipe.id, recipe.name, version)
            return f"Recipe {recipe.name} now replays with no model call: {recipe.instruction}"

    def discard(self, recipe_id: str) -> Recipe | None:
        """Delete a recipe that is still a candidate; None when it is gone or no longer a candidate."""
        with Session(self.engine) as session:
            recipe = session.get(Recipe, recipe_id)
            if recipe is None or recipe.status != CANDIDATE:
                return None
        return self.delete(recipe_id)

    # ---- steps the user lets run without asking ------------------------------------------------------

    def grant(self, key: str, number: int) -> RecipeGrant:
        """Let step `number` of this recipe run without asking, on the recipe's own site; never a payment."""
        with Session(self.engine) as session:
            recipe = self._find(session, key)
            step = self._step(session, recipe, number)
            target = step.get("target") or {}
            name = str(target.get("name", ""))
            if recipe.status == CANDIDATE:
                raise RecipeError(f"Recipe {recipe.name!r} is a candidate: approve it before granting its steps.")
            if step.get("risk") not in ("write", "irreversible"):
                raise RecipeError(f"Step {number} of {recipe.name!r} never asks, so there is nothing to grant.")
            if PAYING.search(name) or price_in(name) or PAYING.search(str(step.get("summary", ""))):
                raise RecipeError(f"Step {number} of {recipe.name!r} pays for something: payments ask every time.")
            kind = grant_kind(str(step["action"]), name)
            query = select(RecipeGrant).where(RecipeGrant.recipe_id == recipe.id, RecipeGrant.step == number)
            for old in session.exec(query):
                session.delete(old)
            grant = RecipeGrant(
                recipe_id=recipe.id,
                step=number,
                action=str(step["action"]),
                kind=kind,
                site=recipe.site,
                created_at=self.clock.now(),
            )
            session.add(grant)
            session.commit()
            session.refresh(grant)
            log.info("Step %d of recipe %s (%s) now runs without asking.", number, recipe.id, recipe.name)
            return grant

    def revoke(self, key: str, number: int) -> bool:
        """Make step `number` ask again; False when it was not granted."""
        with Session(self.engine) as session:
            recipe = self._find(session, key)
            query = select(RecipeGrant).where(RecipeGrant.recipe_id == recipe.id, RecipeGrant.step == number)
            found = list(session.exec(query))
            for grant in found:
                session.delete(grant)
            session.commit()
            return bool(found)

    def granted_steps(self, recipe_id: str) -> list[int]:
        with Session(self.engine) as session:
            query = select(RecipeGrant.step).where(RecipeGrant.recipe_id == recipe_id)
            return sorted(set(session.exec(query)))

    def _step(self, session: Session, recipe: Recipe, number: int) -> dict[str, Any]:
        steps = self._at(session, recipe, {}).steps
        if not 1 <= number <= len(steps):
            raise RecipeError(f"Recipe {recipe.name!r} has steps 1 to {len(steps)}, not {number}.")
        return steps[number - 1]

    # ---- what replays teach -----------------------------------------------------------------------

    def healed(self, recipe_id: str, steps: list[dict[str, Any]], index: int) -> int:
        """Save the repaired steps as a new version (the old one stays); returns its number."""
        with Session(self.engine) as session:
            recipe = session.get(Recipe, recipe_id)
            if recipe is None:
                raise LookupError(f"No recipe {recipe_id!r}.")
            now = self.clock.now()
            recipe.version = self._next_version(session, recipe_id)
            recipe.updated_at = now
            session.add(recipe)
            why = f"healed step {index + 1}"
            session.add(
                RecipeVersion(recipe_id=recipe_id, version=recipe.version, steps=steps, why=why, created_at=now)
            )
            session.commit()
            return recipe.version

    def succeeded(self, recipe_id: str) -> None:
        self._count(recipe_id, failed=False)

    def failed(self, recipe_id: str) -> bool:
        """Count a failed replay; True when this one retired the recipe."""
        return self._count(recipe_id, failed=True)

    def _count(self, recipe_id: str, failed: bool) -> bool:
        with Session(self.engine) as session:
            recipe = session.get(Recipe, recipe_id)
            if recipe is None:
                return False
            recipe.failures = recipe.failures + 1 if failed else 0
            retired = recipe.failures >= RETIRE_AFTER and recipe.status == ACTIVE
            if retired:
                recipe.status = RETIRED
            recipe.updated_at = self.clock.now()
            session.add(recipe)
            session.commit()
            return retired

    # ---- shipped with Deputy ------------------------------------------------------------------------

    def load_starters(self) -> list[str]:
        """Add the starter recipes Deputy ships (one JSON file each) that are not stored yet, and say a stored
        starter as the shipped one says it."""
        added = []
        with Session(self.engine) as session:
            for data in shipped_starters():
                stored = session.exec(select(Recipe).where(Recipe.name == data["name"])).first()
                if stored is not None:
                    if stored.origin == "starter" and stored.instruction != data["instruction"]:
                        # A newer Deputy says the starter differently (so a skill's task finds it): follow it.
                        stored.instruction = data["instruction"]
                        session.add(stored)
                    continue
                now = self.clock.now()
                recipe = Recipe(
                    id="r_" + secrets.token_hex(6),
                    name=data["name"],
                    instruction=data["instruction"],
                    site=site_of(data["start_url"]),
                    start_url=data["start_url"],
                    variables=sorted(set(VARIABLE.findall(data["instruction"]))),
                    origin="starter",
                    created_at=now,
                    updated_at=now,
                )
                session.add(recipe)
                why = "shipped with Deputy"
                session.add(RecipeVersion(recipe_id=recipe.id, version=1, steps=data["steps"], why=why, created_at=now))
                added.append(recipe.name)
            session.commit()
        return added


def shipped_starters() -> list[dict[str, Any]]:
    """The starter recipes Deputy ships, as their JSON files say (name, instruction, start_url, steps, and
    `examples`: values for their variables that work on the demo sites)."""
    folder = resources.files("backend.recipes").joinpath("starters")
    files = sorted((e for e in folder.iterdir() if e.name.endswith(".json")), key=lambda e: e.name)
    return [json.loads(entry.read_text(encoding="utf-8")) for entry in files]


def starter_command(starter: dict[str, Any], port_option: str = "") -> str:
    """The exact command that runs a starter on the demo sites, its example values filled in."""
    values = starter.get("examples") or {}
    given = "".join(
        f" --var {name}={values.get(name, name.upper())}"
        for name in sorted(set(VARIABLE.findall(starter["instruction"])))
    )
    return f"deputy recipes run {starter['name']}{given}{port_option}"
