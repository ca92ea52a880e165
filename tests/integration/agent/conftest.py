"""Deputy with its agent pointed at the scripted Messages API server, acting on the demo sites."""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import web
from tests.live import Deputy, start_deputy
from tests.model_server import ModelRequest, ModelServer

MODEL = "claude-sonnet-4-6"


@pytest.fixture
def model() -> Iterator[ModelServer]:
    with ModelServer([]) as server:
        yield server


@pytest.fixture
def agent(tmp_path: Path, model: ModelServer) -> Iterator[Deputy]:
    with start_deputy(
        tmp_path / "data", anthropic_api_key="test-key", anthropic_base_url=model.base_url, model=MODEL
    ) as server:
        yield server


def fresh_mailbox(mail_url: str) -> str:
    return web.post(f"{mail_url}/_test/mailboxes").raise_for_status().json()["url"]


def mail_changes(box_url: str) -> list[dict[str, Any]]:
    return web.get(f"{box_url}_test/changes").json()["changes"]


def find_ref(request: ModelRequest, role: str, name: str, nth: int = 0) -> str:
    """The ref of an element the model was shown, newest page text first (as a model would read it)."""
    pattern = re.compile(rf'\[(e\d+)\] {re.escape(role)} "{re.escape(name)}"')
    for message in reversed(request.messages):
        if message["role"] != "user" or isinstance(message["content"], str):
            continue
        texts = [b.get("text", "") for b in message["content"] if b.get("type") == "text"]
        texts += [str(b.get("content", "")) for b in message["content"] if b.get("type") == "tool_result"]
        found = [m.group(1) for text in texts for m in pattern.finditer(text)]
        if len(found) > nth:
            return found[nth]
    raise AssertionError(f"the model was never shown a {role} named {name!r}")


def start_task(deputy: Deputy, instruction: str, url: str | None = None, budget: float | None = None) -> str:
    body: dict[str, Any] = {"instruction": instruction}
    if url:
        body["url"] = url
    if budget is not None:
        body["budget_usd"] = budget
    response = deputy.post("/api/tasks", body, token=deputy.local_token)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def task_state(deputy: Deputy, task_id: str) -> dict[str, Any]:
    return deputy.get(f"/api/tasks/{task_id}", token=deputy.local_token).json()


def wait_ended(deputy: Deputy, task_id: str, within: float = 60) -> dict[str, Any]:
    return deputy.wait(
        lambda: (t := task_state(deputy, task_id))["status"] in ("finished", "failed", "cancelled") and t,
        within,
        f"task {task_id} to end",
    )


def wait_pending(deputy: Deputy, task_id: str, within: float = 30) -> dict[str, Any]:
    def pending() -> Any:
        found = deputy.get(f"/api/approvals?status=pending&task_id={task_id}", token=deputy.local_token).json()
        return found[0] if found else None

    return deputy.wait(pending, within, f"an approval for task {task_id}")
