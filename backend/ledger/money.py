"""Money as integer micro-dollars (1 USD = 1,000,000): exact to store, sum and compare.

Deputy never keeps a dollar amount in a float. Amounts come in as people type them ("5", 5.25, "0.10",
"$2") and become whole micro-dollars once; they go out as dollars only at the edges (the JSON API's
`*_usd` numbers, messages), computed from the micro-dollars so every report agrees to the last digit.
"""

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MICROS_PER_USD = 1_000_000
# Nobody sets a budget of a million dollars for a web agent; a figure above this is a typo.
MOST_USD = Decimal(1_000_000)


class MoneyError(ValueError):
    """An amount a person typed that is not a usable number of dollars; the message says why."""


def round_micros(amount: Decimal) -> int:
    """Whole micro-dollars from an exact amount of micro-dollars, rounding half up (0.5 -> 1)."""
    return int(amount.to_integral_value(rounding=ROUND_HALF_UP))


def parse_usd(value: object, *, most: Decimal = MOST_USD) -> int:
    """Micro-dollars from a dollar amount as people type it: 5, 5.25, "0.10", "$2". Positive, at most `most`.

    Floats are read from their shortest spelling (0.1 is "0.1", not 0.1000000000000000055...), so the
    number a person typed is the number kept. Sub-micro-dollar digits round half up.
    """
    if isinstance(value, bool) or value is None:
        raise MoneyError("an amount of dollars is a number such as 5 or 0.25")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise MoneyError("an amount of dollars must be a finite number, not NaN or infinity")
        amount = Decimal(repr(value))
    elif isinstance(value, int | Decimal):
        amount = Decimal(value)
    elif isinstance(value, str):
        text = value.strip().removeprefix("$").strip().replace(",", "")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise MoneyError(f"{value!r} is not an amount of dollars; write it like 5 or 0.25") from None
    else:
        raise MoneyError("an amount of dollars is a number such as 5 or 0.25")
    if not amount.is_finite():
        raise MoneyError("an amount of dollars must be a finite number, not NaN or infinity")
    if amount <= 0:
        raise MoneyError(f"an amount of dollars must be more than $0 (got {value})")
    if amount > most:
        raise MoneyError(f"${amount} is more than the most Deputy accepts here (${most}); check the amount")
    micros = round_micros(amount * MICROS_PER_USD)
    if micros == 0:
        raise MoneyError(f"${amount} is less than a micro-dollar ($0.000001)")
    return micros


def usd(micros: int) -> float:
    """Dollars for display: the nearest float to micros / 10^6, which prints with exactly those 6 places."""
    return micros / MICROS_PER_USD


def dollars(micros: int) -> str:
    """A dollar amount for a sentence, exact: $0.01, $0.009873, $5.25, $12.00."""
    sign = "-" if micros < 0 else ""
    whole, part = divmod(abs(micros), MICROS_PER_USD)
    cents = f"{part:06d}".rstrip("0").ljust(2, "0")
    return f"{sign}${whole}.{cents}"
