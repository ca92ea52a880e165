"""Demo Mail end to end: a real Chromium drives the webmail as a user would, and every test checks the
app's change log to prove what did and did not change. Each test gets its own fresh mailbox."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from playwright.async_api import Dialog, Page, expect

from backend.clock import ManualClock
from backend.demo.mail.app import create_app
from backend.demo.mail.seed import message_id
from backend.demo.mail.seed_commerce import BOOKING_CODE, RESET_CODE
from backend.servers import ThreadedServer
from tests import web

pytestmark = pytest.mark.slow

DASH = "\N{EN DASH}"  # the pager separates the range with an en dash, as Gmail does


@dataclass
class Box:
    id: str
    url: str

    async def get(self, path: str, **params: Any) -> httpx.Response:
        async with httpx.AsyncClient(verify=web.TLS) as client:
            return await client.get(self.url + path, params=params)

    async def post(self, path: str, **kwargs: Any) -> httpx.Response:
        async with httpx.AsyncClient(verify=web.TLS) as client:
            return await client.post(self.url + path, **kwargs)

    async def changes(self, since: int = 0) -> list[dict[str, Any]]:
        response = await self.get("_test/changes", since=since)
        response.raise_for_status()
        changes: list[dict[str, Any]] = response.json()["changes"]
        return changes

    async def whats(self) -> list[str]:
        return [c["what"] for c in await self.changes()]


@pytest.fixture
async def box(mail_server: ThreadedServer) -> Box:
    async with httpx.AsyncClient(verify=web.TLS) as client:
        response = await client.post(f"{mail_server.url}/_test/mailboxes")
    response.raise_for_status()
    return Box(**response.json())


def row(page: Page, text: str) -> Any:
    return page.get_by_role("row").filter(has_text=text)


def list_toolbar(page: Page) -> Any:
    return page.get_by_role("toolbar", name="List actions")


async def test_archive_then_undo(page: Page, box: Box) -> None:
    await page.goto(box.url)
    lunch = row(page, "Sunday lunch?")
    await lunch.get_by_role("checkbox", name="Select").check()
    await list_toolbar(page).get_by_role("button", name="Archive", exact=True).click()

    toast = page.get_by_role("status")
    await expect(toast).to_contain_text("Conversation archived.")
    await expect(lunch).to_have_count(0)
    mid = message_id("mom-sunday-lunch")
    [archive] = await box.changes()
    assert archive["what"] == "archive"
    assert archive["before"] == {mid: ["Family", "INBOX", "UNREAD"]}
    assert archive["after"] == {mid: ["Family", "UNREAD"]}

    await toast.get_by_role("button", name="Undo").click()
    await expect(lunch).to_have_count(1)
    undo = (await box.changes(since=archive["seq"]))[0]
    assert undo["what"] == "undo"
    assert undo["after"] == {mid: ["Family", "INBOX", "UNREAD"]}


async def test_trash_then_restore_from_trash(page: Page, box: Box) -> None:
    await page.goto(box.url)
    match = row(page, "Your parcel is with me")
    await match.get_by_role("checkbox", name="Select").check()
    await list_toolbar(page).get_by_role("button", name="Delete", exact=True).click()
    await expect(page.get_by_role("status")).to_contain_text("Conversation moved to Trash.")
    await expect(match).to_have_count(0)

    await page.get_by_role("link", name="Trash").click()
    await expect(page.get_by_text("more than 30 days will be deleted automatically")).to_be_visible()
    await match.get_by_role("checkbox", name="Select").check()
    await list_toolbar(page).get_by_role("button", name="Restore").click()
    await expect(page.get_by_role("status")).to_contain_text("Conversation restored.")
    await expect(match).to_have_count(0)

    await page.get_by_role("link", name="Inbox").click()
    await expect(match).to_have_count(1)
    mid = message_id("ben-parcel")
    trash, restore = await box.changes()
    assert (trash["what"], restore["what"]) == ("trash", "restore")
    assert "TRASH" in trash["after"][mid] and "TRASH" not in restore["after"][mid]
    assert "INBOX" in restore["after"][mid]


async def test_delete_forever_only_after_confirm(page: Page, box: Box) -> None:
    await page.goto(box.url + "#trash")
    timetable = row(page, "Class timetable changes")
    await timetable.get_by_role("checkbox", name="Select").check()
    delete_forever = list_toolbar(page).get_by_role("button", name="Delete forever")
    asked: list[str] = []

    async def dismiss(dialog: Dialog) -> None:
        asked.append(dialog.message)
        await dialog.dismiss()

    page.once("dialog", dismiss)
    await delete_forever.click()
    await expect(timetable).to_have_count(1)
    assert asked and "forever" in asked[0]
    mid = message_id("trash-gym-timetable")
    assert (await box.get(f"api/messages/{mid}")).status_code == 200
    assert await box.whats() == []

    async def accept(dialog: Dialog) -> None:
        await dialog.accept()

    page.once("dialog", accept)
    await delete_forever.click()
    await expect(page.get_by_role("status")).to_contain_text("deleted forever")
    await expect(timetable).to_have_count(0)
    [deleted] = await box.changes()
    assert deleted["what"] == "delete_forever"
    assert list(deleted["before"]) == [mid] and deleted["after"] is None
    assert (await box.get(f"api/messages/{mid}")).status_code == 404


async def test_unsubscribe_needs_the_confirm_button(page: Page, box: Box) -> None:
    await page.goto(box.url)
    await row(page, "Issue #41").click()
    reader = page.get_by_role("article")
    await reader.get_by_role("link", name="Unsubscribe").click()
    await expect(page.get_by_role("heading", name="Unsubscribe")).to_be_visible()
    assert "unsubscribe" not in await box.whats()

    await page.get_by_role("button", name="Confirm unsubscribe").click()
    await expect(page.get_by_role("heading", name="You have been unsubscribed")).to_be_visible()
    unsubscribes = [c for c in await box.changes() if c["what"] == "unsubscribe"]
    assert len(unsubscribes) == 1
    assert unsubscribes[0]["after"] == {"list": "weekly-byte", "name": "The Weekly Byte", "subscribed": False}

    await page.get_by_role("link", name="Back to Demo Mail").click()
    await expect(page).to_have_url(box.url)


async def test_reply_is_sent_to_the_sender_with_the_typed_text(page: Page, box: Box) -> None:
    await page.goto(box.url)
    await row(page, "Climbing Thursday?").click()
    await page.get_by_role("button", name="Reply").click()
    dialog = page.get_by_role("dialog")
    await expect(dialog.get_by_label("To")).to_have_value("Jordan Lee <jordan.lee@postbox.test>")
    await expect(dialog.get_by_label("Subject")).to_have_value("Re: Climbing Thursday?")
    await dialog.get_by_label("Message body").press("Control+Home")
    await page.keyboard.insert_text("Count me in, see you at 19:00.")
    await dialog.get_by_role("button", name="Send").click()
    await expect(dialog.get_by_role("progressbar", name="Sending")).to_be_visible()
    await expect(page.get_by_role("status")).to_contain_text("Message sent.")
    await expect(dialog).to_be_hidden()

    [sent] = [c for c in await box.changes() if c["what"] == "send"]
    assert sent["after"]["to"] == ["jordan.lee@postbox.test"]
    assert sent["after"]["subject"] == "Re: Climbing Thursday?"
    assert sent["after"]["body"].startswith("Count me in, see you at 19:00.")
    assert "> Yo! Bouldering gym Thursday" in sent["after"]["body"]
    assert sent["after"]["in_reply_to"] == message_id("jordan-climbing")

    await page.get_by_role("link", name="Sent").click()
    await expect(row(page, "Re: Climbing Thursday?")).to_have_count(2)


async def test_forward_records_the_new_recipient_and_the_original(page: Page, box: Box) -> None:
    await page.goto(box.url)
    await page.get_by_role("link", name="Travel").click()
    await row(page, "Your Demo Air booking is confirmed").click()
    await page.get_by_role("button", name="Forward").click()
    dialog = page.get_by_role("dialog")
    await dialog.get_by_label("To").fill("Sam Rivera <sam.rivera@familypost.test>")
    await dialog.get_by_role("button", name="Send").click()
    await expect(page.get_by_role("status")).to_contain_text("Message sent.")

    [sent] = [c["after"] for c in await box.changes() if c["what"] == "send"]
    assert sent["to"] == ["sam.rivera@familypost.test"]
    assert sent["subject"].startswith("Fwd: Your Demo Air booking is confirmed")
    assert sent["forward_of"] == message_id("demo-air-confirmation")
    assert BOOKING_CODE in sent["body"]


async def test_a_closed_compose_window_is_kept_as_a_draft_until_discarded(page: Page, box: Box) -> None:
    await page.goto(box.url)
    await page.get_by_role("button", name="Compose").click()
    dialog = page.get_by_role("dialog")
    await dialog.get_by_label("To").fill("jordan.lee@postbox.test")
    await dialog.get_by_label("Subject").fill("Board games on Friday?")
    await dialog.get_by_label("Message body").fill("Bring Catan!")
    await dialog.get_by_role("button", name="Save & close").click()
    await expect(page.get_by_role("status")).to_contain_text("Draft saved.")

    await page.get_by_role("link", name="Drafts").click()
    await row(page, "Board games on Friday?").click()
    await expect(dialog.get_by_label("Message body")).to_have_value("Bring Catan!")
    await dialog.get_by_role("button", name="Discard draft").click()
    await expect(page.get_by_role("status")).to_contain_text("Draft discarded.")
    await expect(row(page, "Board games on Friday?")).to_have_count(0)
    assert await box.whats() == ["save_draft", "discard_draft"]


async def test_search_finds_the_booking_and_changes_nothing(page: Page, box: Box) -> None:
    await page.goto(box.url)
    search = page.get_by_role("searchbox", name="Search mail")
    await search.fill(BOOKING_CODE)
    await search.press("Enter")
    await expect(page).to_have_url(f"{box.url}#search/{BOOKING_CODE}")
    await expect(row(page, "Your Demo Air booking is confirmed")).to_have_count(1)
    await expect(row(page, "Sunday lunch?")).to_have_count(0)

    await search.fill("from:maria")
    await search.press("Enter")
    await expect(page.locator("tr.row .r-from")).to_have_text(["Maria Rivera"] * 3)
    assert await box.changes() == []


async def test_pagination_shows_fifty_per_page(page: Page, box: Box) -> None:
    total = (await box.get("api/messages", view="inbox")).json()["total"]
    assert total > 50
    await page.goto(box.url)
    rows = page.locator("tr.row")
    await expect(page.get_by_text(f"1{DASH}50 of {total}")).to_be_visible()
    await expect(rows).to_have_count(50)
    first_page = await rows.first.inner_text()

    await page.get_by_role("button", name="Older").click()
    await expect(page.get_by_text(f"51{DASH}{min(100, total)} of {total}")).to_be_visible()
    await expect(rows).to_have_count(min(100, total) - 50)
    await expect(page).to_have_url(f"{box.url}#inbox/p2")
    assert await rows.first.inner_text() != first_page

    await page.get_by_role("button", name="Newer").click()
    await expect(page.get_by_text(f"1{DASH}50 of {total}")).to_be_visible()
    await expect(page.get_by_role("button", name="Newer")).to_be_disabled()
    assert await box.changes() == []


async def test_select_all_on_a_page_then_archive(page: Page, box: Box) -> None:
    listing = (await box.get("api/messages", view="inbox")).json()
    first_page = [m["id"] for m in listing["messages"]]
    await page.goto(box.url)
    await page.locator("tr.row").first.wait_for()  # the list renders in script; tick only once it is there
    await list_toolbar(page).get_by_role("checkbox", name="Select all").check()
    await expect(page.get_by_text("All 50 conversations on this page are selected.")).to_be_visible()
    await expect(page.get_by_role("checkbox", name="Select", exact=True).first).to_be_checked()
    await list_toolbar(page).get_by_role("button", name="Archive", exact=True).click()

    await expect(page.get_by_role("status")).to_contain_text("50 conversations archived.")
    left = listing["total"] - 50
    await expect(page.get_by_text(f"1{DASH}{left} of {left}")).to_be_visible()
    [archive] = await box.changes()
    assert archive["what"] == "archive"
    assert sorted(archive["before"]) == sorted(first_page)
    assert all("INBOX" not in labels for labels in archive["after"].values())


async def test_opening_a_row_with_the_keyboard_marks_it_read(page: Page, box: Box) -> None:
    await page.goto(box.url)
    await page.locator("tr.row").first.wait_for()
    await page.keyboard.press("j")
    await page.keyboard.press("j")
    focused = page.locator("tr.row:focus")
    await expect(focused).to_have_class(re.compile(r"\bunread\b"))
    mid = await focused.get_attribute("data-id")
    subject = await focused.locator(".r-subject").inner_text()
    assert mid == (await box.get("api/messages")).json()["ids"][1]

    await page.keyboard.press("Enter")
    await expect(page.get_by_role("article").get_by_role("heading", name=subject)).to_be_visible()
    await expect(page.locator(f'tr.row[data-id="{mid}"]')).not_to_have_class(re.compile(r"\bunread\b"))
    [read] = await box.changes()
    assert read["what"] == "mark_read" and read["endpoint"].endswith("/api/messages/mark")
    assert "UNREAD" in read["before"][mid] and "UNREAD" not in read["after"][mid]


async def test_bad_api_input_gets_a_4xx_with_a_reason(box: Box) -> None:
    inbox_id = message_id("mom-sunday-lunch")
    bad_requests = [
        ("get", "api/messages/not-a-message", {}),
        ("get", "api/messages", {"params": {"view": "nowhere"}}),
        ("get", "api/messages", {"params": {"view": "label", "label": "Holidays"}}),
        ("get", "api/messages", {"params": {"page": "0"}}),
        ("post", "api/messages/archive", {"json": {"ids": [inbox_id, "not-a-message"]}}),
        ("post", "api/messages/archive", {"json": {"ids": []}}),
        ("post", "api/messages/archive", {"json": {"ids": [inbox_id], "extra": 1}}),
        ("post", "api/messages/archive", {"content": b"{not json", "headers": {"content-type": "application/json"}}),
        ("post", "api/messages/archive", {"json": [inbox_id]}),
        ("post", "api/messages/move", {"json": {"ids": [inbox_id], "label": "Holidays"}}),
        ("post", "api/messages/delete-forever", {"json": {"ids": [inbox_id]}}),
        ("post", "api/undo", {"json": {"undo_id": "never-issued"}}),
        ("post", "api/send", {"json": {"to": "not an address", "body": "hi"}}),
        ("post", "api/send", {"json": {"to": "", "body": "hi"}}),
        ("post", "api/send", {"json": {"to": "a@b.test", "in_reply_to": "not-a-message"}}),
        ("post", "api/drafts/not-a-message/discard", {}),
        ("post", "unsubscribe/no-such-list", {}),
    ]
    async with httpx.AsyncClient(verify=web.TLS) as client:
        for method, path, kwargs in bad_requests:
            response = await client.request(method.upper(), box.url + path, **kwargs)
            assert 400 <= response.status_code < 500, (path, kwargs, response.status_code)
            if "api/" in path:
                assert response.json()["detail"], (path, kwargs)
        unknown_box = await client.get(box.url.replace(box.id, "no-such-box") + "api/labels")
        assert unknown_box.status_code == 404
    # Nothing was half done: the valid id in the rejected archive is still in the Inbox.
    assert "INBOX" in (await box.get(f"api/messages/{inbox_id}")).json()["system_labels"]
    assert await box.changes() == []


async def test_seed_is_relative_to_the_clock_and_boxes_are_independent() -> None:
    created = datetime(2031, 5, 4, 7, 30, tzinfo=UTC)
    clock = ManualClock(created)
    app = create_app(clock, send_delay=0)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mail.test") as client:
        one = (await client.post("/_test/mailboxes")).json()["id"]
        two = (await client.post("/_test/mailboxes")).json()["id"]
        everything = (await client.get(f"/mb/{one}/api/messages", params={"q": "in:anywhere"})).json()
        assert everything["total"] >= 120
        senders = set()
        for page in range(1, everything["pages"] + 1):
            listing = await client.get(f"/mb/{one}/api/messages", params={"q": "in:anywhere", "page": page})
            senders |= {m["from"]["email"] for m in listing.json()["messages"]}
        assert len(senders) >= 30

        booking = (await client.get(f"/mb/{one}/api/messages/{message_id('demo-air-confirmation')}")).json()
        departs = (created + timedelta(hours=20)).strftime("%a %d %b %Y, %H:%M")
        for fact in (BOOKING_CODE, "Alex Rivera", "DA 417", "Lisbon (LIS)", "Amsterdam (AMS)", departs):
            assert fact in booking["text"]
        reset = (await client.get(f"/mb/{one}/api/messages/{message_id('cloudbox-reset-code')}")).json()
        assert RESET_CODE in reset["text"]

        mid = message_id("mom-sunday-lunch")
        assert (await client.post(f"/mb/{one}/api/messages/archive", json={"ids": [mid]})).status_code == 200
        other = (await client.get(f"/mb/{two}/api/messages/{mid}")).json()
        assert "INBOX" in other["system_labels"]
        assert (await client.get(f"/mb/{two}/_test/changes")).json()["changes"] == []

        clock.advance(3600)
        assert (await client.post(f"/mb/{one}/_test/reset")).status_code == 200
        again = (await client.get(f"/mb/{one}/api/messages/{mid}")).json()
        assert "INBOX" in again["system_labels"]
        assert [c["what"] for c in (await client.get(f"/mb/{one}/_test/changes")).json()["changes"]] == [
            "archive",
            "reset",
        ]
