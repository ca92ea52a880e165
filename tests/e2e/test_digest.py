"""The digest and the schedule where the user looks, with the real extension in a real Chromium and a real
Deputy: a scheduled triage prepares batches while nobody watches, the digest appears in the popup with a
notification, and approving a group there runs exactly its items (judged by the webmail's own change log,
on Demo Mail and on Heron, a webmail of cards unlike it); Deputy's approvals page shows the same digest;
the popup's switch turns the deploy watch on and off; the options page lists, adds, switches, runs and
removes jobs and shows the server's refusals as sentences."""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest
from playwright.async_api import Browser, expect

from backend.servers import ThreadedServer
from tests import web
from tests.e2e.conftest import Chrome, api, save_look
from tests.live import Deputy
from tests.seeding import pending_approval
from tests.sites.heron import client as heron_client

T = TypeVar("T")
pytestmark = [pytest.mark.browser, pytest.mark.slow]


@dataclass
class Webmail:
    url: str
    rule: dict[str, Any]  # a rule that sorts some of its inbox: archive
    changes: Callable[[], list[dict[str, Any]]]
    archived: Callable[[dict[str, Any]], bool]  # whether a change in its log is a message archived


@pytest.fixture(params=["demo-mail", "heron"])
def webmail(request: pytest.FixtureRequest) -> Webmail:
    if request.param == "demo-mail":
        server: ThreadedServer = request.getfixturevalue("mail_server")
        box = web.post(f"{server.url}/_test/mailboxes").raise_for_status().json()["url"]
        return Webmail(
            box,
            {"match": {"sender": "ShopMart"}, "action": "archive"},
            lambda: mail_log(f"{box}_test/changes"),
            lambda change: change["what"] == "archive",
        )
    heron: ThreadedServer = request.getfixturevalue("heron_server")
    heron_client.reset(heron.url)
    return Webmail(
        f"{heron.url}/mail/",
        {"match": {"sender": "Harbour Weekly"}, "action": "archive"},
        lambda: heron_client.changes(heron.url),
        lambda change: change["what"] == "move" and change["after"]["folder"] == "archive",
    )


def mail_log(url: str) -> list[dict[str, Any]]:
    return list(web.get(url).raise_for_status().json()["changes"])


async def settled(check: Callable[[], Awaitable[T]], what: str, within: float = 180) -> T:
    """Poll `check` until it gives something truthy (a scheduled triage drives a real browser: allow minutes)."""
    result = None
    for _ in range(int(within / 0.25)):
        if result := await check():
            return result
        await asyncio.sleep(0.25)
    raise AssertionError(f"gave up waiting for {what} (last: {result!r})")


async def add_job(deputy: Deputy, body: dict[str, Any]) -> dict[str, Any]:
    added = await api(deputy, "POST", "/api/schedules", body)
    assert added.status_code == 201, added.text
    return added.json()


async def run_to_end(deputy: Deputy, job_id: str) -> dict[str, Any]:
    assert (await api(deputy, "POST", f"/api/schedules/{job_id}/run")).status_code == 202

    async def ended() -> dict[str, Any] | None:
        job = (await api(deputy, "GET", f"/api/schedules/{job_id}")).json()
        last = job["last_run"]
        return last if last and last["status"] != "running" and not job["running"] else None

    return await settled(ended, f"scheduled job {job_id} to run")


async def test_the_digest_in_the_popup_approves_a_group_that_then_runs(
    paired: Chrome, deputy: Deputy, webmail: Webmail
) -> None:
    rule = await api(deputy, "POST", "/api/rules", {"kind": "mail", "value": webmail.rule})
    assert rule.status_code == 201, rule.text
    triage = await add_job(deputy, {"kind": "triage", "params": {"url": webmail.url}, "enabled": False})
    ran = await run_to_end(deputy, triage["id"])
    assert ran["status"] == "done", ran
    assert webmail.changes() == []  # nothing changed while nobody watched

    digest_job = await add_job(deputy, {"kind": "digest", "enabled": False})
    await run_to_end(deputy, digest_job["id"])  # "digest.ready" to every surface

    async def notified() -> bool:
        return "digest" in await paired.worker.evaluate("chrome.notifications.getAll()")

    await settled(notified, "the digest's notification", 30)

    popup = await paired.popup()
    digest = popup.locator("#digest")
    await expect(digest).to_be_visible()
    await expect(digest).to_contain_text("While you were away")
    await expect(digest.locator(".digest-ran", has_text="Triage my inbox at 06:00")).to_contain_text("1 run")
    await expect(digest.locator(".digest-rules")).to_contain_text("with no model call")
    await expect(digest.locator(".digest-cost")).to_contain_text(
        "Spent $0.00 on 0 model calls for"
    )  # zero tokens: the rules did the sorting
    await expect(digest.locator(".digest-cost")).to_contain_text("per outcome")
    group = digest.locator('.digest-group[data-action="archive"]')
    await expect(group).to_be_visible()
    waiting = (await api(deputy, "GET", "/api/digest")).json()["waiting"]
    archive = next(g for g in waiting if g["action"] == "archive")
    await save_look(popup, "popup-digest")

    await group.get_by_role("button", name="Approve").first.click()
    await expect(digest.locator(".digest-said")).to_contain_text("Approved")

    async def archived() -> list[dict[str, Any]]:
        done = [c for c in webmail.changes() if webmail.archived(c)]
        return done if len(done) >= archive["items"] else []

    done = await settled(archived, "the approved group to run on the webmail")
    assert len(done) == archive["items"]
    assert [c for c in webmail.changes() if not webmail.archived(c)] == []  # only what the group held
    await expect(group).to_have_count(0)  # answered groups leave the digest

    deputy.clock.advance(60)  # Deputy's clock is held still in tests; reading comes a minute after the runs
    await digest.get_by_role("button", name="Got it").click()
    await expect(digest).to_be_hidden()
    assert (await api(deputy, "GET", "/api/digest")).json()["ran"] == []  # the next digest starts from now


