"""Rules in the extension's options page and on Deputy's own approvals page, in a real Chromium: listed,
edited, deleted, a mail rule proposed in plain words (saved only once approved), a retired rule marked."""

from playwright.async_api import Browser, expect

from tests.e2e.conftest import Chrome, api, pair_in_options, until
from tests.live import Deputy


async def mail_rule(deputy: Deputy, match: dict[str, object], action: str = "archive") -> dict[str, object]:
    made = await api(deputy, "POST", "/api/rules", {"kind": "mail", "value": {"match": match, "action": action}})
    assert made.status_code == 201, made.text
    return made.json()


async def test_the_options_page_lists_edits_deletes_and_proposes_rules(chrome: Chrome, deputy: Deputy) -> None:
    rule = await mail_rule(deputy, {"sender": "LaunchList Daily"})
    await api(deputy, "POST", "/api/rules", {"kind": "budget_day", "value": {"usd": 5}})
    page = await pair_in_options(chrome, deputy)
    section = page.locator("#rules")
    row = section.locator(f'.rule[data-id="{rule["id"]}"]')
    await expect(row).to_contain_text("Archive mail from LaunchList Daily")
    await expect(section).to_contain_text("Daily budget: $5")

    await row.get_by_role("button", name=f"Edit rule {rule['id']}").click()
    await row.get_by_label("Does").select_option("label")
    await row.get_by_role("button", name="Save").click()
    await expect(row.locator(".rule-problem").first).to_contain_text("label")  # Deputy's reason, shown
    assert (await api(deputy, "GET", f"/api/rules/{rule['id']}")).json()["value"]["action"] == "archive"
    await row.get_by_label("Does").select_option("star")
    await row.get_by_role("button", name="Save").click()
    await expect(section.locator(f'.rule[data-id="{rule["id"]}"]')).to_contain_text("Star mail from LaunchList Daily")
    assert (await api(deputy, "GET", f"/api/rules/{rule['id']}")).json()["value"]["action"] == "star"

    await section.get_by_label("A mail rule in your words").fill("archive newsletters from shopmart.example")
    await section.get_by_role("button", name="Propose").click()
    await expect(section.locator(".rule-result")).to_contain_text("Save the rule: Archive mail from @shopmart.example")
    await expect(section.locator(".rule-result")).to_contain_text("Would have matched 0 message(s)")
    assert len((await api(deputy, "GET", "/api/rules")).json()) == 2  # proposed, not saved
    await section.get_by_label("A mail rule in your words").fill("delete everything")
    await section.get_by_role("button", name="Propose").click()
    await expect(section.locator(".rule-result")).to_contain_text("cannot 'delete'")

    await section.get_by_role("button", name=f"Delete rule {rule['id']}").click()
    await expect(section.locator(f'.rule[data-id="{rule["id"]}"]')).to_have_count(0)
    assert [r["kind"] for r in (await api(deputy, "GET", "/api/rules")).json()] == ["budget_day"]


async def test_the_approvals_page_shows_a_rule_proposal_and_the_rules(deputy: Deputy, browser: Browser) -> None:
    retired = await mail_rule(deputy, {"sender": "CodeHub"}, "mark_read")
    value = {**retired["value"], "undos": 2, "retired": True}  # type: ignore[dict-item]
    await api(deputy, "POST", f"/api/rules/{retired['id']}/delete")
    kept = (await api(deputy, "POST", "/api/rules", {"kind": "mail", "value": value})).json()
    proposal = (await api(deputy, "POST", "/api/rules/plain", {"text": "star mail from Priya Nair"})).json()

    context = await browser.new_context()
    page = await context.new_page()
    await page.goto(f"{deputy.url}/approvals#code={deputy.new_code()}")
    card = page.locator(f'.card[data-id="{proposal["id"]}"]')
    await expect(card).to_contain_text("Save the rule: Star mail from Priya Nair")
    await expect(card).to_contain_text("Would have matched 0 message(s) Deputy has seen")
    row = page.locator(f'#rules .rule[data-id="{kept["id"]}"]')
    await expect(row).to_contain_text("Retired: you undid it twice")

    await card.get_by_role("button", name="Approve").click()
    saved = await until(lambda: _mail_rule_named(deputy, "Star mail from Priya Nair"), "the approved rule to be saved")
    await expect(page.locator(f'#rules .rule[data-id="{saved}"]')).to_contain_text("Star mail from Priya Nair")

    await row.get_by_role("button", name="Bring back").click()
    await expect(page.locator(f'#rules .rule[data-id="{kept["id"]}"]')).not_to_contain_text("Retired")
    back = (await api(deputy, "GET", f"/api/rules/{kept['id']}")).json()["value"]
    assert back["retired"] is False and back["undos"] == 0
    await context.close()


async def _mail_rule_named(deputy: Deputy, name: str) -> int | None:
    rules = (await api(deputy, "GET", "/api/rules")).json()
    return next((r["id"] for r in rules if r["value"].get("name") == name), None)
