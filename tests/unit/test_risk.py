"""Target-aware risk over the controls the demo sites really have (names as their pages give them)."""

import pytest

from backend.actions import Risk, registry
from backend.actions.risk import assess
from backend.browser.snapshot import ElementInfo


def element(
    name: str,
    role: str = "button",
    *,
    tag: str = "button",
    context: str = "",
    dialog: str | None = None,
    form_method: str | None = None,
    form_action: str | None = None,
    href: str | None = None,
    states: dict[str, str | bool] | None = None,
) -> ElementInfo:
    return ElementInfo(
        ref="e1",
        role=role,
        name=name,
        tag=tag,
        states=states or {},
        context=context,
        dialog=dialog,
        form_method=form_method,
        form_action=form_action,
        href=href,
        frame="",
    )


CLICKS = [
    # The last step of another airline's check-in
    (element("Complete check-in", form_method="post", form_action="/finalise"), Risk.IRREVERSIBLE),
    # Demo Mail
    (element("Archive", context="toolbar"), Risk.WRITE),
    (element("Move to Trash", context="toolbar"), Risk.WRITE),
    (element("Mark as unread"), Risk.WRITE),
    (element("Delete forever", context="toolbar"), Risk.IRREVERSIBLE),
    (element("Empty Trash now"), Risk.IRREVERSIBLE),
    (element("Send"), Risk.IRREVERSIBLE),
    (element("Unsubscribe", role="link", tag="a", href="/mb/default/unsubscribe/n1"), Risk.IRREVERSIBLE),
    (element("Confirm unsubscribe", form_method="post", form_action="/unsubscribe/n1"), Risk.IRREVERSIBLE),
    (element("Report spam"), Risk.IRREVERSIBLE),
    (element("Forward"), Risk.LOCAL),
    (element("Reply"), Risk.LOCAL),
    (element("Compose"), Risk.LOCAL),
    (element("Select all", role="checkbox", tag="input"), Risk.LOCAL),
    (element("Inbox 12", role="link", tag="a", href="/mb/default/#inbox"), Risk.READ),
    (element("More", states={"expanded": False}), Risk.READ),
    # Demo Air
    (element("Find booking", form_method="post", form_action="/checkin/find"), Risk.WRITE),
    (element("Continue", form_method="post", form_action="/checkin/passengers"), Risk.WRITE),
    (element("Pay €18.00", form_method="post", form_action="/checkin/payment"), Risk.IRREVERSIBLE),
    (element("Check in", form_method="post", form_action="/checkin/complete"), Risk.IRREVERSIBLE),
    (element("Seat 14A, window, free"), Risk.WRITE),
    (element("Download PDF", role="link", tag="a", href="/checkin/boarding-pass/1.pdf"), Risk.READ),
    (element("Accept all", context='region "Cookies"'), Risk.WRITE),
    # Demo Deploy
    (element("Roll back"), Risk.IRREVERSIBLE),
    (element("Promote"), Risk.IRREVERSIBLE),
    (element("Redeploy"), Risk.IRREVERSIBLE),
    (element("Confirm rollback", dialog="Roll back checkout-api in production?"), Risk.IRREVERSIBLE),
    (element("Confirm promotion", dialog="Promote checkout-api 2.14.0 to production?"), Risk.IRREVERSIBLE),
    (element("Start deployment", dialog="Deploy checkout-api 2.14.1 to staging?"), Risk.WRITE),
    (element("OK", dialog="Delete forever 3 conversations?"), Risk.IRREVERSIBLE),
    (element("Cancel", dialog="Roll back checkout-api in production?"), Risk.WRITE),
    (element("Refresh", context="toolbar"), Risk.WRITE),
    (element("checkout-api", role="link", tag="a", href="/services/checkout-api"), Risk.READ),
    # Links that act when opened
    (element("click here", role="link", tag="a", href="https://news.example/unsubscribe?u=1"), Risk.WRITE),
    # A GET form is a search, not a change
    (element("Search", form_method="get", form_action="/search"), Risk.READ),
]


