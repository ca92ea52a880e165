"""The traveller profile as data: who travels (the user and companions) and the checks on what they typed.

Dates are ISO (YYYY-MM-DD); countries are ISO 3166-1 alpha-2 codes. Every check says what is wrong and what
to type instead, so the CLI and the API can show it as it is.
"""

import re
from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from backend.traveller.countries import CODES

PASSPORT_NUMBER = re.compile(r"[A-Z0-9]{5,12}")
FREQUENT_FLYER = re.compile(r"[A-Z0-9]{4,20}")
NAME = re.compile(r"[^\W\d_]+(?:[ '\-.][^\W\d_]+)*\.?")

# What identifies a person: stored encrypted, shown masked, never given to a model.
IDENTIFYING = ("date_of_birth", "passport_number", "passport_expiry", "frequent_flyer")


class SeatPreference(StrEnum):
    WINDOW = "window"
    AISLE = "aisle"
    MIDDLE = "middle"
    ANY = "any"


def _real_date(value: Any, what: str) -> date:
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(f"{what} must be written YYYY-MM-DD (for example 1988-04-23), not {text!r}")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text} is not a real date ({what})") from None


def _today(info: ValidationInfo) -> date:
    context = info.context or {}
    today = context.get("today")
    return today if isinstance(today, date) else date.today()


class Person(BaseModel):
    """One traveller: the user, or a companion."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    first_name: str = Field(min_length=1, max_length=60)
    last_name: str = Field(min_length=1, max_length=60)
    date_of_birth: date | None = None
    nationality: str | None = None
    passport_number: str | None = None
    passport_country: str | None = None
    passport_expiry: date | None = None
    seat_preference: SeatPreference = SeatPreference.ANY
    frequent_flyer: dict[str, str] = Field(default_factory=dict, description="Airline name or code → number.")

    @field_validator("first_name", "last_name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not NAME.fullmatch(value):
            raise ValueError(f"{value!r} is not a name: use letters, spaces, hyphens and apostrophes")
        return value

    @field_validator("date_of_birth", mode="before")
    @classmethod
    def _birth(cls, value: Any, info: ValidationInfo) -> date | None:
        if value in (None, ""):
            return None
        born = _real_date(value, "the date of birth")
        if born > _today(info):
            raise ValueError(f"the date of birth {born} is in the future")
        if born.year < 1900:
            raise ValueError(f"the date of birth {born} is before 1900; check the year")
        return born

    @field_validator("passport_expiry", mode="before")
    @classmethod
    def _expiry(cls, value: Any, info: ValidationInfo) -> date | None:
        if value in (None, ""):
            return None
        expiry = _real_date(value, "the passport's expiry date")
        if expiry < _today(info):
            raise ValueError(f"the passport expired on {expiry}; airlines refuse an expired passport")
        return expiry

    @field_validator("nationality", "passport_country", mode="before")
    @classmethod
    def _country(cls, value: Any) -> str | None:
        if value in (None, ""):
            return None
        code = str(value).strip().upper()
        if code not in CODES:
            raise ValueError(f"{value!r} is not a country code: use the two letters of ISO 3166, e.g. PT, GB, US")
        return code

    @field_validator("passport_number", mode="before")
    @classmethod
    def _passport(cls, value: Any) -> str | None:
        if value in (None, ""):
            return None
        number = re.sub(r"[\s-]", "", str(value)).upper()
        if not PASSPORT_NUMBER.fullmatch(number):
            raise ValueError("a passport number has 5 to 12 letters and digits")
        return number

    @field_validator("frequent_flyer", mode="before")
    @classmethod
    def _programmes(cls, value: Any) -> dict[str, str]:
        if value in (None, ""):
            return {}
        if not isinstance(value, dict):
            raise ValueError('frequent-flyer numbers are given as {"airline": "number"}')
        cleaned: dict[str, str] = {}
        for airline, number in value.items():
            digits = re.sub(r"\s", "", str(number)).upper()
            if not str(airline).strip() or not FREQUENT_FLYER.fullmatch(digits):
                raise ValueError(f"the frequent-flyer number for {airline!r} should be 4 to 20 letters and digits")
            cleaned[str(airline).strip()] = digits
        return cleaned

    @model_validator(mode="after")
    def _passport_whole(self) -> "Person":
        if self.passport_number and not self.passport_expiry:
            raise ValueError("a passport number needs its expiry date (passport_expiry)")
        return self

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Profile(BaseModel):
    """The user (`traveller`) and the people they travel with (`companions`, numbered from 1)."""

    model_config = ConfigDict(extra="forbid")

    traveller: Person | None = None
    companions: list[Person] = Field(default_factory=list, max_length=9)

    def people(self) -> list[tuple[str, Person]]:
        """Each person with the prefix their placeholders use: traveller, companion.1, companion.2 ..."""
        found = [("traveller", self.traveller)] if self.traveller else []
        return found + [(f"companion.{i}", p) for i, p in enumerate(self.companions, start=1)]


def mask(value: str) -> str:
    """What a person sees of an identifying value: enough to recognise it, not enough to use it."""
    if len(value) <= 4:
        return "•" * len(value)
    return "•" * (len(value) - 2) + value[-2:]


def masked(person: Person) -> dict[str, Any]:
    shown = person.model_dump(mode="json")
    for key in IDENTIFYING:
        value = shown.get(key)
        if isinstance(value, dict):
            shown[key] = {airline: mask(str(number)) for airline, number in value.items()}
        elif value:
            shown[key] = "••••-••-••" if key != "passport_number" else mask(str(value))
    return shown


def masked_profile(profile: Profile) -> dict[str, Any]:
    return {
        "traveller": masked(profile.traveller) if profile.traveller else None,
        "companions": [masked(p) for p in profile.companions],
    }


def explain(error: ValidationError) -> list[str]:
    """Each problem as `field: what is wrong`, for a person."""
    found = []
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"]) or "profile"
        message = str(item["msg"]).removeprefix("Value error, ")
        found.append(f"{where}: {message}")
    return found


def updated(person: Person | None, changes: dict[str, Any], today: date) -> Person:
    """`person` with `changes` applied, checked as a whole (raises ValidationError)."""
    base = person.model_dump(mode="json") if person else {}
    return Person.model_validate({**base, **changes}, context={"today": today})
