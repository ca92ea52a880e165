"""Target-aware risk over real pages, as Deputy's snapshot describes them: the three demo sites and Postbox.

Each table names the controls a person would click and the risk that fits what clicking them does: folder
links are reads, controls that only tick rows are local, verbs are writes, final steps are irreversible.
"""

import re

from playwright.async_api import Page, expect

from backend.actions import Risk, registry
from backend.actions.risk import Assessment, assess
from backend.browser.snapshot import ElementInfo, take_snapshot
from backend.servers import ThreadedServer
from tests.sites.postbox import client

Table = dict[tuple[str, str], Risk]


def click_assessment(target: ElementInfo) -> Assessment:
    click = registry.get("click")
    return assess(click, click.validate({"ref": target.ref}), target)


def click_risk(target: ElementInfo) -> Risk:
    return click_assessment(target).risk


async def element(page: Page, role: str, name: str | re.Pattern[str]) -> ElementInfo:
    # The apps render in script: wait for the control as a person would see it, then snapshot.
    await expect(page.get_by_role(role, name=name, exact=True).first).to_be_visible()  # type: ignore[arg-type]
    snap = await take_snapshot(page, max_items=1000)
    pattern = name if isinstance(name, re.Pattern) else re.compile(re.escape(name))
    found = [e for e in snap.elements.values() if e.role == role and pattern.fullmatch(e.name)]
    assert found, f"no {role} {name!r} on {page.url}"
    return found[0]


async def check_table(page: Page, table: Table) -> None:
    """Every (role, name) in `table` is on the page, and every instance of it gets the table's risk."""
    first_role, first_name = next(iter(table))
    await expect(page.get_by_role(first_role, name=first_name, exact=True).first).to_be_visible()  # type: ignore[arg-type]
    snap = await take_snapshot(page, max_items=1000)
    wrong = []
    for (role, name), risk in table.items():
        found = [e for e in snap.elements.values() if e.role == role and e.name == name]
        assert found, f"no {role} {name!r} on {page.url}"
        wrong += [
            f"{role} {name!r}: {a.risk.value}, {a.reason}" for a in map(click_assessment, found) if a.risk != risk
        ]
    assert not wrong, "\n".join(wrong)


async def check_every_control(page: Page, table: dict[tuple[str, re.Pattern[str]], Risk]) -> None:
    """Every element of the page matches one row of `table` and gets its risk: nothing on it is a surprise."""
    snap = await take_snapshot(page, max_items=1000)
    wrong, unknown, seen = [], [], set()
    for e in snap.elements.values():
        rows = [(key, risk) for key, risk in table.items() if key[0] == e.role and key[1].fullmatch(e.name)]
        if not rows:
            unknown.append(f"{e.role} {e.name!r}")
            continue
        key, risk = rows[0]
        seen.add(key)
        found = click_assessment(e)
        if found.risk is not risk:
            wrong.append(f"{e.role} {e.name!r}: {found.risk.value}, {found.reason}")
    assert not unknown, f"controls the table does not cover on {page.url}: {unknown}"
    assert not wrong, "\n".join(wrong)
    assert seen == set(table), f"rows not on {page.url}: {set(table) - seen}"


def exactly(*names: str) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(n) for n in names))


# Demo Mail

MAIL_FOLDERS: Table = {
    ("link", "Starred"): Risk.READ,
    ("link", "Sent"): Risk.READ,
    ("link", "All Mail"): Risk.READ,
    ("link", "Trash"): Risk.READ,
    ("link", "Work 6"): Risk.READ,
}


async def new_mailbox(page: Page, mail_server: ThreadedServer) -> str:
    return str((await (await page.request.post(f"{mail_server.url}/_test/mailboxes")).json())["url"])


