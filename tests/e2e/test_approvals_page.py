"""Deputy's own approvals page in a real Chromium: pairing from the tray's link, the popup's cards,
answers through the API, new approvals arriving live, and recent results."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Route, expect
from sqlmodel import Session, select

from backend.dreaming.candidates import Candidates
from backend.dreaming.night import Dream
from backend.models import Approval, Recipe, RecipeVersion, Task
from tests.live import Deputy, start_deputy
from tests.seeding import pending_approval


@pytest.fixture
def deputy(tmp_path: Path) -> Iterator[Deputy]:
    with start_deputy(tmp_path / "data") as server:
        yield server


def stored(deputy: Deputy, approval_id: str) -> Approval:
    with Session(deputy.ctx.engine) as session:
        found = session.get(Approval, approval_id)
        assert found is not None
        return found


def propose_candidate(deputy: Deputy, task_id: str) -> str:
    """A candidate recipe (a copy of the starter, as if learned unwatched) proposed as the night would."""
    with Session(deputy.ctx.engine) as session:
        starter = session.exec(select(Recipe).where(Recipe.name == "deploy-status")).one()
        candidate = Recipe.model_validate(
            {**starter.model_dump(), "id": "r_candidate", "name": "search-check", "status": "candidate"}
        )
        candidate.instruction = "Check the status of search on Demo Deploy"
        candidate.origin, candidate.learned_calls, candidate.learned_micro_usd = "recorded", 3, 14360
        session.add(candidate)
        for version in session.exec(select(RecipeVersion).where(RecipeVersion.recipe_id == starter.id)):
            copied = RecipeVersion.model_validate({**version.model_dump(), "id": None, "recipe_id": "r_candidate"})
            session.add(copied)
        session.commit()
    dream = Dream(day="today", task_id=task_id)
    Candidates(deputy.ctx.engine, deputy.ctx.library, deputy.ctx.approvals).propose(dream)
    (proposed,) = dream.approval_ids
    return proposed


def recipe_status(deputy: Deputy, recipe_id: str) -> str | None:
    with Session(deputy.ctx.engine) as session:
        found = session.get(Recipe, recipe_id)
        return found.status if found else None


async def test_the_page_pairs_from_its_link_and_answers_approvals(deputy: Deputy, browser: Browser) -> None:
    first = pending_approval(deputy)
    context = await browser.new_context()
    page = await context.new_page()
    await page.goto(f"{deputy.url}/approvals#code={deputy.new_code()}")
    card = page.locator(f'.card[data-id="{first}"]')
    await expect(card).to_contain_text("Click the button 'Archive' in the toolbar")
    await expect(card).to_contain_text("Task: Tidy the inbox")
    assert "e105" not in await page.locator("body").inner_text()
    assert "#code" not in page.url  # the one-time code is gone from the address

    await card.get_by_role("button", name="Reject…").click()
    await card.get_by_label("Why not?").fill("keep it in the inbox")
    await card.get_by_role("button", name="Reject", exact=True).click()
    await expect(card.locator(".card-status")).to_have_text("Rejected. Deputy will not do it.")
    rejected = stored(deputy, first)
    assert rejected.status == "rejected" and rejected.decision_reason == "keep it in the inbox"
    assert (rejected.decided_by or "").startswith("user:page-")

    # A new approval shows up without reloading: the page follows the event socket.
    second = pending_approval(deputy, "Clean up newsletters", target="the link 'Unsubscribe'", risk="irreversible")
    deputy.ctx.bus.publish("approval.created", {"id": second, "task_id": "", "kind": "action", "action": "click"})
    fresh = page.locator(f'.card[data-id="{second}"]')
    await expect(fresh).to_contain_text("Click the link 'Unsubscribe'")
    await expect(fresh.locator(".risk")).to_have_text("Irreversible")

    # A recipe learned from a run nobody watched: its steps and its cost in sentences; keeping it makes it replay.
    proposed = propose_candidate(deputy, stored(deputy, first).task_id)
    deputy.ctx.bus.publish("approval.created", {"id": proposed, "task_id": "", "kind": "recipe", "action": "x"})
    kept = page.locator(f'.card[data-id="{proposed}"]')
    await expect(kept).to_contain_text("Keep a recipe: Check the status of search on Demo Deploy")
    await expect(kept.get_by_role("list", name="Its steps")).to_contain_text("1. ")
    await expect(kept.locator(".cost")).to_have_text("Its model run cost $0.0144 (3 model calls); a replay costs $0")
    await expect(kept.locator(".params")).to_have_count(0)
    await kept.get_by_role("button", name="Keep recipe").click()
    await expect(kept.locator(".card-status")).to_have_text("Kept. It replays from now on with no model call.")
    deputy.wait(lambda: recipe_status(deputy, "r_candidate") == "active", 30, "the recipe to become active")

    # Reloaded, the page is still paired; a browser that never paired is asked for a code.
    await page.reload()
    await expect(page.locator(f'.card[data-id="{second}"]')).to_be_visible()
    await expect(page.locator("#pair-box")).to_be_hidden()
    stranger = await browser.new_context()
    other = await stranger.new_page()
    await other.goto(f"{deputy.url}/approvals")
    await expect(other.locator("#pair-box")).to_be_visible()
    await other.locator("#pair-code").fill("WRNG-CODE")
    await other.get_by_role("button", name="Pair").click()
    await expect(other.locator("#pair-result")).to_contain_text("not valid")
    await stranger.close()
    await context.close()


async def test_a_card_keeps_its_answer_when_the_list_redraws_before_the_answer_returns(
    deputy: Deputy, browser: Browser
) -> None:
    # The server tells the page by its event socket as it answers: the page redraws its list, which no longer
    # holds the approval, before the answer itself reaches the card. The card must stay to say how it went.
    first = pending_approval(deputy)
    page = await (await browser.new_context()).new_page()

    async def late(route: Route) -> None:
        response = await route.fetch()
        await expect(page.locator("#approvals-count")).to_have_text("")  # redrawn without the approval
        await route.fulfill(response=response)

    await page.route("**/api/approvals/*/reject", late)
    await page.goto(f"{deputy.url}/approvals#code={deputy.new_code()}")
    card = page.locator(f'.card[data-id="{first}"]')
    await card.get_by_role("button", name="Reject…").click()
    await card.get_by_role("button", name="Reject", exact=True).click()
    await expect(card.locator(".card-status")).to_have_text("Rejected. Deputy will not do it.")
    assert stored(deputy, first).status == "rejected"


async def test_recent_results_say_what_they_count(deputy: Deputy, browser: Browser) -> None:
    approval = pending_approval(deputy, "Archive the receipts")
    with Session(deputy.ctx.engine) as session:
        task = session.get(Task, stored(deputy, approval).task_id)
        assert task is not None
        task_id = task.id
        task.status, task.summary = "finished", "Done: Archive 3 receipts."
        session.add(task)
        session.commit()
    for n in range(3):  # what the task did is read from the audit log, not from the model's words
        deputy.ctx.executor.audit.append(
            task_id,
            "executed",
            "user",
            action="click",
            verdict="ok",
            detail={"summary": f"Archive #{n}", "changed": True},
        )
    context = await browser.new_context()
    page = await context.new_page()
    await page.goto(f"{deputy.url}/approvals#code={deputy.new_code()}")
    result = page.locator("#recent .result")
    await expect(result).to_contain_text("Archive the receipts")
    await expect(result).to_contain_text("3 changes made")
    await expect(result).to_contain_text("Finished")
    await context.close()


async def test_the_costs_page_shows_todays_spend(deputy: Deputy, browser: Browser) -> None:
    context = await browser.new_context()
    page = await context.new_page()
    await page.goto(f"{deputy.url}/costs#code={deputy.new_code()}")
    await expect(page.locator("#spend-line")).to_contain_text("spent today")
    await expect(page.locator("#nav-costs")).to_have_attribute("aria-current", "page")
    await context.close()
