"""Recipe candidates on a live Deputy: a scheduled task (nobody watching) run by the scripted model on a real
site is kept as a candidate that never replays; the night's dream proposes it as a "recipe" approval;
approving it makes the next matching task replay with no model call, rejecting it deletes it for good, and a
candidate that typed or opened what a page showed is never proposed. Demo Deploy's service list, and
Harbor's one-page release board, a site unlike it."""

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from sqlmodel import Session, select

from backend.models import ScheduledRun
from backend.servers import ThreadedServer
from tests import web
from tests.integration.agent.conftest import MODEL, find_ref, start_task, wait_ended
from tests.live import Deputy, start_deputy
from tests.model_server import ModelRequest, ModelServer, Reply, text, tool_use
from tests.sites.harbor.app import create_app as harbor_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]


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


@pytest.fixture
def deploy(deploy_server: ThreadedServer) -> str:
    web.post(f"{deploy_server.url}/_test/reset").raise_for_status()
    return deploy_server.url


@pytest.fixture
def harbor() -> Iterator[str]:
    with ThreadedServer(harbor_app()) as server:
        yield server.url


def recorded(deputy: Deputy) -> list[dict[str, Any]]:
    return [r for r in deputy.get("/api/recipes", token=deputy.local_token).json() if r["origin"] == "recorded"]


def proposals(deputy: Deputy) -> list[dict[str, Any]]:
    listed = deputy.get("/api/approvals?status=pending", token=deputy.local_token).json()
    return [a for a in listed if a["kind"] == "recipe"]


def runs_of(deputy: Deputy, schedule_id: str) -> int:
    """How many runs of the job have ended."""
    with Session(deputy.ctx.engine) as session:
        runs = session.exec(select(ScheduledRun).where(ScheduledRun.schedule_id == schedule_id))
        return sum(1 for run in runs if run.finished_at is not None)


def run_job(deputy: Deputy, kind: str, params: dict[str, Any] | None = None) -> str:
    """Add a job and run it now, as the schedule would at its time; returns its id once the run is recorded."""
    body = {"kind": kind, "params": params or {}, "cron": "0 3 * * *"}
    job = deputy.post("/api/schedules", body, token=deputy.local_token)
    assert job.status_code == 201, job.text
    return again(deputy, job.json()["id"])


def again(deputy: Deputy, schedule_id: str) -> str:
    before = runs_of(deputy, schedule_id)
    started = deputy.post(f"/api/schedules/{schedule_id}/run", {}, token=deputy.local_token)
    assert started.status_code == 202, started.text
    deputy.wait(lambda: runs_of(deputy, schedule_id) > before, 90, f"a run of job {schedule_id}")
    return schedule_id


def diary(deputy: Deputy) -> str:
    return "\n".join(p.read_text() for p in sorted((deputy.settings.data_dir / "dreams").glob("*.md")))


def shown(req: ModelRequest) -> str:
    """Everything the model was shown in the last message: the page text a model would copy from."""
    content = req.messages[-1]["content"]
    if isinstance(content, str):
        return content
    texts = [b.get("text", "") for b in content if b.get("type") == "text"]
    return "\n".join(texts + [str(b.get("content", "")) for b in content if b.get("type") == "tool_result"])


def status_check(name: str) -> list[Any]:
    def open_service(req: ModelRequest) -> Reply:
        return text(f"Opening {name}.") + tool_use("click", {"ref": find_ref(req, "link", name)})

    return [
        open_service,
        tool_use("extract_text", {"max_chars": 1500}),
        tool_use("finish_task", {"summary": f"{name} is healthy."}),
    ]


