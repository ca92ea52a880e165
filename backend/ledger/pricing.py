"""What a model call costs, from a price table that is data (prices.json), never guessed.

Prices are US dollars per million tokens, which is the same number as micro-dollars per token. So a
call's cost in micro-dollars is the sum of tokens x price, computed exactly with Decimal (the table is read
as Decimal, and the cache multipliers 1.25 and 0.1 keep it exact), then rounded once, half up, to a whole
micro-dollar. Sums of calls are sums of integers: no drift, however many calls.
"""

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from backend.ledger.money import round_micros


@dataclass(frozen=True)
class Usage:
    """Token counts exactly as Anthropic reports them."""

    input_tokens: int = 0
    output_tokens: int = 0
    cache_creation_input_tokens: int = 0
    cache_read_input_tokens: int = 0

    @property
    def total_input(self) -> int:
        return self.input_tokens + self.cache_creation_input_tokens + self.cache_read_input_tokens


@dataclass(frozen=True)
class Price:
    """Micro-dollars per token (equal to dollars per million tokens), exact."""

    input: Decimal
    output: Decimal
    cache_write: Decimal
    cache_read: Decimal

    def cost(self, usage: Usage) -> int:
        """The call's cost in micro-dollars, rounded once, half up."""
        return round_micros(
            usage.input_tokens * self.input
            + usage.output_tokens * self.output
            + usage.cache_creation_input_tokens * self.cache_write
            + usage.cache_read_input_tokens * self.cache_read
        )


@cache
def _table() -> dict[str, Any]:
    text = resources.files("backend.ledger").joinpath("prices.json").read_text()
    # Decimal from the JSON text itself: 0.8 stays 0.8, never 0.8000000000000000444.
    return json.loads(text, parse_float=Decimal, parse_int=Decimal)


def price_of(model: str) -> Price | None:
    """The model's price, by exact name or as a dated snapshot of a listed name; None when unknown."""
    table = _table()
    models: dict[str, dict[str, Decimal]] = table["models"]
    # Only an exact name or a dated snapshot of it (name-YYYYMMDD): claude-sonnet-4-7 is not claude-sonnet-4.
    name = next((m for m in models if model == m or re.fullmatch(re.escape(m) + r"-\d{8}", model)), None)
    if name is None:
        return None
    per = models[name]
    return Price(
        input=per["input"],
        output=per["output"],
        cache_write=per["input"] * table["cache_write_multiplier"],
        cache_read=per["input"] * table["cache_read_multiplier"],
    )


def cost_of(model: str, usage: Usage) -> int | None:
    """Micro-dollars; None when the model's price is unknown (never counted as free)."""
    price = price_of(model)
    return None if price is None else price.cost(usage)


def worst_case_cost(model: str, input_upper: int, max_tokens: int) -> int | None:
    """The most a call can cost, in micro-dollars: every input token at the dearest input rate, full output.

    Rounding half up is monotonic, so this stays at or above the rounded cost of any call within the bounds.
    """
    price = price_of(model)
    if price is None:
        return None
    return round_micros(input_upper * max(price.input, price.cache_write) + max_tokens * price.output)
