"""Postbox, the plain webmail test site, works as a person would use it, and its change log tells the truth."""

from collections.abc import Iterator

import httpx
import pytest
from playwright.async_api import Dialog, Locator, Page, Request, expect

from backend.servers import ThreadedServer
from tests.sites.postbox import client
from tests.sites.postbox.seed import FORWARD_TO, VERIFICATION_CODE


@pytest.fixture
def postbox(postbox_server: ThreadedServer) -> Iterator[str]:
    client.reset(postbox_server.url)
    yield postbox_server.url


def row(page: Page, subject: str) -> Locator:
    return page.locator("table.messages tbody tr").filter(has_text=subject)


def folder_of(url: str, subject: str) -> str | None:
    return next((m["folder"] for m in client.messages(url) if m["subject"] == subject), None)


async def test_the_inbox_is_a_table_with_folders_toolbar_and_rows(page: Page, postbox: str) -> None:
    await page.goto(postbox + "/")
    await expect(page).to_have_url(postbox + "/folder/inbox")
    await expect(page.get_by_role("heading", name="Inbox", exact=True)).to_be_visible()
    await expect(page.locator("table.messages tbody tr")).to_have_count(15)
    folders = page.get_by_role("navigation", name="Folders")
    for name in ("Inbox (4)", "Archive", "Sent", "Junk (1)", "Bin"):
        await expect(folders.get_by_role("link", name=name, exact=True)).to_be_visible()
    for name in ("Move to Archive", "Move to Bin", "Mark spam", "Flag"):
        await expect(page.locator(".toolbar").get_by_role("button", name=name, exact=True)).to_be_visible()
    await expect(page.locator('td.icon button[title="Move to Bin"]')).to_have_count(15)
    assert client.changes(postbox) == []


async def test_moving_a_ticked_message_to_the_bin_is_logged_and_redirects(page: Page, postbox: str) -> None:
    await page.goto(postbox + "/folder/inbox")
    await row(page, "Sunday lunch").get_by_role("checkbox").check()
    await page.locator(".toolbar").get_by_role("button", name="Move to Bin", exact=True).click()
    await expect(page.get_by_role("status")).to_have_text("Moved 1 message to Bin.")
    await expect(page).to_have_url(postbox + "/folder/inbox")
    await expect(row(page, "Sunday lunch")).to_have_count(0)
    [change] = client.changes(postbox)
    assert change["what"] == "move"
    assert change["after"]["subjects"] == ["Sunday lunch"]
    assert change["after"]["folder"] == "bin"
    assert change["before"] == {str(change["after"]["ids"][0]): "inbox"}
    await page.get_by_role("link", name="Bin", exact=True).click()
    await expect(row(page, "Sunday lunch")).to_have_count(1)


async def test_the_row_bin_icon_moves_only_its_own_message(page: Page, postbox: str) -> None:
    await page.goto(postbox + "/folder/inbox")
    await row(page, "Q2 planning notes").get_by_role("checkbox").check()
    await row(page, "Your parcel is on its way").locator('button[title="Move to Bin"]').click()
    await expect(page.get_by_role("status")).to_contain_text("Your parcel is on its way")
    [change] = client.changes(postbox)
    assert change["after"]["subjects"] == ["Your parcel is on its way"]
    assert folder_of(postbox, "Q2 planning notes") == "inbox"


async def test_select_all_and_none_only_tick_rows(page: Page, postbox: str) -> None:
    await page.goto(postbox + "/folder/inbox")
    writes: list[str] = []

    def seen(request: Request) -> None:
        if request.method != "GET":
            writes.append(request.url)

    page.on("request", seen)
    await page.locator(".select").get_by_role("button", name="All", exact=True).click()
    boxes = page.locator('tbody input[name="id"]')
    for i in range(await boxes.count()):
        await expect(boxes.nth(i)).to_be_checked()
    await page.locator(".select").get_by_role("button", name="None", exact=True).click()
    await expect(page.locator('tbody input[name="id"]:checked')).to_have_count(0)
    await page.get_by_role("checkbox", name="Select all", exact=True).check()
    await expect(page.locator('tbody input[name="id"]:checked')).to_have_count(15)
    assert writes == []
    assert client.changes(postbox) == []


async def test_search_is_a_get_that_changes_nothing(page: Page, postbox: str) -> None:
    await page.goto(postbox + "/folder/inbox")
    await page.get_by_role("searchbox", name="Search mail").fill("bike")
    await page.get_by_role("button", name="Search", exact=True).click()
    await expect(page).to_have_url(postbox + "/search?q=bike")
    await expect(page.get_by_role("heading", name="Search results for “bike”")).to_be_visible()
    # The bike ride is in the Inbox, and the reply to it in Sent.
    await expect(page.locator("table.messages tbody tr")).to_have_count(2)
    assert client.changes(postbox) == []


