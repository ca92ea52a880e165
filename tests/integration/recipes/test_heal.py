"""Self-healing and retiring, on a harbour noticeboard unlike any demo site: a renamed button costs one model
call (tools limited to picking the target) and a new version, the old kept; two failed replays in a row retire
the recipe and the user is told."""

import html
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from backend.servers import ThreadedServer
from tests import web
from tests.integration.agent.conftest import find_ref
from tests.integration.recipes.conftest import approve, learned_from, recipes, start_task, wait_ended
from tests.live import Deputy
from tests.model_server import ModelRequest, ModelServer, text, tool_use

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def noticeboard() -> FastAPI:
    app = FastAPI()
    board: dict[str, Any] = {"label": "Pin notice", "notices": []}

    @app.get("/", response_class=HTMLResponse)
    def home() -> str:
        pinned = "".join(f"<li>{html.escape(n)}</li>" for n in board["notices"])
        button = f'<button type="submit">{html.escape(board["label"])}</button>' if board["label"] else ""
        return (
            "<!doctype html><title>Harbour Bell</title><h1>Harbour Bell noticeboard</h1>"
            f'<form method="post" action="/notices"><label>Notice <input name="notice"></label>{button}</form>'
            f"<h2>On the board</h2><ul>{pinned}</ul>"
        )

    async def field(request: Request, name: str) -> str:
        return parse_qs((await request.body()).decode()).get(name, [""])[0]

    @app.post("/notices")
    async def pin(request: Request) -> RedirectResponse:
        board["notices"].append(await field(request, "notice"))
        return RedirectResponse("/", status_code=303)

    @app.post("/_test/label")
    async def relabel(request: Request) -> dict[str, str]:
        board["label"] = await field(request, "label")
        return {"label": board["label"]}

    @app.get("/_test/notices")
    def notices() -> list[str]:
        return list(board["notices"])

    return app


@pytest.fixture
def board() -> Iterator[ThreadedServer]:
    with ThreadedServer(noticeboard()) as server:
        yield server


def relabel(board: ThreadedServer, label: str) -> None:
    web.post(f"{board.url}/_test/label", data={"label": label}).raise_for_status()


def pinned(board: ThreadedServer) -> list[str]:
    return list(web.get(f"{board.url}/_test/notices").json())


def type_notice(req: ModelRequest):
    return tool_use("type_text", {"ref": find_ref(req, "textbox", "Notice"), "text": "Ferry delayed"})


def pin(req: ModelRequest):
    return text("Pinning it.") + tool_use("click", {"ref": find_ref(req, "button", "Pin notice")})


def learn(deputy: Deputy, model: ModelServer, board: ThreadedServer) -> dict[str, Any]:
    model.set_script([type_notice, pin, tool_use("finish_task", {"summary": "Pinned."})])
    first = start_task(deputy, "Pin the notice 'Ferry delayed'", url=board.url + "/")
    approve(deputy, first)
    assert wait_ended(deputy, first)["status"] == "finished"
    learned = learned_from(deputy, first)
    assert recipes(deputy) == [learned]
    assert learned["instruction"] == "Pin the notice '{{name}}'"
    return learned


def test_a_renamed_button_heals_with_one_call_and_keeps_the_old_version(
    deputy: Deputy, model: ModelServer, board: ThreadedServer
) -> None:
    learned = learn(deputy, model, board)
    calls = len(model.message_requests)
    relabel(board, "Put on board")
    model.set_script(
        [lambda req: tool_use("pick_target", {"ref": find_ref(req, "button", "Put on board"), "why": "Renamed."})]
    )
    again = start_task(deputy, "Pin the notice 'Cafe closed Monday'", url=board.url + "/")
    asked = approve(deputy, again)  # the healed step is still a write: it asks
    assert "Put on board" in asked["target"]
    ended = wait_ended(deputy, again)
    assert ended["status"] == "finished", ended
    assert pinned(board) == ["Ferry delayed", "Cafe closed Monday"]
    heal = model.message_requests[calls:]
    assert len(heal) == 1 and ended["model_calls"] == 1
    assert [tool["name"] for tool in heal[0].body["tools"]] == ["pick_target"]
    assert "Pin the notice 'Cafe closed Monday'" in heal[0].body["messages"][0]["content"][0]["text"]

    shown = deputy.get(f"/api/recipes/{learned['id']}", token=deputy.local_token).json()
    assert shown["version"] == 2
    newest, oldest = shown["versions"]
    assert newest["why"] == "healed step 2" and newest["steps"][1]["target"]["name"] == "Put on board"
    assert oldest["version"] == 1 and oldest["steps"][1]["target"]["name"] == "Pin notice"

    third = start_task(deputy, "Pin the notice 'Tide table updated'", url=board.url + "/")
    approve(deputy, third)
    assert wait_ended(deputy, third)["status"] == "finished"
    assert len(model.message_requests) == calls + 1  # the healed version replays with no call


def test_two_failed_replays_in_a_row_retire_the_recipe(
    deputy: Deputy, model: ModelServer, board: ThreadedServer
) -> None:
    learn(deputy, model, board)
    calls = len(model.message_requests)
    relabel(board, "")  # no button at all: nothing can be repaired
    model.set_script([tool_use("pick_target", {"ref": ""}), tool_use("pick_target", {"ref": ""})])
    once = wait_ended(deputy, start_task(deputy, "Pin the notice 'Gale warning'", url=board.url + "/"))
    assert once["status"] == "failed" and "retired" not in once["summary"]
    assert recipes(deputy)[0]["status"] == "active" and recipes(deputy)[0]["failures"] == 1
    twice = wait_ended(deputy, start_task(deputy, "Pin the notice 'Gale warning'", url=board.url + "/"))
    assert twice["status"] == "failed"
    assert "failed twice in a row, so it is retired" in twice["summary"]
    assert recipes(deputy)[0]["status"] == "retired"
    assert len(model.message_requests) == calls + 2  # one repair attempt per replay
    assert pinned(board) == ["Ferry delayed"]