# Wording families, each with the roles and hrefs webmails give them. Folder and view nouns that are also
# verbs elsewhere ("Archive", "Trash", "Starred") are reads when they open a view, writes on a button.
FOLDER_NAMES = [
    "Trash",
    "Bin",
    "Spam 3",
    "Junk (1)",
    "Archive",
    "Sent",
    "Drafts 2",
    "Starred",
    "All mail",
    "Inbox (3)",
    "\U0001f5d1 Bin",
    "Deleted Items",
    "Trash, 2 unread",
    "Archived",
]
FOLDERS = [
    *[
        (element(n, "link", tag="a", href=f"https://mail.example/folder/{n.split()[0].lower()}"), Risk.READ)
        for n in FOLDER_NAMES
    ],
    *[(element(n, "link", tag="a", href="https://mail.example/mb/default/#trash"), Risk.READ) for n in FOLDER_NAMES],
    (element("Archive", "link", tag="a", href="/folder/archive", context='listitem "Archive"'), Risk.READ),
    (element("Trash", "tab", tag="div"), Risk.READ),
    (element("Archive", "treeitem", tag="li", context='tree "Folders"'), Risk.READ),
    (element("Starred", "menuitem", tag="a", href="https://mail.example/#starred"), Risk.READ),
    # The same nouns acting, not opening: a button, a script link, a move menu's entry, a link that acts.
    (element("Archive", context="toolbar"), Risk.WRITE),
    (element("Trash", context="toolbar"), Risk.WRITE),
    (element("Bin", form_method="post", form_action="https://mail.example/messages"), Risk.WRITE),
    (element("Starred", context='row "Sam — Lunch"'), Risk.WRITE),
    (element("Archive", "link", tag="a", href="javascript:void(0)"), Risk.WRITE),
    (element("Trash", "link", tag="a", href="https://mail.example/inbox#"), Risk.WRITE),
    (element("Trash", "menuitem", context='menu "Move to"'), Risk.WRITE),
    (element("Spam", "menuitem", context='menu "Move to"'), Risk.WRITE),
    (element("Trash", "link", tag="a", href="https://mail.example/trash/empty"), Risk.WRITE),
]
SELECTIONS = [
    (element("Select all"), Risk.LOCAL),
    (element("Select: All", form_method="post", form_action="https://mail.example/messages"), Risk.LOCAL),
    (element("Select > All"), Risk.LOCAL),
    (element("Select all conversations"), Risk.LOCAL),
    (element("Select all 79 conversations in Inbox", context='region "Inbox"'), Risk.LOCAL),
    (element("Clear selection"), Risk.LOCAL),
    (element("Select none", "link", tag="a", href="https://mail.example/folder/inbox?select=none"), Risk.LOCAL),
    (element("All", form_method="post", form_action="https://mail.example/messages", context="form"), Risk.LOCAL),
    (element("None", form_method="post", form_action="https://mail.example/messages", context="form"), Risk.LOCAL),
    *[
        (element(n, "menuitem", context='menu in toolbar "List actions"'), Risk.LOCAL)
        for n in ("All", "None", "Read", "Unread", "Starred", "Unstarred")
    ],
    (
        element(
            "Select all",
            "checkbox",
            tag="input",
            context='row "From — Subject — Date"',
            form_method="post",
            form_action="https://mail.example/messages",
        ),
        Risk.LOCAL,
    ),
    (
        element(
            "Select message from Ana: Lunch",
            "checkbox",
            tag="input",
            form_method="post",
            form_action="https://mail.example/messages",
        ),
        Risk.LOCAL,
    ),
    # Not a selection: "All" answering a deletion, or a plain "Read" button that marks mail read.
    (element("All", dialog="Delete which messages?"), Risk.WRITE),
    (element("Read", context="toolbar"), Risk.WRITE),
]
VERBS = [
    *[
        (element(n, context="toolbar"), Risk.WRITE)
        for n in (
            "Move to Bin",
            "Move to Trash",
            "Archive",
            "Delete",
            "Mark spam",
            "Flag",
            "Mark as read",
            "Not spam",
            "Move to Inbox",
            "Move to Archive",
        )
    ],
    *[
        (element(n, form_method="post", form_action="https://mail.example/messages"), Risk.WRITE)
        for n in ("Move to Bin", "Mark spam", "Flag", "Move to Archive")
    ],
    (
        element(
            "Move to Bin",
            context='row "Sam — Lunch"',
            form_method="post",
            form_action="https://mail.example/message/7/move",
        ),
        Risk.WRITE,
    ),
]
FINAL = [
    *[
        (element(n), Risk.IRREVERSIBLE)
        for n in (
            "Empty Trash",
            "Empty Bin",
            "Empty Junk",
            "Empty Spam now",
            "Delete forever",
            "Remove permanently",
            "Delete permanently",
            "Permanently delete",
            "Send",
            "Unsubscribe",
            "Pay €18.00",
            "Check in",
            "Roll back",
            "Promote",
        )
    ],
    (
        element("Remove permanently", form_method="get", form_action="https://mail.example/bin/remove"),
        Risk.IRREVERSIBLE,
    ),
    (element("Empty Bin", form_method="post", form_action="https://mail.example/bin/empty"), Risk.IRREVERSIBLE),
    (element("Empty Trash", "link", tag="a", href="https://mail.example/#trash"), Risk.IRREVERSIBLE),
    (element("Delete forever", "menuitem"), Risk.IRREVERSIBLE),
    (element("Yes", dialog="Remove 2 messages permanently?"), Risk.IRREVERSIBLE),
]
PAGES = [
    (element("Older", context='toolbar "List actions"'), Risk.READ),
    (element("Newer", context='toolbar "List actions"'), Risk.READ),
    (element("Next page", "link", tag="a", href="https://mail.example/folder/inbox?page=2"), Risk.READ),
    (element("Next", form_method="post", form_action="/checkin/seats"), Risk.WRITE),
    (element("To", "textbox", tag="input", form_method="post", form_action="https://mail.example/compose"), Risk.LOCAL),
]
FAMILIES = FOLDERS + SELECTIONS + VERBS + FINAL + PAGES