def test_an_unattended_run_becomes_a_candidate_and_replays_only_once_approved(
    deputy: Deputy, model: ModelServer, deploy: str
) -> None:
    token = deputy.local_token
    model.set_script(status_check("checkout-api"))
    run_job(deputy, "task", {"instruction": "Check the status of checkout-api", "url": deploy + "/"})
    [candidate] = deputy.wait(lambda: recorded(deputy), 30, "the candidate")
    assert candidate["status"] == "candidate" and candidate["instruction"] == "Check the status of {{name}}"
    learned_calls = len(model.message_requests)
    assert candidate["learned_calls"] == learned_calls == 3

    # Never replayed: the same ask goes to the model, and running the recipe by name is refused with a reason.
    model.set_script([tool_use("finish_task", {"summary": "Looked."})])
    asked = start_task(deputy, "Check the status of web-frontend", url=deploy + "/")
    assert wait_ended(deputy, asked)["model_calls"] == 1
    refused = deputy.post(f"/api/recipes/{candidate['name']}/run", {"variables": {"name": "x"}}, token=token)
    assert refused.status_code == 409 and "approve" in refused.json()["detail"]

    run_job(deputy, "dream")
    [proposal] = deputy.wait(lambda: proposals(deputy), 30, "the recipe proposal")
    assert proposal["params"]["instruction"] == "Check the status of {{name}}"
    assert proposal["params"]["site"] in deploy
    assert any("{{name}}" in step for step in proposal["objects"])  # the steps as sentences
    assert "model call" in proposal["policy_reason"] and "$0" in proposal["policy_reason"]
    assert "recipe: Check the status of {{name}}" in diary(deputy)

    edited = deputy.post(f"/api/approvals/{proposal['id']}/approve", {"edits": {"ref": None}}, token=token)
    assert edited.status_code == 422 and "takes no edits" in edited.json()["detail"]
    answer = deputy.post(f"/api/approvals/{proposal['id']}/approve", {}, token=token)
    assert answer.status_code == 200, answer.text
    deputy.wait(lambda: recorded(deputy)[0]["status"] == "active", 30, "the recipe to become active")

    calls = len(model.message_requests)
    replayed = start_task(deputy, "Check the status of web-frontend", url=deploy + "/")
    ended = wait_ended(deputy, replayed)
    assert ended["status"] == "finished", ended
    assert ended["model_calls"] == 0 and len(model.message_requests) == calls
    assert "web-frontend" in ended["claim"]


def test_a_rejected_candidate_is_deleted_and_not_proposed_again(
    deputy: Deputy, model: ModelServer, harbor: str
) -> None:
    token = deputy.local_token
    read_board = [
        tool_use("extract_text", {"max_chars": 2000}),
        tool_use("finish_task", {"summary": "r42 is serving."}),
    ]
    model.set_script(read_board)
    job = run_job(deputy, "task", {"instruction": "Read the release board", "url": harbor + "/"})
    deputy.wait(lambda: recorded(deputy), 30, "the candidate")
    dream = run_job(deputy, "dream")
    [proposal] = deputy.wait(lambda: proposals(deputy), 30, "the recipe proposal")
    assert proposal["params"]["steps"] and proposal["params"]["asks"] == []
    assert "none asks" in proposal["policy_reason"]

    answer = deputy.post(f"/api/approvals/{proposal['id']}/reject", {"reason": "not needed"}, token=token)
    assert answer.status_code == 200, answer.text
    deputy.wait(lambda: recorded(deputy) == [], 30, "the candidate to be deleted")

    # The job runs again the next morning and learns the same candidate; the night drops it unasked.
    model.set_script(read_board)
    again(deputy, job)
    deputy.wait(lambda: recorded(deputy), 30, "the candidate learned again")
    again(deputy, dream)
    assert proposals(deputy) == []
    assert recorded(deputy) == []
    assert "you turned this recipe down before" in diary(deputy)


def type_newest_deployment(req: ModelRequest) -> Reply:
    newest = re.findall(r"\bd-\d{4,}\b", shown(req))[0]
    box = find_ref(req, "searchbox", "Filter services")
    return text("Filtering.") + tool_use("type_text", {"ref": box, "text": newest})


def open_with_event_text(url: str) -> Callable[[ModelRequest], Reply]:
    def step(req: ModelRequest) -> Reply:
        event = re.search(r"r42 promoted by [a-z-]+", shown(req))
        assert event is not None, "the board's events were not shown"
        return tool_use("navigate", {"url": f"{url}/?q={quote(event.group(0))}"})

    return step


@pytest.mark.parametrize("site", ["deploy", "harbor"])
def test_a_candidate_that_used_what_a_page_showed_is_dropped_with_a_diary_line(
    deputy: Deputy, model: ModelServer, site: str, request: pytest.FixtureRequest
) -> None:
    url: str = request.getfixturevalue(site)
    if site == "deploy":
        instruction, first = "Find the service of the newest deployment", type_newest_deployment
    else:
        instruction, first = "Find who promoted the live release", open_with_event_text(url)
    model.set_script([first, tool_use("extract_text", {}), tool_use("finish_task", {"summary": "Done."})])
    run_job(deputy, "task", {"instruction": instruction, "url": url + "/"})
    [candidate] = deputy.wait(lambda: recorded(deputy), 30, "the candidate")
    assert candidate["status"] == "candidate"

    run_job(deputy, "dream")
    assert proposals(deputy) == []
    assert recorded(deputy) == []
    page = diary(deputy)
    assert f"the recipe candidate {candidate['name']!r}" in page
    assert "Deputy read on a page, so it was deleted and not proposed" in page
    assert "r42 promoted" not in page and not re.search(r"\bd-\d{4,}\b", page)  # the page's words stay out
