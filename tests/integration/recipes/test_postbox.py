"""Postbox, a plain server-rendered webmail: a move to the bin learned for one sender replays for another,
finding that sender's row by its context, and still asks before the write."""

import pytest

from tests.integration.agent.conftest import find_ref
from tests.integration.recipes.conftest import approve, learned_from, recipes, start_task, wait_ended
from tests.live import Deputy
from tests.model_server import ModelRequest, ModelServer, text, tool_use
from tests.sites.postbox.client import messages, reset

pytestmark = pytest.mark.browser


def bin_priya(req: ModelRequest):
    # The fourth row's own "Move to Bin" (after the toolbar's): Priya Nair's message.
    return text("Moving it to the bin.") + tool_use("click", {"ref": find_ref(req, "button", "Move to Bin", nth=4)})


def folder_of(url: str, subject: str) -> set[str]:
    return {m["folder"] for m in messages(url) if m["subject"] == subject}


def test_a_learned_move_replays_for_another_sender_and_asks_first(
    deputy: Deputy, model: ModelServer, postbox_server
) -> None:
    url = postbox_server.url
    reset(url)
    model.set_script([bin_priya, tool_use("finish_task", {"summary": "Binned."})])
    first = start_task(deputy, "Move the mail from Priya Nair to the bin", url=url + "/folder/inbox")
    asked = approve(deputy, first)
    assert "Priya Nair" in str(asked), asked
    assert wait_ended(deputy, first)["status"] == "finished"
    assert folder_of(url, "Draft floor plan for the kitchen") == {"bin"}
    calls = len(model.message_requests)
    learned = learned_from(deputy, first)
    assert recipes(deputy) == [learned]
    assert learned["instruction"] == "Move the mail from {{name}} to the bin"

    again = start_task(deputy, "Move the mail from Tomás Ferreira to the bin", url=url + "/folder/inbox")
    asked = approve(deputy, again)
    assert "Tomás Ferreira" in str(asked) and "Priya" not in str(asked)
    ended = wait_ended(deputy, again)
    assert ended["status"] == "finished", ended
    assert folder_of(url, "Bike ride on Saturday?") == {"bin"}
    assert folder_of(url, "Sunday lunch") == {"inbox"}
    assert len(model.message_requests) == calls and ended["model_calls"] == 0
