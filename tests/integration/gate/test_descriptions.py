"""Approvals say what they change: the message, the rows, the form's values, as a person would name them."""

from tests import web
from tests.integration.gate.conftest import Mailbox, make_task
from tests.live import Deputy


def propose(deputy: Deputy, task_id: str, action: str, **params: object):
    return deputy.run(deputy.ctx.executor.propose(task_id, action, params, reason="test"))


def refs(deputy: Deputy, task_id: str, role: str, name: str) -> list[str]:
    async def find() -> list[str]:
        tab = await deputy.ctx.browser.tab(task_id)
        await tab.settle()
        snap = await tab.snapshot()
        return [e.ref for e in snap.elements.values() if e.role == role and e.name == name]

    return deputy.run(find())


def subjects(mailbox: Mailbox) -> list[str]:
    listed = web.get(f"{mailbox.base}api/messages?view=inbox").json()
    return [m["subject"] for m in listed["messages"]]


def approval(deputy: Deputy, approval_id: str) -> dict:
    return deputy.get(f"/api/approvals/{approval_id}", token=deputy.local_token).json()


def test_a_toolbar_action_names_every_ticked_row(deputy: Deputy, mailbox: Mailbox) -> None:
    task = make_task(deputy, url=mailbox.url)
    propose(deputy, task, "navigate", url=mailbox.url)
    boxes = refs(deputy, task, "checkbox", "Select")
    propose(deputy, task, "check", ref=boxes[0])
    propose(deputy, task, "check", ref=boxes[2])
    pending = propose(deputy, task, "click", ref=refs(deputy, task, "button", "Delete")[0])
    card = approval(deputy, pending.approval_id)
    first, third = subjects(mailbox)[0], subjects(mailbox)[2]
    assert card["summary"].startswith("Delete on 2 items: "), card["summary"]
    assert len(card["objects"]) == 2
    assert first in card["objects"][0] and third in card["objects"][1], card["objects"]
    assert "e1" not in card["summary"] and "ref" not in card["summary"]
    assert mailbox.whats() == []


def test_an_action_on_an_open_message_names_that_message(deputy: Deputy, mailbox: Mailbox) -> None:
    task = make_task(deputy, url=mailbox.url)
    propose(deputy, task, "navigate", url=mailbox.url)
    target = subjects(mailbox)[1]

    async def open_second() -> None:
        tab = await deputy.ctx.browser.tab(task)
        snap = await tab.snapshot()
        row = next(e for e in snap.elements.values() if e.role == "clickable" and target in e.name)
        await tab.click(row.ref)
        await tab.settle()

    deputy.run(open_second())
    buttons = refs(deputy, task, "button", "Delete")
    pending = propose(deputy, task, "click", ref=buttons[-1])
    card = approval(deputy, pending.approval_id)
    assert target in card["summary"], card["summary"]
    assert card["objects"] and target in card["objects"][0]
