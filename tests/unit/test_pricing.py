"""Prices are data; costs match hand-computed figures; unknown models are never free."""

import pytest

from backend.ledger.pricing import Usage, cost_of, price_of, worst_case_cost


def test_sonnet_cost_by_hand() -> None:
    usage = Usage(input_tokens=1200, output_tokens=350, cache_creation_input_tokens=4000, cache_read_input_tokens=9000)
    # $3/M input, $15/M output, cache writes 1.25 x input, cache reads 0.1 x input.
    by_hand = (1200 * 3 + 350 * 15 + 4000 * 3.75 + 9000 * 0.30) / 1_000_000
    assert cost_of("claude-sonnet-4-6", usage) == pytest.approx(by_hand)
    assert by_hand == pytest.approx(0.02655)


def test_haiku_and_opus_by_hand() -> None:
    usage = Usage(input_tokens=1_000_000, output_tokens=1_000_000)
    assert cost_of("claude-haiku-4-5", usage) == pytest.approx(1 + 5)
    assert cost_of("claude-opus-4-5", usage) == pytest.approx(5 + 25)
    assert cost_of("claude-opus-4-1", usage) == pytest.approx(15 + 75)


def test_dated_snapshots_take_their_family_price() -> None:
    assert price_of("claude-sonnet-4-5-20250929") == price_of("claude-sonnet-4-5")
    assert price_of("claude-haiku-4-5-20251001") == price_of("claude-haiku-4-5")


def test_unknown_models_are_unknown_not_free() -> None:
    assert price_of("claude-mythos-5") is None
    assert cost_of("claude-mythos-5", Usage(10, 10)) is None
    assert worst_case_cost("claude-mythos-5", 100, 100) is None
    assert price_of("claude-sonnet-4-7") is None  # a newer model is not priced as an older one
    assert price_of("claude-sonnet-4-20250514") == price_of("claude-sonnet-4")


def test_worst_case_takes_the_dearest_input_rate_and_full_output() -> None:
    assert worst_case_cost("claude-sonnet-4-6", 10_000, 1000) == pytest.approx((10_000 * 3.75 + 1000 * 15) / 1e6)