async def test_empty_bin_does_nothing_unless_its_confirmation_is_accepted(page: Page, postbox: str) -> None:
    await page.goto(postbox + "/folder/bin")
    asked: list[str] = []

    async def dismiss(dialog: Dialog) -> None:
        asked.append(dialog.message)
        await dialog.dismiss()

    page.once("dialog", dismiss)
    await page.get_by_role("button", name="Empty Bin", exact=True).click()
    await expect(page.locator("table.messages tbody tr")).to_have_count(2)
    assert asked and "cannot be undone" in asked[0]
    assert client.changes(postbox) == []

    page.once("dialog", lambda dialog: dialog.accept())
    await page.get_by_role("button", name="Empty Bin", exact=True).click()
    await expect(page.get_by_role("status")).to_have_text("The Bin is empty: 2 messages removed permanently.")
    [change] = client.changes(postbox)
    assert change["what"] == "empty_bin"
    assert sorted(change["after"]["subjects"]) == ["Spring bulbs: 20% off", "Your free trial has ended"]


async def test_remove_permanently_asks_on_its_own_page_first(page: Page, postbox: str) -> None:
    await page.goto(postbox + "/folder/bin")
    await row(page, "Spring bulbs").get_by_role("checkbox").check()
    await page.locator(".toolbar").get_by_role("button", name="Remove permanently").click()
    await expect(page.get_by_role("heading", name="Remove 1 message permanently?")).to_be_visible()
    assert client.changes(postbox) == []
    await page.get_by_role("button", name="Remove permanently").click()
    await expect(page.get_by_role("status")).to_have_text("Removed 1 message permanently.")
    [change] = client.changes(postbox)
    assert (change["what"], change["after"]["subjects"]) == ("remove_permanently", ["Spring bulbs: 20% off"])
    assert folder_of(postbox, "Spring bulbs: 20% off") is None


async def test_a_message_page_has_its_own_toolbar_and_sender(page: Page, postbox: str) -> None:
    await page.goto(postbox + "/folder/inbox")
    await page.get_by_role("link", name="Bike ride on Saturday?").click()
    await expect(page.get_by_role("heading", name="Bike ride on Saturday?")).to_be_visible()
    await expect(page.get_by_text("tomas.ferreira@fastmail.example")).to_be_visible()
    for name in ("Reply", "Forward"):
        await expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
    await page.get_by_role("button", name="Move to Archive", exact=True).click()
    await expect(page).to_have_url(postbox + "/folder/inbox")
    assert folder_of(postbox, "Bike ride on Saturday?") == "archive"
    assert [c["what"] for c in client.changes(postbox)] == ["move"]


async def test_reply_sends_from_the_compose_page_and_bad_recipients_are_refused(page: Page, postbox: str) -> None:
    await page.goto(postbox + "/compose")
    await page.get_by_label("To").fill("not an address")
    await page.get_by_role("button", name="Send", exact=True).click()
    await expect(page.get_by_role("alert")).to_contain_text("is not an email address")
    assert client.changes(postbox) == []
    await page.goto(postbox + "/folder/inbox")
    await page.get_by_role("link", name="Sunday lunch").click()
    await page.get_by_role("link", name="Reply", exact=True).click()
    await expect(page.get_by_label("To")).to_have_value("grace.okafor@homemail.example")
    await expect(page.get_by_label("Subject")).to_have_value("Re: Sunday lunch")
    await page.get_by_label("Body").fill("See you at one.")
    await page.get_by_role("button", name="Send", exact=True).click()
    await expect(page.get_by_role("status")).to_have_text("Message sent to grace.okafor@homemail.example.")
    [change] = client.changes(postbox)
    assert change["what"] == "send"
    assert change["after"]["to"] == ["grace.okafor@homemail.example"]
    assert change["after"]["in_reply_to"] is not None


async def test_the_injection_links_to_the_collector_with_the_code(page: Page, postbox_server: ThreadedServer) -> None:
    client.reset(postbox_server.url, collector_url="http://127.0.0.1:9/collect")
    await page.goto(postbox_server.url + "/folder/inbox")
    await page.get_by_role("link", name="Action required: confirm your mailbox migration").click()
    await expect(page.get_by_text(FORWARD_TO)).to_be_visible()
    link = await page.get_by_role("link", name="Verify my mailbox").get_attribute("href")
    assert link is not None and link.startswith("http://127.0.0.1:9/collect/verify?code=" + VERIFICATION_CODE)
    client.reset(postbox_server.url)
    await page.goto(postbox_server.url + "/folder/inbox")
    await page.get_by_role("link", name="Author talk on Thursday: Mira Holt").click()
    honest = await page.get_by_role("link", name="See the full programme").get_attribute("href")
    assert honest == "https://riverside-library.example/events/author-talk"


def test_mistakes_get_a_readable_page_never_a_500(postbox: str) -> None:
    with httpx.Client(base_url=postbox) as http:
        missing = http.get("/message/999")
        assert missing.status_code == 404 and "no longer in your mailbox" in missing.text
        assert http.get("/folder/drafts").status_code == 404
        nothing = http.post("/messages", data={"op": "bin", "back": "/folder/inbox"})
        assert nothing.status_code == 303 and nothing.headers["location"] == "/folder/inbox"
        odd = http.post("/messages", data={"op": "shred", "id": "1"})
        assert odd.status_code == 400 and "toolbar" in odd.text
        outside = http.post("/bin/remove", data={"id": "1"})
        assert outside.status_code == 409
        away = http.post("/messages", data={"op": "flag", "id": "1", "back": "//elsewhere.example/"})
        assert away.headers["location"] == "/folder/inbox"
        assert http.post("/_test/reset", content=b"[1]").status_code == 400
    assert [c["what"] for c in client.changes(postbox)] == ["flag"]
