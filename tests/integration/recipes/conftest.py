"""Recipes end to end: a task the scripted model does once, then replayed from its recipe."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.integration.agent.conftest import MODEL, start_task, task_state, wait_ended, wait_pending
from tests.live import Deputy, start_deputy
from tests.model_server import ModelServer

__all__ = ["approve", "recipes", "start_task", "task_state", "wait_ended", "wait_pending"]


@pytest.fixture
def model() -> Iterator[ModelServer]:
    with ModelServer([]) as server:
        yield server


@pytest.fixture
def deputy(tmp_path: Path, model: ModelServer) -> Iterator[Deputy]:
    with start_deputy(
        tmp_path / "data", anthropic_api_key="test-key", anthropic_base_url=model.base_url, model=MODEL
    ) as server:
        yield server


def approve(deputy: Deputy, task_id: str) -> dict[str, Any]:
    """Approve the task's next approval; returns it as it was shown."""
    approval = wait_pending(deputy, task_id)
    answered = deputy.post(f"/api/approvals/{approval['id']}/approve", {}, token=deputy.local_token)
    assert answered.status_code == 200, answered.text
    return approval


def recipes(deputy: Deputy) -> list[dict[str, Any]]:
    return [r for r in deputy.get("/api/recipes", token=deputy.local_token).json() if r["origin"] == "recorded"]


def learned_from(deputy: Deputy, task_id: str) -> dict[str, Any]:
    """The recipe learned from `task_id`: it is learned just after the task ends, so a look at once may be early."""
    return deputy.wait(
        lambda: next((r for r in recipes(deputy) if r["source_task_id"] == task_id), None),
        20,
        f"a recipe learned from task {task_id}",
    )