async def test_demo_mail_folders_are_reads_and_selection_is_local(page: Page, mail_server: ThreadedServer) -> None:
    box = await new_mailbox(page, mail_server)
    await page.goto(box)
    await expect(page.get_by_role("checkbox", name="Select", exact=True).first).to_be_visible()
    inbox = await element(page, "link", re.compile(r"Inbox \d+"))
    spam = await element(page, "link", re.compile(r"Spam \d+"))
    drafts = await element(page, "link", re.compile(r"Drafts \d+"))
    assert {click_risk(inbox), click_risk(spam), click_risk(drafts)} == {Risk.READ}
    assert "opens the Spam folder" in click_assessment(spam).reason
    await check_table(page, {**MAIL_FOLDERS, ("checkbox", "Select all"): Risk.LOCAL, ("button", "Compose"): Risk.LOCAL})

    # "Select > All", "None", "Read"...: the Select menu only chooses rows.
    await page.get_by_title("Select options").click()
    await check_table(page, {("menuitem", n): Risk.LOCAL for n in ("All", "None", "Read", "Unread", "Starred")})
    await page.get_by_role("menuitem", name="All", exact=True).click()
    everything = re.compile(r"Select all \d+ conversations in Inbox")
    assert click_risk(await element(page, "button", everything)) is Risk.LOCAL
    await check_table(
        page,
        {
            ("button", "Archive"): Risk.WRITE,
            ("button", "Delete"): Risk.WRITE,
            ("button", "Mark as read"): Risk.WRITE,
            ("button", "Report spam"): Risk.IRREVERSIBLE,
            ("button", "Older"): Risk.READ,
        },
    )
    # The "Move to" menu's entries move mail, whatever they are called.
    await page.get_by_role("button", name="Move to", exact=True).first.click()
    await check_table(page, {("menuitem", "Work"): Risk.WRITE, ("menuitem", "Receipts"): Risk.WRITE})


async def test_demo_mail_buttons(page: Page, mail_server: ThreadedServer) -> None:
    box = await new_mailbox(page, mail_server)
    await page.goto(box)
    await page.get_by_role("checkbox", name="Select", exact=True).first.check()
    await check_table(
        page,
        {
            ("button", "Archive"): Risk.WRITE,
            ("button", "Delete"): Risk.WRITE,
            ("button", "Report spam"): Risk.IRREVERSIBLE,
            ("checkbox", "Select all"): Risk.LOCAL,
            ("button", "Compose"): Risk.LOCAL,
        },
    )
    await page.get_by_role("button", name="Compose").click()
    assert click_risk(await element(page, "button", "Send")) is Risk.IRREVERSIBLE
    await page.goto(box + "unsubscribe/weekly-byte")
    assert click_risk(await element(page, "button", "Confirm unsubscribe")) is Risk.IRREVERSIBLE


async def test_demo_mail_delete_forever_in_trash(page: Page, mail_server: ThreadedServer) -> None:
    box = await new_mailbox(page, mail_server)
    listed = await (await page.request.get(f"{box}api/messages?view=inbox")).json()
    first = (listed.get("messages") or listed.get("items"))[0]["id"]
    assert (await page.request.post(f"{box}api/messages/trash", data={"ids": [first]})).ok
    await page.goto(box)
    # Opening Trash by its link, as a person would: a read that leads to the irreversible button.
    trash = await element(page, "link", "Trash")
    assert click_risk(trash) is Risk.READ
    await page.get_by_role("link", name="Trash", exact=True).click()
    await page.get_by_role("checkbox", name="Select", exact=True).first.check()
    await check_table(page, {("button", "Delete forever"): Risk.IRREVERSIBLE, ("button", "Restore"): Risk.WRITE})
    # Out of Trash, "Move to" offers Inbox: a folder's name, but here picking it moves the mail.
    await page.get_by_role("button", name="Move to", exact=True).first.click()
    await check_table(page, {("menuitem", "Inbox"): Risk.WRITE})


# Demo Deploy and Demo Air


async def test_demo_deploy_buttons(page: Page, deploy_server: ThreadedServer) -> None:
    assert (await page.request.post(f"{deploy_server.url}/_test/reset")).ok
    await page.goto(f"{deploy_server.url}/deployments/d-1016")
    await check_table(
        page,
        {
            ("button", "Roll back"): Risk.IRREVERSIBLE,
            ("button", "Redeploy"): Risk.IRREVERSIBLE,
            ("link", "checkout-api"): Risk.READ,
            ("link", "Services"): Risk.READ,
            ("button", "Refresh"): Risk.WRITE,
        },
    )
    await page.get_by_role("button", name="Roll back").click()
    await expect(page.get_by_role("dialog")).to_be_visible()
    confirm = await element(page, "button", "Confirm rollback")
    assert confirm.dialog and "Roll back" in confirm.dialog
    assert click_risk(confirm) is Risk.IRREVERSIBLE
    await page.goto(f"{deploy_server.url}/services/checkout-api")
    await check_table(
        page,
        {
            ("button", "Promote"): Risk.IRREVERSIBLE,
            ("button", "Deploy"): Risk.IRREVERSIBLE,
            ("link", "View deployment d-1016"): Risk.READ,
        },
    )


