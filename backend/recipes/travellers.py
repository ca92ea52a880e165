"""Recipes that fill a traveller's details: their steps write `{{traveller.…}}` placeholders, so a replay runs
as a check-in does. The profile is lent to the task's tab (the browser layer fills the values, nothing else
sees them) and the task gets the check-in's grants for the form's writes; declarations, the final button and
anything that costs money still ask."""

from pathlib import Path
from typing import Any

from sqlmodel import Session

from backend.browser.session import BrowserSession
from backend.models import Task
from backend.recipes.library import RecipeError
from backend.recipes.template import strings_of
from backend.skills.checkin.start import GRANTS
from backend.traveller.placeholders import Personal, mentions_placeholder
from backend.traveller.vault import ProfileUnreadable, Vault


def travellers_for(data_dir: Path, name: str, steps: list[dict[str, Any]]) -> Personal | None:
    """The travellers a replay of these steps needs, or None when no step fills personal details; raises
    RecipeError before any task exists when they are needed and there is no profile to fill them from."""
    if not any(mentions_placeholder(text) for step in steps for text in strings_of(step.get("params") or {})):
        return None
    try:
        travellers = Personal.of(Vault(data_dir).load())
    except ProfileUnreadable as error:
        raise RecipeError(str(error)) from None
    if not travellers.people:
        raise RecipeError(
            f"Recipe {name!r} fills a traveller's details and there is no traveller profile yet: "
            "add yourself with `deputy profile set`."
        )
    return travellers


def lend(session: Session, browser: BrowserSession | None, task: Task, travellers: Personal | None) -> None:
    """Give the task the travellers and the check-in's grants (the caller commits)."""
    if travellers is None or browser is None:
        return
    task.grants = [*task.grants, *GRANTS]
    session.add(task)
    browser.lend(task.id, travellers)
