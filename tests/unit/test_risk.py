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
