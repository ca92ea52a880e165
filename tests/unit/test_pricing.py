"""Prices are data; costs match hand-computed figures to the micro-dollar; unknown models are never free."""

from backend.ledger.money import dollars, usd
from backend.ledger.pricing import Usage, cost_of, price_of, worst_case_cost


def test_sonnet_cost_by_hand() -> None:
    usage = Usage(input_tokens=1200, output_tokens=350, cache_creation_input_tokens=4000, cache_read_input_tokens=9000)
    # $3/M input, $15/M output, cache writes 1.25 x input, cache reads 0.1 x input: dollars per million tokens
    # are micro-dollars per token.
    by_hand = 1200 * 3 + 350 * 15 + 4000 * 375 // 100 + 9000 * 3 // 10
    assert by_hand == 26_550
    assert cost_of("claude-sonnet-4-6", usage) == 26_550
    assert dollars(26_550) == "$0.02655"
    assert usd(26_550) == 0.02655


def test_haiku_and_opus_by_hand() -> None:
    usage = Usage(input_tokens=1_000_000, output_tokens=1_000_000)
    assert cost_of("claude-haiku-4-5", usage) == (1 + 5) * 1_000_000
    assert cost_of("claude-opus-4-5", usage) == (5 + 25) * 1_000_000
    assert cost_of("claude-opus-4-1", usage) == (15 + 75) * 1_000_000


def test_a_price_with_a_fraction_is_read_exactly() -> None:
    # $0.80/M and cache reads at 0.1 x: 0.08 micro-dollars a token, which a float cannot hold.
    assert cost_of("claude-3-5-haiku", Usage(cache_read_input_tokens=1_000_000)) == 80_000
    assert cost_of("claude-3-5-haiku", Usage(input_tokens=3, cache_read_input_tokens=5)) == 3  # 2.4 + 0.4


def test_each_call_rounds_once_half_up_to_a_micro_dollar() -> None:
    # Haiku 3.5 cache reads: 0.08 micro-dollars a token.
    assert cost_of("claude-3-5-haiku", Usage(cache_read_input_tokens=6)) == 0  # 0.48
    assert cost_of("claude-3-5-haiku", Usage(cache_read_input_tokens=7)) == 1  # 0.56
    # Sonnet cache reads, 0.3 a token: 5 tokens are 1.5, which rounds half up to 2.
    assert cost_of("claude-sonnet-4-6", Usage(cache_read_input_tokens=5)) == 2
    # The one call's parts are summed before rounding: 0.3 + 0.3 is 0.6 -> 1, not 0 + 0.
    assert cost_of("claude-sonnet-4-6", Usage(cache_read_input_tokens=2)) == 1


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
    assert worst_case_cost("claude-sonnet-4-6", 10_000, 1000) == 10_000 * 375 // 100 + 1000 * 15
    # Never below the cost of a call within the bounds, rounding included.
    for tokens in range(0, 40):
        real = cost_of("claude-sonnet-4-6", Usage(input_tokens=tokens, cache_read_input_tokens=tokens))
        assert real is not None
        assert worst_case_cost("claude-sonnet-4-6", 2 * tokens, 0) >= real  # type: ignore[operator]
