"""A kept note reaches the agent's model as a preference: the dream job runs on a live Deputy, the person
approves its note through the API, and the next task's request to the (scripted) Messages API carries it in
the system prompt, marked as a preference. Nothing in the policy changes."""

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from backend.db import make_engine
from backend.models import Approval, ApprovalStatus
from backend.tasks import new_task
from tests.live import Deputy, start_deputy
from tests.model_server import ModelServer, tool_use


@pytest.fixture
def model() -> Iterator[ModelServer]:
    with ModelServer([tool_use("finish_task", {"summary": "Nothing to do."})]) as server:
        yield server


@pytest.fixture
def deputy(tmp_path: Path, model: ModelServer) -> Iterator[Deputy]:
    with start_deputy(tmp_path / "data", anthropic_api_key="test-key", anthropic_base_url=model.base_url) as server:
        yield server


def turned_down_twice(deputy: Deputy, action: str) -> None:
    engine = make_engine(deputy.settings.sqlalchemy_url)
    now = deputy.clock.now()
    with Session(engine) as session:
        task = new_task(session, "Tidy my inbox", now - timedelta(hours=2))
        session.commit()
        for n in range(2):
            session.add(
                Approval(
                    id=f"ap_no{n}",
                    task_id=task.id,
                    action=action,
                    risk="irreversible",
                    policy_reason="Irreversible: always asks.",
                    fingerprint="seed",
                    status=ApprovalStatus.REJECTED,
                    created_at=now - timedelta(hours=1),
                    expires_at=now,
                    decided_at=now - timedelta(minutes=30),
                    decided_by="user:extension",
                )
            )
        session.commit()
    engine.dispose()


def pending_notes(deputy: Deputy) -> list[dict[str, Any]]:
    listed = deputy.get("/api/approvals?status=pending", token=deputy.local_token).json()
    return [a for a in listed if a["kind"] == "note"]


def test_an_approved_note_is_in_the_next_agent_prompt(deputy: Deputy, model: ModelServer) -> None:
    token = deputy.local_token
    turned_down_twice(deputy, "unsubscribe")
    job = deputy.post("/api/schedules", {"kind": "dream", "cron": "0 3 * * *"}, token=token)
    assert job.status_code == 201, job.text
    started = deputy.post(f"/api/schedules/{job.json()['id']}/run", {}, token=token)
    assert started.status_code == 202, started.text
    (note,) = deputy.wait(lambda: pending_notes(deputy), 30, "the dream's note")
    assert "unsubscribe" in note["summary"]

    answer = deputy.post(f"/api/approvals/{note['id']}/approve", {}, token=token)
    assert answer.status_code == 200, answer.text
    deputy.wait(lambda: deputy.get("/api/approvals?status=executed", token=token).json(), 30, "the note to be kept")

    task = deputy.post("/api/tasks", {"instruction": "Anything new?"}, token=token)
    assert task.status_code == 201, task.text
    deputy.wait(lambda: model.message_requests, 60, "the agent's first model call")
    system = model.message_requests[0].body["system"]
    text = system if isinstance(system, str) else "\n".join(block["text"] for block in system)
    assert "## The person's preferences (notes they approved)" in text
    assert "not permissions" in text
    assert "Usually says no when asked to unsubscribe" in text
