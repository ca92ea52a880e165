"""The costs page: 30 days of spend as a chart, cost per outcome, the most expensive tasks, and waste."""

from datetime import timedelta

from playwright.async_api import expect
from sqlmodel import Session

from backend.models import Task, TaskStatus
from backend.tasks import set_status
from tests.e2e.conftest import (
    Chrome,
    Mailbox,
    api,
    make_task,
    propose_archive,
    record_call,
    save_look,
    until,
)
from tests.live import Deputy


def end_task(deputy: Deputy, task_id: str, status: TaskStatus) -> None:
    with Session(deputy.ctx.engine) as session:
        task = session.get(Task, task_id)
        assert task is not None
        set_status(session, task, status, deputy.clock.now())
        session.commit()


async def test_costs_page_shows_spend_outcomes_top_tasks_and_waste(
    paired: Chrome, deputy: Deputy, mailbox: Mailbox
) -> None:
    await api(deputy, "POST", "/api/rules", {"kind": "budget_day", "value": {"usd": 1.0}})
    now = deputy.clock.now()
    triage = make_task(deputy, "Triage my inbox", mailbox.url)
    checkin = make_task(deputy, "Check in for tomorrow's flight")
    for days_ago, (task, tokens_in, tokens_out) in {
        12: (triage, 60_000, 8_000),
        5: (checkin, 90_000, 12_000),
        2: (triage, 30_000, 4_000),
    }.items():
        deputy.clock.set(now - timedelta(days=days_ago))
        record_call(deputy, task, tokens_in, tokens_out)
    deputy.clock.set(now)
    record_call(deputy, triage, 20_000, 2_000)  # today: $0.06 + $0.03
    # One useful outcome: an approved archive that ran.
    archive = await propose_archive(deputy, mailbox, triage)
    await api(deputy, "POST", f"/api/approvals/{archive}/approve", {})
    await until(lambda: _executed(deputy, triage), "the approved archive to run")
    end_task(deputy, triage, TaskStatus.FINISHED)
    end_task(deputy, checkin, TaskStatus.FAILED)  # spent, got nothing done: waste

    page = await paired.open("costs/costs.html", width=1100, height=1400)
    await expect(page.locator("#total")).to_have_text("$0.99")
    await expect(page.locator("#today")).to_have_text("$0.09")
    await expect(page.locator("#today-note")).to_have_text("$0.91 left of $1.00")
    await expect(page.locator("#chart svg rect")).to_have_count(30)
    await expect(page.locator("#chart")).to_contain_text("daily budget $1.00")
    await expect(page.locator("#outcomes")).to_contain_text("Per action done")
    await expect(page.locator("#outcomes")).to_contain_text("1 action done")
    await expect(page.locator("#done")).to_have_text("$0.99")
    top = page.locator("#top tr")
    await expect(top.first).to_contain_text("Triage my inbox")
    await expect(top.first).to_contain_text("$0.54")
    await expect(top.nth(1)).to_contain_text("Check in for tomorrow's flight")
    await expect(page.locator("#waste")).to_have_text("$0.45")
    await expect(page.locator("#waste-tasks")).to_contain_text("Check in for tomorrow's flight (failed)")
    await save_look(page, "costs")


async def test_costs_page_when_deputy_is_not_paired(chrome: Chrome) -> None:
    page = await chrome.open("costs/costs.html")
    await expect(page.get_by_role("alert")).to_contain_text("Not paired with Deputy yet")
    await expect(page.get_by_role("link", name="Pair in settings")).to_be_visible()


async def _executed(deputy: Deputy, task_id: str) -> bool:
    records = (await api(deputy, "GET", f"/api/audit?task_id={task_id}")).json()
    return any(r["kind"] == "executed" and r["action"] == "click" for r in records)