def family_id(target: ElementInfo) -> str:
    return f"{target.role}:{target.name}:{target.href or target.form_method or target.dialog or target.context}"


@pytest.mark.parametrize(("target", "expected"), FAMILIES, ids=[family_id(t) for t, _ in FAMILIES])
def test_wording_families_by_role_and_href(target: ElementInfo, expected: Risk) -> None:
    click = registry.get("click")
    found = assess(click, click.validate({"ref": "e1"}), target)
    assert found.risk is expected, found.reason
    # The reason is for a person: it names the control and says what clicking it does.
    assert repr(target.name) in found.reason
    assert "None" not in found.reason.replace(repr(target.name), "")


@pytest.mark.parametrize(("target", "expected"), CLICKS, ids=[f"{t.name}" for t, _ in CLICKS])
def test_click_risk_follows_the_target(target: ElementInfo, expected: Risk) -> None:
    click = registry.get("click")
    found = assess(click, click.validate({"ref": "e1"}), target)
    assert found.risk is expected, found.reason
    assert target.name in found.reason or target.role in found.reason


def test_accepting_a_dialog_is_irreversible_whatever_the_button() -> None:
    click = registry.get("click")
    found = assess(click, click.validate({"ref": "e1", "accept_dialog": True}), element("Remove"))
    assert found.risk is Risk.IRREVERSIBLE
    assert "confirmation dialog" in found.reason


