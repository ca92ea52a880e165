"""Amounts as people type them become exact micro-dollars; nonsense gets a message that says why."""

from decimal import Decimal

import pytest
from pydantic import ValidationError

from backend.ledger.money import MoneyError, dollars, parse_usd, usd
from backend.models import RuleCreate, TaskCreate


@pytest.mark.parametrize(
    ("typed", "micros"),
    [
        (5, 5_000_000),
        (5.25, 5_250_000),
        ("0.10", 100_000),
        (0.1, 100_000),
        ("$2", 2_000_000),
        (" 1,000 ", 1_000_000_000),
        (Decimal("0.0000015"), 2),  # below a micro-dollar: half up
        (0.29, 290_000),  # a float that is 0.28999999999999998 inside
    ],
)
def test_what_people_type_is_kept_exactly(typed: object, micros: int) -> None:
    assert parse_usd(typed) == micros


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        (-1, "more than $0"),
        (0, "more than $0"),
        ("-0.5", "more than $0"),
        (float("nan"), "not NaN"),
        ("NaN", "not NaN"),
        (float("inf"), "not NaN or infinity"),
        ("1e400", "more than the most"),
        (10**12, "more than the most"),
        ("five", "not an amount of dollars"),
        (True, "a number such as 5"),
        (None, "a number such as 5"),
        ([5], "a number such as 5"),
        ("0.0000001", "less than a micro-dollar"),
    ],
)
def test_nonsense_is_refused_with_a_reason(typed: object, says: str) -> None:
    with pytest.raises(MoneyError) as error:
        parse_usd(typed)
    assert says in str(error.value)


def test_display_is_exact() -> None:
    assert dollars(10_000) == "$0.01"
    assert dollars(9_873) == "$0.009873"
    assert dollars(5_250_000) == "$5.25"
    assert dollars(12_000_000) == "$12.00"
    assert dollars(-1) == "-$0.000001"
    assert usd(29_727) == 0.029727
    assert repr(usd(1)) == "1e-06"
    assert [usd(n) for n in (100_000, 200_000, 300_000)] == [0.1, 0.2, 0.3]


@pytest.mark.parametrize("typed", [5, 5.25, "0.10", "$0.10"])
def test_budget_rules_take_what_people_type(typed: object) -> None:
    rule = RuleCreate.model_validate({"kind": "budget_day", "value": {"usd": typed}})
    assert rule.value["micro_usd"] == parse_usd(typed)
    assert rule.value["usd"] == usd(parse_usd(typed))


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ({"usd": -5}, "more than $0"),
        ({"usd": "NaN"}, "not NaN"),
        ({"usd": 1e9}, "more than the most"),
        ({"usd": "lots"}, "not an amount of dollars"),
        ({}, "value.usd"),
        ({"usd": 5, "eur": 4}, "value.usd"),
    ],
)
def test_budget_rules_refuse_nonsense(value: dict[str, object], says: str) -> None:
    with pytest.raises(ValidationError) as error:
        RuleCreate.model_validate({"kind": "budget_task", "value": value})
    assert says in str(error.value)


def test_a_task_budget_is_exact() -> None:
    assert TaskCreate(instruction="x", budget_usd="0.10").budget_micro_usd == 100_000
    assert TaskCreate(instruction="x", budget_usd=0.3).budget_micro_usd == 300_000
    assert TaskCreate(instruction="x").budget_micro_usd is None
    for bad in (-1, 0, "NaN", 5000, "x"):
        with pytest.raises(ValidationError):
            TaskCreate(instruction="x", budget_usd=bad)
