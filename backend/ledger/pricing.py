"""What a model call costs, from a price table that is data (prices.json), never guessed."""

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

MILLION = 1_000_000


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
    input: float
    output: float
    cache_write: float
    cache_read: float

    def cost(self, usage: Usage) -> float:
        return (
            usage.input_tokens * self.input
            + usage.output_tokens * self.output
            + usage.cache_creation_input_tokens * self.cache_write
            + usage.cache_read_input_tokens * self.cache_read
        ) / MILLION


@cache
def _table() -> dict[str, Any]:
    return json.loads(resources.files("backend.ledger").joinpath("prices.json").read_text())


def price_of(model: str) -> Price | None:
    """The model's price, by exact name or as a dated snapshot of a listed name; None when unknown."""
    table = _table()
    models: dict[str, dict[str, float]] = table["models"]
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


def cost_of(model: str, usage: Usage) -> float | None:
    price = price_of(model)
    return None if price is None else price.cost(usage)


def worst_case_cost(model: str, input_upper: int, max_tokens: int) -> float | None:
    """The most a call can cost: every input token at the dearest input rate (a cache write), full output."""
    price = price_of(model)
    if price is None:
        return None
    return (input_upper * max(price.input, price.cache_write) + max_tokens * price.output) / MILLION
