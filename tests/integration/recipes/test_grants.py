"""Granting one step of one recipe, on a parish newsletter unlike any demo site: "Publish" asks on every
replay until the user grants that step of that recipe; then it runs without asking there and nowhere else (a
recipe doing the same on the same page still asks), a revoked grant asks again, and a step that pays cannot be
granted at all."""

import html
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from backend.servers import ThreadedServer
from tests import web
from tests.cli import Result, deputy_cli
from tests.integration.agent.conftest import find_ref
from tests.integration.recipes.conftest import approve, learned_from, start_task, task_state, wait_ended
from tests.live import Deputy
from tests.model_server import ModelRequest, ModelServer, text, tool_use

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def newsletter() -> FastAPI:
    app = FastAPI()
    issue: dict[str, list[str]] = {"published": [], "boosted": []}

    @app.get("/", response_class=HTMLResponse)
    def home() -> str:
        items = "".join(f"<article><p>{html.escape(n)}</p></article>" for n in issue["published"])
        return (
            "<!doctype html><title>St Brendan's Weekly</title><main><h1>St Brendan's parish weekly</h1>"
            '<form method="post" action="/items"><label>Item <textarea name="item"></textarea></label>'
            '<button type="submit">Publish</button></form>'
            '<form method="post" action="/boost"><button type="submit">Feature on the front page for €5</button></form>'
            f"<section aria-label='This week'>{items}</section></main>"
        )

    @app.post("/items")
    async def publish(request: Request) -> RedirectResponse:
        issue["published"].append(parse_qs((await request.body()).decode()).get("item", [""])[0])
        return RedirectResponse("/", status_code=303)

    @app.post("/boost")
    async def boost() -> RedirectResponse:
        issue["boosted"].append("front page")
        return RedirectResponse("/", status_code=303)

    @app.get("/_test/issue")
    def state() -> dict[str, list[str]]:
        return issue

    return app


@pytest.fixture
def paper() -> Iterator[ThreadedServer]:
    with ThreadedServer(newsletter()) as server:
        yield server


def published(paper: ThreadedServer) -> list[str]:
    return list(web.get(f"{paper.url}/_test/issue").json()["published"])


def write(req: ModelRequest):
    return tool_use("type_text", {"ref": find_ref(req, "textbox", "Item"), "text": "Bake sale Sunday"})


def press(name: str):
    return lambda req: text("Pressing it.") + tool_use("click", {"ref": find_ref(req, "button", name)})


def learn(deputy: Deputy, model: ModelServer, paper: ThreadedServer, instruction: str, button: str) -> str:
    model.set_script([write, press(button), tool_use("finish_task", {"summary": "Done."})])
    task = start_task(deputy, instruction, url=paper.url + "/")
    approve(deputy, task)
    assert wait_ended(deputy, task)["status"] == "finished"
    return str(learned_from(deputy, task)["name"])


def replay_asks(deputy: Deputy, instruction: str, paper: ThreadedServer) -> bool:
    """Run the instruction (it replays a recipe); True when it asked before publishing (then approved)."""
    task = start_task(deputy, instruction, url=paper.url + "/")
    asked = deputy.wait(
        lambda: (
            deputy.get(f"/api/approvals?status=pending&task_id={task}", token=deputy.local_token).json()
            or task_state(deputy, task)["status"] in ("finished", "failed")
        ),
        60,
        f"task {task} to ask or end",
    )
    if isinstance(asked, list):
        approve(deputy, task)
    ended = wait_ended(deputy, task)
    assert ended["status"] == "finished" and ended["model_calls"] == 0, ended
    return isinstance(asked, list)


def cli(deputy: Deputy, *args: str) -> Result:
    common = ["--port", str(deputy.port), "--data-dir", str(deputy.settings.data_dir)]
    return deputy_cli("recipes", *args, *common, env={"COLUMNS": "160"})


def test_a_granted_step_stops_asking_for_that_recipe_only(
    deputy: Deputy, model: ModelServer, paper: ThreadedServer
) -> None:
    weekly = learn(deputy, model, paper, "Publish the item 'Bake sale Sunday'", "Publish")
    other = learn(deputy, model, paper, "Put 'Bake sale Sunday' in the weekly", "Publish")
    calls = len(model.message_requests)

    assert replay_asks(deputy, "Publish the item 'Choir practice moved'", paper)  # before the grant: asks
    refused = deputy.post(f"/api/recipes/{weekly}/steps/1/grant", {}, token=deputy.local_token)
    assert refused.status_code == 422 and "never asks" in refused.json()["detail"]
    missing = deputy.post(f"/api/recipes/{weekly}/steps/9/grant", {}, token=deputy.local_token)
    assert missing.status_code == 422 and "steps 1 to 2" in missing.json()["detail"]

    granted = cli(deputy, "grant", weekly, "2")
    assert granted.returncode == 0, granted.stderr
    assert "runs without asking" in granted.stdout and "Traceback" not in granted.stdout + granted.stderr
    assert "granted" in cli(deputy, "show", weekly).stdout

    assert not replay_asks(deputy, "Publish the item 'Harvest supper'", paper)  # granted: no question
    assert replay_asks(deputy, "Put 'Flower rota' in the weekly", paper)  # another recipe still asks
    assert published(paper)[-3:] == ["Choir practice moved", "Harvest supper", "Flower rota"]

    revoked = web.delete(
        f"{deputy.url}/api/recipes/{weekly}/steps/2/grant", headers={"Authorization": f"Bearer {deputy.local_token}"}
    )
    assert revoked.status_code == 200 and revoked.json()["granted_steps"] == []
    assert replay_asks(deputy, "Publish the item 'Jumble sale'", paper)  # revoked: asks again
    again = cli(deputy, "revoke", weekly, "2")
    assert again.returncode != 0 and "was not granted" in again.stdout + again.stderr
    assert len(model.message_requests) == calls  # every replay ran with no model call
    assert other


def test_a_step_that_pays_cannot_be_granted(deputy: Deputy, model: ModelServer, paper: ThreadedServer) -> None:
    boost = learn(deputy, model, paper, "Feature the item 'Bake sale Sunday'", "Feature on the front page for €5")
    shown: dict[str, Any] = deputy.get(f"/api/recipes/{boost}", token=deputy.local_token).json()
    assert shown["versions"][0]["steps"][1]["risk"] == "irreversible"
    refused = deputy.post(f"/api/recipes/{boost}/steps/2/grant", {}, token=deputy.local_token)
    assert refused.status_code == 422 and "payments ask every time" in refused.json()["detail"]
    told = cli(deputy, "grant", boost, "2")
    assert told.returncode != 0 and "payments ask every time" in told.stdout + told.stderr
