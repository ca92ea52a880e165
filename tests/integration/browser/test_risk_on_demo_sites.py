"""Target-aware risk over the demo sites' real buttons, as Deputy's snapshot describes them."""

import re

from playwright.async_api import Page, expect

from backend.actions import Risk, registry
from backend.actions.risk import assess
from backend.browser.snapshot import ElementInfo, take_snapshot
from backend.servers import ThreadedServer


async def element(page: Page, role: str, name: str | re.Pattern[str]) -> ElementInfo:
    # The apps render in script: wait for the control as a person would see it, then snapshot.
    await expect(page.get_by_role(role, name=name, exact=True).first).to_be_visible()  # type: ignore[arg-type]
    snap = await take_snapshot(page, max_items=1000)
    pattern = name if isinstance(name, re.Pattern) else re.compile(re.escape(name))
    found = [e for e in snap.elements.values() if e.role == role and pattern.fullmatch(e.name)]
    assert found, f"no {role} {name!r} on {page.url}"
    return found[0]


def click_risk(target: ElementInfo) -> Risk:
    click = registry.get("click")
    return assess(click, click.validate({"ref": target.ref}), target).risk


async def test_demo_mail_buttons(page: Page, mail_server: ThreadedServer) -> None:
    box = (await (await page.request.post(f"{mail_server.url}/_test/mailboxes")).json())["url"]
    await page.goto(box)
    await page.get_by_role("checkbox", name="Select", exact=True).first.check()
    table = {
        ("button", "Archive"): Risk.WRITE,
        ("button", "Delete"): Risk.WRITE,
        ("button", "Report spam"): Risk.IRREVERSIBLE,
        ("checkbox", "Select all"): Risk.LOCAL,
        ("button", "Compose"): Risk.LOCAL,
    }
    for (role, name), risk in table.items():
        assert click_risk(await element(page, role, name)) is risk, name
    await page.goto(box + "#trash")
    await page.goto(box + "#inbox")
    await page.get_by_role("button", name="Compose").click()
    assert click_risk(await element(page, "button", "Send")) is Risk.IRREVERSIBLE
    await page.goto(box + "unsubscribe/weekly-byte")
    assert click_risk(await element(page, "button", "Confirm unsubscribe")) is Risk.IRREVERSIBLE


async def test_demo_mail_delete_forever_in_trash(page: Page, mail_server: ThreadedServer) -> None:
    box = (await (await page.request.post(f"{mail_server.url}/_test/mailboxes")).json())["url"]
    listed = await (await page.request.get(f"{box}api/messages?view=inbox")).json()
    first = (listed.get("messages") or listed.get("items"))[0]["id"]
    assert (await page.request.post(f"{box}api/messages/trash", data={"ids": [first]})).ok
    await page.goto(box + "#trash")
    await page.get_by_role("checkbox", name="Select", exact=True).first.check()
    assert click_risk(await element(page, "button", "Delete forever")) is Risk.IRREVERSIBLE
    assert click_risk(await element(page, "button", "Restore")) is Risk.WRITE


async def test_demo_deploy_buttons(page: Page, deploy_server: ThreadedServer) -> None:
    assert (await page.request.post(f"{deploy_server.url}/_test/reset")).ok
    await page.goto(f"{deploy_server.url}/deployments/d-1016")
    assert click_risk(await element(page, "button", "Roll back")) is Risk.IRREVERSIBLE
    assert click_risk(await element(page, "button", "Redeploy")) is Risk.IRREVERSIBLE
    assert click_risk(await element(page, "link", "checkout-api")) is Risk.READ
    await page.get_by_role("button", name="Roll back").click()
    await expect(page.get_by_role("dialog")).to_be_visible()
    confirm = await element(page, "button", "Confirm rollback")
    assert confirm.dialog and "Roll back" in confirm.dialog
    assert click_risk(confirm) is Risk.IRREVERSIBLE
    await page.goto(f"{deploy_server.url}/services/checkout-api")
    assert click_risk(await element(page, "button", "Promote")) is Risk.IRREVERSIBLE


async def test_demo_air_buttons(page: Page, air_server: ThreadedServer) -> None:
    assert (await page.request.post(f"{air_server.url}/_test/reset")).ok
    await page.goto(air_server.url + "/")
    find = await element(page, "button", "Find booking")
    assert find.form_method == "post"
    assert click_risk(find) is Risk.WRITE
    assert click_risk(await element(page, "button", "Only necessary")) is Risk.WRITE
