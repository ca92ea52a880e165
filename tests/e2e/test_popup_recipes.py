"""The popup's recipes: the starter recipe is listed at $0, a recipe Deputy retired says so, and a candidate
(learned from a run nobody watched) says it waits for approval and cannot be run."""

from playwright.async_api import expect
from sqlmodel import Session, select

from backend.models import Recipe
from tests.e2e.conftest import Chrome
from tests.live import Deputy


async def test_the_popup_lists_recipes_and_marks_retired_and_candidate_ones(paired: Chrome, deputy: Deputy) -> None:
    with Session(deputy.ctx.engine) as session:
        starter = session.exec(select(Recipe).where(Recipe.name == "deploy-status")).one()
        copy = Recipe.model_validate(
            {**starter.model_dump(), "id": "r_retired", "name": "old-check", "status": "retired"}
        )
        copy.instruction = "Check the status of search on Demo Deploy"
        session.add(copy)
        unwatched = Recipe.model_validate(
            {**starter.model_dump(), "id": "r_candidate", "name": "unwatched-check", "status": "candidate"}
        )
        unwatched.instruction = "Check the status of payments on Demo Deploy"
        session.add(unwatched)
        session.commit()
    popup = await paired.popup()
    group = popup.locator("#recipes-group")
    await expect(group).to_be_visible()
    starter_item = group.get_by_role("listitem").filter(has_text="Check the status of checkout-api")
    await expect(starter_item).to_contain_text("$0")
    await expect(starter_item.get_by_role("button", name="Run recipe deploy-status")).to_be_visible()
    retired = group.get_by_role("listitem").filter(has_text="Check the status of search")
    await expect(retired).to_contain_text("retired")
    await expect(retired.get_by_role("button")).to_have_count(0)
    candidate = group.get_by_role("listitem").filter(has_text="Check the status of payments")
    await expect(candidate).to_contain_text("candidate: waiting for your approval")
    await expect(candidate.get_by_role("button")).to_have_count(0)
