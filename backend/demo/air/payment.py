"""Checks on the card form. Demo Air takes no real money: one test number is always declined."""

import re
from dataclasses import dataclass
from datetime import date

DECLINED_CARD = "4000000000000002"
FIELDS = ("card_name", "card_number", "card_expiry", "card_cvc")


@dataclass
class CardForm:
    values: dict[str, str]
    errors: dict[str, str]
    last4: str | None = None


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def check_card(form: dict[str, str], today: date) -> CardForm:
    # The card number and security code are never echoed back into the page.
    values = {"card_name": form.get("card_name", "").strip(), "card_expiry": form.get("card_expiry", "").strip()}
    errors: dict[str, str] = {}
    if not values["card_name"]:
        errors["card_name"] = "Enter the name as it appears on the card."

    number = re.sub(r"[\s-]", "", form.get("card_number", ""))
    if not number:
        errors["card_number"] = "Enter the card number."
    elif not number.isdigit() or not 13 <= len(number) <= 19 or not _luhn_ok(number):
        errors["card_number"] = "This card number is not valid. Check the 16 digits on the front of the card."

    expiry = re.fullmatch(r"(\d{2})\s*/\s*(\d{2})", values["card_expiry"])
    if not values["card_expiry"]:
        errors["card_expiry"] = "Enter the expiry date."
    elif expiry is None or not 1 <= int(expiry.group(1)) <= 12:
        errors["card_expiry"] = "Enter the expiry date as MM/YY, for example 08/29."
    elif (2000 + int(expiry.group(2)), int(expiry.group(1))) < (today.year, today.month):
        errors["card_expiry"] = "This card has expired. Use another card."

    cvc = form.get("card_cvc", "").strip()
    if not re.fullmatch(r"\d{3,4}", cvc):
        errors["card_cvc"] = "Enter the 3 or 4 digit security code from the back of the card."

    if not errors and number == DECLINED_CARD:
        errors["card_number"] = "Your bank declined this payment. Try another card."
    checked = CardForm(values, errors)
    if not errors:
        checked.last4 = number[-4:]
    return checked