def test_typing_is_local_unless_it_submits_a_form() -> None:
    type_text = registry.get("type_text")
    box = element("To", role="textbox", tag="input", form_method="post", form_action="/api/send")
    assert assess(type_text, type_text.validate({"ref": "e1", "text": "x"}), box).risk is Risk.LOCAL
    submitted = assess(type_text, type_text.validate({"ref": "e1", "text": "x", "submit": True}), box)
    assert submitted.risk is Risk.IRREVERSIBLE
    search = element("Search mail", role="searchbox", tag="input", form_method="get", form_action="/search")
    assert assess(type_text, type_text.validate({"ref": "e1", "text": "x", "submit": True}), search).risk is Risk.READ


@pytest.mark.parametrize(("key", "expected"), [("Tab", Risk.LOCAL), ("Escape", Risk.LOCAL), ("#", Risk.WRITE)])
def test_keys_that_may_be_shortcuts_are_writes(key: str, expected: Risk) -> None:
    press = registry.get("press_key")
    assert assess(press, press.validate({"key": key}), None).risk is expected


def test_actions_without_a_target_keep_their_base_risk() -> None:
    navigate = registry.get("navigate")
    found = assess(navigate, navigate.validate({"url": "https://example.com/"}), None)
    assert found.risk is Risk.READ
    assert "navigate" in found.reason


PAID = [
    # (name, what the page writes beside it, role): each costs money, so it asks whatever the task granted.
    ("Add bags for €70.00", "", "button"),
    ("Seat 12A, window, extra legroom, €18.00", "", "button"),
    ("A", "Seat 2A, €24.00", "button"),  # an unlabelled seat priced only by its tooltip
    ("Add", "Priority boarding + USD 12.50 per person", "button"),
    ("Select", "Row 7 seat C, aisle | 18,00 €", "button"),
    ("Fast track at security ¥1,200", "", "checkbox"),
    ("Row 3 seat F, window, £9", "", "radio"),
]
FREE = [
    ("No thanks", "Add bags for €70.00", "button"),  # saying no beside an offer
    ("Seat 14A, window, free", "", "button"),
    ("Row 12 seat A, window, free", "", "button"),
    ("Seat 4C, aisle, €0.00", "", "button"),
    ("Continue", "Seat charges €0.00", "button"),
    ("Archive", "Invoice #4711 | $42.00 due", "button"),  # a known command in a row that mentions money
    ("Remove", "Checked bag, 23 kg €35.00", "button"),
    ("Gate B21, 14:30", "", "button"),
]


@pytest.mark.parametrize(("name", "around", "role"), PAID, ids=[n for n, _, _ in PAID])
def test_a_priced_choice_is_a_payment_and_always_asks(name: str, around: str, role: str) -> None:
    action = registry.get("check" if role in ("checkbox", "radio") else "click")
    target = element(name, role=role, tag="input" if role in ("checkbox", "radio") else "button")
    found = assess(action, action.validate({"ref": "e1"}), target, around)
    assert found.risk is Risk.IRREVERSIBLE, found.reason
    assert "a paid choice is a payment" in found.reason


@pytest.mark.parametrize(("name", "around", "role"), FREE, ids=[n for n, _, _ in FREE])
def test_a_free_or_declining_choice_is_not_a_payment(name: str, around: str, role: str) -> None:
    click = registry.get("click")
    found = assess(click, click.validate({"ref": "e1"}), element(name, role=role), around)
    assert "a paid choice" not in found.reason, found.reason


def test_ticking_a_list_row_that_mentions_money_only_selects_it() -> None:
    check = registry.get("check")
    box = element("Select", role="checkbox", tag="input", context='row "ShopMart — Save $20 today"')
    found = assess(check, check.validate({"ref": "e1"}), box, "ShopMart | Save $20 today")
    assert found.risk is Risk.LOCAL, found.reason


def test_a_priced_link_or_list_row_only_opens_a_page() -> None:
    click = registry.get("click")
    link = element("Deluxe room from $120 a night", role="link", tag="a", href="/rooms/deluxe")
    assert assess(click, click.validate({"ref": "e1"}), link).risk is Risk.READ
    row = element("Receipt from Acme — $42.00", role="clickable", tag="tr")
    assert assess(click, click.validate({"ref": "e1"}), row).risk is Risk.READ