async def test_the_approvals_page_shows_the_digest_and_rejects_a_group_in_one_click(
    deputy: Deputy, browser: Browser
) -> None:
    first = pending_approval(deputy, "Clean up newsletters", target="the link 'Unsubscribe'")
    second = pending_approval(deputy, "Clean up newsletters", target="the link 'Unsubscribe'")
    context = await browser.new_context()
    page = await context.new_page()
    await page.goto(f"{deputy.url}/approvals#code={deputy.new_code()}")
    await expect(page.locator(f'.card[data-id="{first}"]')).to_be_visible()
    # No digest was ever read, and approvals wait: the page connecting is the user coming back.
    digest = page.locator("#digest")
    await expect(digest).to_be_visible()
    await expect(digest.locator(".digest-headline")).to_contain_text("2 approval(s) wait for you, in 1 group(s)")
    group = digest.locator(".digest-group")
    await expect(group).to_have_count(1)
    await expect(group).to_contain_text("2 approvals like:")
    await group.get_by_role("button", name="Reject").first.click()

    async def rejected() -> bool:
        statuses = [(await api(deputy, "GET", f"/api/approvals/{i}")).json()["status"] for i in (first, second)]
        return statuses == ["rejected", "rejected"]

    await settled(rejected, "both approvals to be rejected", 30)
    await expect(page.locator(".card:not(.answered)")).to_have_count(0)
    await expect(group).to_have_count(0)
    await context.close()


async def test_the_popups_switch_turns_every_deploy_watch_on_and_off(
    paired: Chrome, deputy: Deputy, deploy_server: ThreadedServer
) -> None:
    popup = await paired.popup()
    await expect(popup.locator("#main")).to_be_visible()
    await expect(popup.locator("#watch-row")).to_be_hidden()  # no watch to switch yet
    # One on Demo Deploy, one on a board elsewhere: the switch stands for both.
    for url in (f"{deploy_server.url}/services/checkout-api", "http://127.0.0.1:9/releases/"):
        await add_job(deputy, {"kind": "deploy_watch", "params": {"url": url}, "every_seconds": 3600})
    await popup.reload()
    toggle = popup.get_by_role("switch", name="Watch deploys")
    await expect(toggle).to_be_checked()

    async def enabled() -> list[bool]:
        return [job["enabled"] for job in (await api(deputy, "GET", "/api/schedules")).json()]

    await toggle.click()
    await expect(popup.locator("#watch-note")).to_have_text("Off")
    assert await enabled() == [False, False]
    await expect(toggle).not_to_be_checked()
    await toggle.click()
    await expect(popup.locator("#watch-note")).to_have_text("Watching")
    assert await enabled() == [True, True]


async def test_the_options_page_manages_the_schedule_and_says_what_the_server_refused(
    paired: Chrome, deputy: Deputy
) -> None:
    page = await paired.open("options/options.html")
    panel = page.locator(".schedules-panel")
    await expect(panel.locator("#schedules-empty")).to_be_visible()
    result = panel.locator("#schedule-result")

    await panel.get_by_label("What").select_option("triage")
    await panel.get_by_role("button", name="Add").click()
    await expect(result).to_contain_text("a triage job needs url")
    await panel.get_by_label("Address").fill("ftp://mail.example/inbox")
    await panel.get_by_role("button", name="Add").click()
    await expect(result).to_contain_text("url must be a web address starting with http:// or https://")
    assert (await api(deputy, "GET", "/api/schedules")).json() == []  # nothing half added

    await panel.get_by_label("Address").fill("https://mail.example/inbox")
    await panel.get_by_label("Time of day").fill("06:30")
    await panel.get_by_role("button", name="Add").click()
    await expect(result).to_contain_text("Added Triage my inbox at 06:00")
    row = panel.locator('.schedule[data-kind="triage"]')
    await expect(row).to_contain_text("every day at 06:30 · https://mail.example/inbox")
    await expect(row.locator(".schedule-next")).to_contain_text("Next:")
    (job,) = (await api(deputy, "GET", "/api/schedules")).json()
    assert job["when"] == {"cron": "30 6 * * *"}

    await row.get_by_role("switch").click()
    await expect(row.locator(".schedule-next")).to_have_text("Off")
    assert (await api(deputy, "GET", f"/api/schedules/{job['id']}")).json()["enabled"] is False

    await panel.get_by_label("What").select_option("digest")
    await expect(panel.locator("#schedule-target-field")).to_be_hidden()
    await panel.get_by_label("Every", exact=True).check()
    await panel.get_by_label("Interval", exact=True).fill("2")
    await panel.get_by_label("Interval unit").select_option("seconds")
    await panel.get_by_role("button", name="Add").click()
    await expect(result).to_contain_text("every_seconds")  # the server's floor is 5 s, said as such
    await panel.get_by_label("Interval", exact=True).fill("2")
    await panel.get_by_label("Interval unit").select_option("hours")
    await panel.get_by_role("button", name="Add").click()
    digest = panel.locator('.schedule[data-kind="digest"]')
    await expect(digest).to_contain_text("every 2 h")
    await digest.get_by_role("button", name="Run Morning digest at 07:30 now").click()
    await expect(digest.locator(".schedule-last")).to_contain_text("Last run done")

    await row.get_by_role("button", name="Remove").click()
    await expect(row).to_have_count(0)
    assert [j["kind"] for j in (await api(deputy, "GET", "/api/schedules")).json()] == ["digest"]
