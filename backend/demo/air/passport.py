"""Checks on the travel document form, with the messages shown next to each field."""

import re
from dataclasses import dataclass
from datetime import date

from backend.demo.air.booking import Passenger, PassengerDetails

NATIONALITIES: dict[str, str] = {
    "AR": "Argentina",
    "AU": "Australia",
    "AT": "Austria",
    "BE": "Belgium",
    "BR": "Brazil",
    "CA": "Canada",
    "CN": "China",
    "DK": "Denmark",
    "FI": "Finland",
    "FR": "France",
    "DE": "Germany",
    "GR": "Greece",
    "IN": "India",
    "IE": "Ireland",
    "IT": "Italy",
    "JP": "Japan",
    "MX": "Mexico",
    "NL": "Netherlands",
    "NG": "Nigeria",
    "NO": "Norway",
    "PL": "Poland",
    "PT": "Portugal",
    "ES": "Spain",
    "SE": "Sweden",
    "CH": "Switzerland",
    "GB": "United Kingdom",
    "US": "United States",
}

PASSPORT_NUMBER = re.compile(r"[A-Z0-9]{6,9}")
FIELDS = ("nationality", "passport_number", "passport_expiry", "date_of_birth")


@dataclass
class DetailsForm:
    """One passenger's submitted fields as typed, and what is wrong with them."""

    passenger: Passenger
    values: dict[str, str]
    errors: dict[str, str]
    details: PassengerDetails | None = None


def field_name(passenger_id: int, name: str) -> str:
    return f"p{passenger_id}_{name}"


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def check_details(passenger: Passenger, form: dict[str, str], today: date, flight_day: date) -> DetailsForm:
    values = {name: form.get(field_name(passenger.id, name), "").strip() for name in FIELDS}
    errors: dict[str, str] = {}

    nationality = values["nationality"].upper()
    if nationality not in NATIONALITIES:
        errors["nationality"] = "Choose the nationality shown in the passport."

    number = re.sub(r"\s", "", values["passport_number"]).upper()
    if not number:
        errors["passport_number"] = "Enter the passport number."
    elif not PASSPORT_NUMBER.fullmatch(number):
        errors["passport_number"] = "A passport number has 6 to 9 letters and digits, with no spaces or dashes."

    expiry = _date(values["passport_expiry"])
    if not values["passport_expiry"]:
        errors["passport_expiry"] = "Enter the passport's expiry date."
    elif expiry is None:
        errors["passport_expiry"] = "Enter the expiry date as a real date, for example 2031-05-27."
    elif expiry <= flight_day:
        errors["passport_expiry"] = (
            f"This passport expires before your flight on {flight_day.day} {flight_day:%B %Y}. "
            "Travel needs a passport that is valid after the flight."
        )

    born = _date(values["date_of_birth"])
    if not values["date_of_birth"]:
        errors["date_of_birth"] = "Enter the date of birth."
    elif born is None:
        errors["date_of_birth"] = "Enter the date of birth as a real date, for example 1988-04-09."
    elif born >= today:
        errors["date_of_birth"] = "The date of birth must be in the past."
    elif born.year < today.year - 120:
        errors["date_of_birth"] = "Check the year of birth: it is more than 120 years ago."

    checked = DetailsForm(passenger, values, errors)
    if not errors and expiry is not None and born is not None:
        checked.details = PassengerDetails(nationality, number, expiry, born)
    return checked
