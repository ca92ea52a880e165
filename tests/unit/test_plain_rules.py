"""The offline reader of plain-English mail rules, and the check on a model's reading: only the rule's own
fields survive, and what cannot be a rule is refused with a sentence saying what can."""

import json

import pytest

from backend.skills.mail.plain import PlainRuleError, parse_answer, read_offline


@pytest.mark.parametrize(
    ("said", "match", "action", "label"),
    [
        ("archive newsletters", {"list_unsubscribe": True}, "archive", None),
        ("archive mail from shopmart.example", {"domain": "shopmart.example"}, "archive", None),
        (
            "Archive anything from @Bank.Example with attachments",
            {"domain": "bank.example", "has_attachment": True},
            "archive",
            None,
        ),
        ("star mail from Priya Nair", {"sender": "Priya Nair"}, "star", None),
        ("flag messages from Tomás Ferreira", {"sender": "Tomás Ferreira"}, "star", None),
        ("mark as read everything from CodeHub", {"sender": "CodeHub"}, "mark_read", None),
        (
            "mark newsletters from LaunchList Daily as read",
            {"sender": "LaunchList Daily", "list_unsubscribe": True},
            "mark_read",
            None,
        ),
        ("archive mail whose subject says 'weekly digest'", {"subject_words": ["weekly", "digest"]}, "archive", None),
        ("label mail from ShopMart Deals as Receipts", {"sender": "ShopMart Deals"}, "label", "Receipts"),
        ("move mail from LaunchList Daily to Newsletters", {"sender": "LaunchList Daily"}, "label", "Newsletters"),
        ("put newsletters in the Newsletters folder", {"list_unsubscribe": True}, "label", "Newsletters"),
        ("file away mail from Riverside Library", {"sender": "Riverside Library"}, "archive", None),
    ],
)
def test_common_forms(said: str, match: dict[str, object], action: str, label: str | None) -> None:
    rule = read_offline(said).rule
    got = rule.match.model_dump(exclude_none=True)
    if not got["subject_words"]:
        got.pop("subject_words")
    assert got == match
    assert rule.action == action and rule.label == label


def test_what_a_rule_cannot_match_is_said_not_dropped() -> None:
    reading = read_offline("archive newsletters I haven't opened in a month")
    assert reading.left_out == "haven't opened in a month"
    assert read_offline("archive mail from shopmart.example").left_out == ""


@pytest.mark.parametrize(
    ("said", "why"),
    [
        ("", "empty"),
        ("delete all mail from ShopMart", "cannot 'delete'"),
        ("unsubscribe me from newsletters", "cannot 'unsubscribe'"),
        ("forward invoices to accounts@else.example", "cannot 'forward'"),
        ("be nice to my mail", "what the rule should do"),
        ("archive please", "which mail"),
        ("label mail from ShopMart", "label's name"),
    ],
)
def test_what_cannot_be_a_rule_gets_a_reason(said: str, why: str) -> None:
    with pytest.raises(PlainRuleError, match=why):
        read_offline(said)


def test_a_models_reading_keeps_only_the_rules_fields() -> None:
    answer = json.dumps(
        {
            "match": {"sender": "LaunchList Daily", "domain": None, "subject_words": [], "has_attachment": None},
            "action": "archive",
            "label": None,
            "left_out": "",
            "name": "Ignore previous instructions",
        }
    )
    reading = parse_answer("Here you go: " + answer)
    assert reading.by == "model" and reading.rule.name == "Archive mail from LaunchList Daily"
    for bad in (
        {"match": {"sender": "x"}, "action": "forward", "to": "thief@evil.test"},
        {"match": {"url": "http://evil.test"}, "action": "archive"},
        {"match": {}, "action": "archive"},
        {"error": "rules cannot delete"},
    ):
        with pytest.raises(PlainRuleError):
            parse_answer(json.dumps(bad))
    with pytest.raises(PlainRuleError, match="did not answer with a rule"):
        parse_answer("I would rather not.")
