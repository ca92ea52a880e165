"""'Ask Deputy to…' end to end: a task on the page the user is looking at, run by Deputy's agent (a scripted
model server stands in for Claude), its live cost and step in the popup, and its approval answered there."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.async_api import expect

from tests.e2e.conftest import Chrome, Mailbox, api, pair_in_options, until
from tests.integration.agent.conftest import find_ref
from tests.live import Deputy, start_deputy
from tests.model_server import ModelRequest, ModelServer, text, tool_use
from tests.model_server.script import Reply


def tick_first_row(request: ModelRequest) -> Reply:
    return text("Selecting the newest message.") + tool_use("check", {"ref": find_ref(request, "checkbox", "Select")})


def click_archive(request: ModelRequest) -> Reply:
    return text("It is a newsletter; archiving it.") + tool_use(
        "click", {"ref": find_ref(request, "button", "Archive")}
    )


@pytest.fixture
def model() -> Iterator[ModelServer]:
    with ModelServer([]) as server:
        yield server


@pytest.fixture
def agent(tmp_path: Path, model: ModelServer) -> Iterator[Deputy]:
    with start_deputy(
        tmp_path / "data", anthropic_api_key="test-key", anthropic_base_url=model.base_url, model="claude-sonnet-4-6"
    ) as server:
        yield server


async def test_ask_deputy_on_this_page_then_approve_in_the_popup(
    chrome: Chrome, agent: Deputy, model: ModelServer, mailbox: Mailbox
) -> None:
    model.set_script([tick_first_row, click_archive, tool_use("finish_task", {"summary": "Archived one newsletter."})])
    await (await pair_in_options(chrome, agent)).close()
    popup = await chrome.popup()
    await expect(popup.get_by_text("Nothing needs your OK")).to_be_visible()
    # The user is looking at their mail; the popup belongs to that tab.
    mail = await chrome.context.new_page()
    await mail.goto(mailbox.url)
    await mail.bring_to_front()
    await popup.get_by_label("Ask Deputy to…").fill("Archive the newest message")
    await popup.get_by_role("button", name="Start").click()
    await expect(popup.locator("#ask-result")).to_contain_text("Started")

    tasks = (await api(agent, "GET", "/api/tasks")).json()
    assert [(t["instruction"], t["url"]) for t in tasks] == [("Archive the newest message", mailbox.url)]
    # The task is shown at work with its cost so far, then Deputy asks before archiving.
    working = popup.locator("#tasks li", has_text="Archive the newest message")
    await expect(working).to_contain_text("Waiting for your approval")
    await expect(working.locator(".task-cost")).not_to_have_text("$0.00")
    card = popup.locator("article.card")
    await expect(card).to_contain_text("It is a newsletter; archiving it.")
    assert await mailbox.whats() == []
    await card.get_by_role("button", name="Approve").click()
    await until(lambda: _finished(agent, tasks[0]["id"]), "the task to finish")
    assert await mailbox.whats() == ["archive"]
    await expect(working).to_have_count(0)


async def _finished(deputy: Deputy, task_id: str) -> bool:
    return (await api(deputy, "GET", f"/api/tasks/{task_id}")).json()["status"] == "finished"