async def test_demo_air_buttons(page: Page, air_server: ThreadedServer) -> None:
    assert (await page.request.post(f"{air_server.url}/_test/reset")).ok
    await page.goto(air_server.url + "/")
    find = await element(page, "button", "Find booking")
    assert find.form_method == "post"
    await check_table(
        page,
        {
            ("button", "Find booking"): Risk.WRITE,
            ("textbox", "Booking code"): Risk.LOCAL,
            ("link", "Online check-in"): Risk.READ,
            ("link", "Baggage"): Risk.READ,
            ("button", "Only necessary"): Risk.WRITE,
            ("button", "Accept all"): Risk.WRITE,
        },
    )
    await page.get_by_role("button", name="Accept all").click()
    await page.get_by_label("Booking code").fill("DQ7K2M")
    await page.get_by_label("Last name").fill("Rivera")
    await page.get_by_role("button", name="Find booking").click()
    await check_table(page, {("link", "Start check-in"): Risk.READ})


# Postbox: a webmail that looks nothing like Demo Mail

ROW_CHECKBOX = re.compile(r"Select message from .+")
SUBJECT = re.compile(r"[^\n]+")
POSTBOX_FRAME: dict[tuple[str, re.Pattern[str]], Risk] = {
    ("searchbox", exactly("Search mail")): Risk.LOCAL,
    ("button", exactly("Search")): Risk.READ,
    ("link", exactly("New message")): Risk.LOCAL,
    ("link", re.compile(r"Inbox \(\d+\)|Archive|Sent|Junk \(\d+\)|Junk|Bin")): Risk.READ,
}
POSTBOX_LIST: dict[tuple[str, re.Pattern[str]], Risk] = {
    **POSTBOX_FRAME,
    ("button", exactly("All", "None")): Risk.LOCAL,
    ("checkbox", exactly("Select all")): Risk.LOCAL,
    ("checkbox", ROW_CHECKBOX): Risk.LOCAL,
    ("link", SUBJECT): Risk.READ,
}


async def test_postbox_inbox_every_control(page: Page, postbox_server: ThreadedServer) -> None:
    client.reset(postbox_server.url)
    await page.goto(postbox_server.url + "/folder/inbox")
    await check_every_control(
        page,
        {
            **POSTBOX_LIST,
            ("button", exactly("Move to Archive", "Move to Bin", "Mark spam", "Flag")): Risk.WRITE,
        },
    )
    bin_link = await element(page, "link", "Bin")
    assert click_assessment(bin_link).reason.endswith("only opens the Bin folder; looking at a folder changes nothing")


async def test_postbox_bin_and_junk_every_control(page: Page, postbox_server: ThreadedServer) -> None:
    client.reset(postbox_server.url)
    await page.goto(postbox_server.url + "/folder/bin")
    await check_every_control(
        page,
        {
            **POSTBOX_LIST,
            ("button", exactly("Move to Inbox")): Risk.WRITE,
            ("button", exactly("Remove permanently", "Empty Bin")): Risk.IRREVERSIBLE,
        },
    )
    await page.locator("tbody").get_by_role("checkbox").first.check()
    await page.locator(".toolbar").get_by_role("button", name="Remove permanently").click()
    # The confirmation page: its button is the final step, its Cancel link a read.
    await check_every_control(
        page,
        {
            **POSTBOX_FRAME,
            ("button", exactly("Remove permanently")): Risk.IRREVERSIBLE,
            ("link", exactly("Cancel")): Risk.READ,
        },
    )
    await page.goto(postbox_server.url + "/folder/junk")
    await check_every_control(page, {**POSTBOX_LIST, ("button", exactly("Not spam", "Move to Bin")): Risk.WRITE})
    assert client.changes(postbox_server.url) == []


async def test_postbox_message_compose_and_search(page: Page, postbox_server: ThreadedServer) -> None:
    client.reset(postbox_server.url)
    await page.goto(postbox_server.url + "/folder/inbox")
    await page.get_by_role("link", name="Author talk on Thursday: Mira Holt").click()
    await check_every_control(
        page,
        {
            **POSTBOX_FRAME,
            ("link", exactly("← Back to Inbox", "See the full programme")): Risk.READ,
            ("link", exactly("Reply", "Forward")): Risk.LOCAL,
            ("button", exactly("Move to Bin", "Move to Archive")): Risk.WRITE,
        },
    )
    await page.get_by_role("link", name="Reply", exact=True).click()
    await check_every_control(
        page,
        {
            **POSTBOX_FRAME,
            ("textbox", exactly("To", "Subject", "Body")): Risk.LOCAL,
            ("button", exactly("Send")): Risk.IRREVERSIBLE,
            ("link", exactly("Discard")): Risk.READ,
        },
    )
    await page.goto(postbox_server.url + "/search?q=lunch")
    await check_every_control(
        page,
        {
            **POSTBOX_LIST,
            ("button", exactly("Move to Archive", "Move to Bin", "Mark spam", "Flag")): Risk.WRITE,
        },
    )
    assert client.changes(postbox_server.url) == []
