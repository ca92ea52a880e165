"""Recipes: list, show (every version), delete, and run one now."""

from typing import Any

from fastapi import APIRouter, HTTPException
from pydantic import ValidationError

from backend.api.deps import AppContext, AuthDep, ContextDep, SessionDep, not_found
from backend.api.routes.tasks import public
from backend.models import Recipe, RecipeVersion
from backend.models.recipe import RecipePublic, RecipeRun, RecipeVersionPublic
from backend.models.task import TaskCreate
from backend.recipes.library import Library, RecipeError
from backend.recipes.travellers import lend, travellers_for
from backend.tasks import new_task

router = APIRouter(tags=["recipes"])


def _library(ctx: AppContext) -> Library:
    if ctx.library is None:
        raise HTTPException(409, "Recipes are not loaded yet; try again in a moment.")
    return ctx.library


def _public(recipe: Recipe, steps: int) -> RecipePublic:
    return RecipePublic.model_validate({**recipe.model_dump(), "steps": steps})


def _shown(recipe: Recipe, versions: list[RecipeVersion], granted: list[int]) -> dict[str, Any]:
    current = next((v for v in versions if v.version == recipe.version), None)
    return {
        "granted_steps": granted,
        **_public(recipe, len(current.steps) if current else 0).model_dump(mode="json"),
        "versions": [
            RecipeVersionPublic.model_validate(v.model_dump()).model_dump(mode="json") for v in reversed(versions)
        ],
    }


@router.get("/api/recipes")
def list_recipes(_: AuthDep, ctx: ContextDep) -> list[RecipePublic]:
    return [_public(recipe, steps) for recipe, steps in _library(ctx).all()]


@router.get("/api/recipes/{key}")
def show_recipe(key: str, _: AuthDep, ctx: ContextDep) -> dict[str, Any]:
    try:
        recipe, versions = _library(ctx).get(key)
    except LookupError:
        raise not_found(f"Recipe {key!r}") from None
    return _shown(recipe, versions, _library(ctx).granted_steps(recipe.id))


@router.post("/api/recipes/{key}/steps/{number}/grant")
def grant_step(key: str, number: int, _: AuthDep, ctx: ContextDep) -> dict[str, Any]:
    """Let this step of this recipe run without asking, on the recipe's site; never a payment."""
    library = _library(ctx)
    try:
        library.grant(key, number)
        recipe, versions = library.get(key)
    except LookupError:
        raise not_found(f"Recipe {key!r}") from None
    except RecipeError as error:
        raise HTTPException(422, str(error)) from None
    return _shown(recipe, versions, library.granted_steps(recipe.id))


@router.delete("/api/recipes/{key}/steps/{number}/grant")
def revoke_step(key: str, number: int, _: AuthDep, ctx: ContextDep) -> dict[str, Any]:
    """Make this step ask again."""
    library = _library(ctx)
    try:
        if not library.revoke(key, number):
            raise HTTPException(404, f"Step {number} of recipe {key!r} was not granted.")
        recipe, versions = library.get(key)
    except LookupError:
        raise not_found(f"Recipe {key!r}") from None
    return _shown(recipe, versions, library.granted_steps(recipe.id))


@router.delete("/api/recipes/{key}")
def delete_recipe(key: str, _: AuthDep, ctx: ContextDep) -> RecipePublic:
    try:
        gone = _library(ctx).delete(key)
    except LookupError:
        raise not_found(f"Recipe {key!r}") from None
    return _public(gone, 0)


@router.post("/api/recipes/{key}/run", status_code=201)
def run_recipe(key: str, body: RecipeRun, _: AuthDep, ctx: ContextDep, session: SessionDep) -> dict[str, Any]:
    """Start a task that replays this recipe now, on its start page or on `url`."""
    library = _library(ctx)
    if ctx.recipes is None or ctx.loop is None:
        raise HTTPException(409, ctx.agent_unavailable or "Deputy cannot run tasks right now.")
    try:
        recipe, _versions = library.get(key)
        match, instruction = library.for_run(key, body.variables)
        checked = TaskCreate(instruction=instruction, url=body.url or recipe.start_url)
        travellers = travellers_for(ctx.settings.data_dir, recipe.name, match.steps)
    except LookupError:
        raise not_found(f"Recipe {key!r}") from None
    except RecipeError as error:
        refused = any(word in str(error) for word in ("retired", "candidate", "profile"))
        raise HTTPException(409 if refused else 422, str(error)) from None
    except ValidationError as error:
        raise HTTPException(422, f"Invalid run: {error.errors()[0]['msg']}.") from None
    task = new_task(session, checked.instruction, ctx.clock.now(), url=checked.url)
    lend(session, ctx.browser, task, travellers)
    session.commit()
    session.refresh(task)
    ctx.bus.publish("task.created", {"id": task.id, "instruction": task.instruction, "url": task.url})
    ctx.recipes.assign(task.id, match)
    ctx.loop.call_soon_threadsafe(ctx.recipes.start, task.id)
    return public(session, task)
