"""Placeholders: how a model names a traveller's details without ever seeing them.

The model writes `{{traveller.passport_number}}`, `{{companion.1.last_name}}` or, for a date in the form a
field asks for, `{{traveller.date_of_birth:DD/MM/YYYY}}`. Only the browser layer turns a placeholder into
the value, as it fills a field, and only into a field whose label asks for that kind of value. Everything
read back from a page passes through `redact`, so a site that echoes a value shows the model its placeholder.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import quote_plus

from backend.traveller.profile import Person, Profile

PLACEHOLDER = re.compile(
    r"\{\{\s*(?P<who>traveller|companion\.(?P<n>[1-9]))\.(?P<kind>[a-z_]+)"
    r"(?:\.(?P<programme>[A-Za-z0-9 ]{1,30}))?(?::(?P<format>[A-Za-z/.\- ,]{2,20}))?\s*\}\}"
)
ANY_BRACES = re.compile(r"\{\{.*?\}\}")

# What a field's label says when it asks for each kind of value. A label that matches none of a kind's
# words (a chat's "Message", a search box) never receives it.
LABELS: dict[str, re.Pattern[str]] = {
    "first_name": re.compile(r"\b(first|given|fore)[ -]?names?\b|\bforename", re.I),
    "last_name": re.compile(r"\b(last|family|sur)[ -]?names?\b|\bsurname", re.I),
    "date_of_birth": re.compile(r"\bbirth|\bd\.?o\.?b\b|\bborn\b", re.I),
    "nationality": re.compile(r"\bnationality|\bcitizenship", re.I),
    "passport_number": re.compile(
        r"^(?!.*\b(expir|valid|country|issu|type|date)).*\b(passport|travel document|document|id card)\b", re.I
    ),
    "passport_country": re.compile(r"\b(issuing (country|state)|country of issue|issued (by|in)|issuer)\b", re.I),
    "passport_expiry": re.compile(r"\bexpir|\bvalid (until|to|thru)|\bdate of expiry", re.I),
    "frequent_flyer": re.compile(r"\bfrequent|\bloyalty|\bmembership|\bmiles\b|\bprogram", re.I),
}
SECRET_KINDS = frozenset({"date_of_birth", "passport_number", "passport_expiry", "frequent_flyer"})
DATE_KINDS = frozenset({"date_of_birth", "passport_expiry"})
FORMAT_TOKENS = (("YYYY", "%Y"), ("MMMM", "%B"), ("MMM", "%b"), ("YY", "%y"), ("MM", "%m"), ("DD", "%d"))
# How sites commonly write a date back: each is redacted wherever the date appears.
ECHO_FORMATS = (
    "%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%d-%m-%Y", "%Y/%m/%d", "%d %b %Y", "%d %B %Y",
    "%b %d, %Y", "%B %d, %Y", "%Y%m%d", "%d%m%Y", "%d %b %y", "%d/%m/%y",
)  # fmt: skip


class FillRefused(Exception):
    """A placeholder that may not be filled here; the message (which never holds a value) goes to the model."""


@dataclass(frozen=True)
class Wanted:
    placeholder: str
    who: str
    kind: str
    programme: str | None
    format: str | None


def parse(text: str) -> list[Wanted]:
    return [
        Wanted(m.group(0), m.group("who"), m.group("kind"), m.group("programme"), m.group("format"))
        for m in PLACEHOLDER.finditer(text)
    ]


def mentions_placeholder(text: str) -> bool:
    return bool(ANY_BRACES.search(text)) and any(w in text for w in ("traveller", "companion"))


def _strftime(format_: str) -> str:
    out = format_
    for token, code in FORMAT_TOKENS:
        out = out.replace(token, "\0" + code[1] + "\0")
    return re.sub(r"\0(.)\0", r"%\1", out)


def render_date(value: date, format_: str | None) -> str:
    return value.strftime(_strftime(format_)) if format_ else value.isoformat()


@dataclass
class Personal:
    """The travellers lent to one task: what its placeholders stand for, and what must never be read back."""

    people: dict[str, Person] = field(default_factory=dict)  # "traveller", "companion.1" ... -> person

    @classmethod
    def of(cls, profile: Profile, names: list[str] | None = None) -> "Personal":
        """The profile's people, or only those whose full names are in `names` (the passengers of a booking)."""
        wanted = {" ".join(n.lower().split()) for n in names} if names else None
        chosen = {key: p for key, p in profile.people() if wanted is None or p.name.lower() in wanted}
        return cls(chosen)

    def value(self, wanted: Wanted) -> str:
        person = self.people.get(wanted.who)
        if person is None:
            raise FillRefused(f"{wanted.placeholder} names nobody on this task: the travellers are {self.who()}.")
        if wanted.kind not in LABELS:
            raise FillRefused(f"{wanted.placeholder}: there is no detail called {wanted.kind!r}.")
        raw = getattr(person, wanted.kind)
        if wanted.kind == "frequent_flyer":
            programmes: dict[str, str] = raw
            if wanted.programme:
                raw = next((n for a, n in programmes.items() if a.lower() == wanted.programme.lower()), None)
            else:
                raw = next(iter(programmes.values())) if len(programmes) == 1 else None
        if raw in (None, ""):
            raise FillRefused(f"The profile has no {wanted.kind.replace('_', ' ')} for {person.name}.")
        if isinstance(raw, date):
            return render_date(raw, wanted.format)
        return str(raw)

    def fill(self, text: str, label: str) -> str:
        """`text` with each placeholder replaced, if the field's label asks for that kind of value."""
        found = parse(text)
        if not found:
            raise FillRefused(
                "That looks like a placeholder but is not one: write {{traveller.KIND}} or {{companion.N.KIND}}."
            )
        filled = text
        for wanted in found:
            pattern = LABELS.get(wanted.kind)
            if pattern is not None and not pattern.search(label):
                what = wanted.kind.replace("_", " ")
                raise FillRefused(
                    f"Deputy fills a {what} only into a field labelled for it; this field is labelled {label!r}."
                )
            filled = filled.replace(wanted.placeholder, self.value(wanted))
        return filled

    def secrets(self) -> list[tuple[str, str]]:
        """Each identifying value in every spelling a page may show, with the placeholder shown instead."""
        found: list[tuple[str, str]] = []
        for who, person in self.people.items():
            for kind in sorted(SECRET_KINDS):
                raw = getattr(person, kind)
                if isinstance(raw, date):
                    found += [(raw.strftime(f), f"{{{{{who}.{kind}}}}}") for f in ECHO_FORMATS]
                elif isinstance(raw, dict):
                    found += [(str(n), f"{{{{{who}.{kind}.{a}}}}}") for a, n in raw.items()]
                elif raw:
                    found.append((str(raw), f"{{{{{who}.{kind}}}}}"))
        # A form's body and a URL carry them percent-encoded ("23%2F04%2F1988", "Apr+23").
        found += [(quote_plus(v), p) for v, p in found if quote_plus(v) != v]
        # Longest first, so "23/04/1988" is replaced before a shorter spelling inside it.
        return sorted({(v, p) for v, p in found if len(v) >= 4}, key=lambda vp: -len(vp[0]))

    def redact(self, text: str) -> str:
        for value, placeholder in self.secrets():
            if value.lower() in text.lower():
                text = re.sub(re.escape(value), placeholder, text, flags=re.I)
        return text

    def who(self) -> str:
        return ", ".join(f"{key} ({p.name})" for key, p in self.people.items()) or "nobody"

    def for_model(self) -> str:
        """What the model is told: who travels and which placeholders exist; never an identifying value."""
        lines = []
        for key, person in self.people.items():
            has = [k for k in LABELS if getattr(person, k) not in (None, "", {})]
            lines.append(
                f"- {key}: {person.name}; seat preference {person.seat_preference.value}; details on file: "
                + ", ".join(f"{{{{{key}.{k}}}}}" for k in has)
            )
        return "\n".join(lines)
