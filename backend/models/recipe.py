"""Recipes: a finished task's steps, replayed without the model. Every version is kept."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import JSON, Column
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel


class Recipe(SQLModel, table=True):
    __tablename__ = "recipe"

    id: str = SQLField(primary_key=True, max_length=32)
    name: str = SQLField(index=True, unique=True, max_length=80)
    # The instruction with what differs between runs as {{variables}}; a task matches it and its site.
    instruction: str
    site: str = SQLField(max_length=300)  # host[:port] of the start page
    start_url: str
    variables: list[str] = SQLField(default_factory=list, sa_column=Column(JSON, nullable=False))
    version: int = 1  # the version that replays
    status: str = SQLField(default="active", max_length=16)  # active | candidate (learned unwatched) | retired
    failures: int = 0  # failed replays in a row; two retire the recipe
    origin: str = SQLField(default="recorded", max_length=16)  # recorded | starter
    source_task_id: str | None = SQLField(default=None, max_length=32)
    # What the model run it was learned from cost: the "same work last time" beside a replay's $0.
    learned_micro_usd: int = 0
    learned_calls: int = 0
    learned_tokens: int = 0
    created_at: datetime
    updated_at: datetime


class RecipeVersion(SQLModel, table=True):
    __tablename__ = "recipe_version"

    id: int | None = SQLField(default=None, primary_key=True)
    recipe_id: str = SQLField(index=True, max_length=32)
    version: int
    steps: list[dict[str, Any]] = SQLField(default_factory=list, sa_column=Column(JSON, nullable=False))
    why: str  # recorded from a task, healed step N, shipped with Deputy
    created_at: datetime


class RecipeGrant(SQLModel, table=True):
    """The user let one step of one recipe run without asking: bound to what the step did (its action and the
    kind of target) on the recipe's own site, so a healed step that now presses something else asks again."""

    __tablename__ = "recipe_grant"

    id: int | None = SQLField(default=None, primary_key=True)
    recipe_id: str = SQLField(index=True, max_length=32)
    step: int  # counted from 1, as the user sees the steps
    action: str = SQLField(max_length=40)
    kind: str = SQLField(max_length=120)
    site: str = SQLField(max_length=300)
    created_at: datetime


class RecipeVersionPublic(BaseModel):
    version: int
    why: str
    created_at: datetime
    steps: list[dict[str, Any]]


class RecipePublic(BaseModel):
    id: str
    name: str
    instruction: str
    site: str
    start_url: str
    variables: list[str]
    version: int
    status: str
    failures: int
    origin: str
    source_task_id: str | None
    learned_micro_usd: int
    learned_calls: int
    steps: int
    created_at: datetime
    updated_at: datetime


class RecipeRun(BaseModel):
    """Run a recipe now: its start page (or another page of a site like it) and its variables' values."""

    url: str | None = None
    variables: dict[str, str] = {}
