"""What differs between runs of a recipe: values from the instruction become {{variables}}.

A value is something a person would change next time (a booking code, a sender, a service's name): a quoted
phrase, an address, a word holding a digit or a dash, or a run of capitalised words after the first word.
Placeholders with a dot (`{{traveller.passport_number}}`) belong to the traveller profile and are left alone.
"""

import re
from collections.abc import Iterable
from typing import Any

VARIABLE = re.compile(r"\{\{([a-z][a-z0-9_]*)\}\}")
# Straight and curly quotes, written as escapes so no look-alike character hides in the source.
_QUOTED = re.compile("[\"'\u201c\u2018]([^\"'\u201d\u2019]{2,80})[\"'\u201d\u2019]")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_WORD = re.compile(r"[\w][\w.@+/-]*[\w]|\w")
_PLACEHOLDER = re.compile(r"(\{\{[^{}]*\}\})")


def _candidates(instruction: str) -> list[str]:
    found = [m.group(1) for m in _QUOTED.finditer(instruction)]
    found += _EMAIL.findall(instruction)
    words = [(m.group(0), m.start()) for m in _WORD.finditer(instruction)]
    run: list[str] = []
    for index, (word, _) in enumerate(words):
        if re.search(r"\d|-|_", word) and len(word) >= 3:
            found.append(word)
        if index > 0 and word[:1].isupper() and len(word) > 1:
            run.append(word)
            continue
        if run:
            found.append(" ".join(run))
        run = []
    if run:
        found.append(" ".join(run))
    seen: list[str] = []
    for value in sorted(found, key=len, reverse=True):
        if value not in seen and not VARIABLE.fullmatch(value):
            seen.append(value)
    return seen


def _kind(value: str) -> str:
    if _EMAIL.fullmatch(value):
        return "email"
    if re.fullmatch(r"[A-Z0-9]{5,8}", value) and re.search(r"\d", value):
        return "code"
    if re.search(r"\d", value) and not re.search(r"[a-z]{3}", value):
        return "number"
    return "name"


def strings_of(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_of(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_of(item)


def find_variables(instruction: str, material: list[str]) -> dict[str, str]:
    """{variable name: value} for the instruction's values that the steps used."""
    blob = "\n".join(material)
    named: dict[str, str] = {}
    for value in _candidates(instruction):
        if value not in blob or any(value in taken for taken in named.values()):
            continue
        base = _kind(value)
        name, n = base, 2
        while name in named:
            name, n = f"{base}{n}", n + 1
        named[name] = value
    return named


def abstract(value: Any, variables: dict[str, str]) -> Any:
    """`value` with each variable's text replaced by its {{name}}, longest first; text already inside a
    placeholder (`{{traveller.last_name}}`, or a variable just made) is left as it is."""
    if isinstance(value, str):
        for name, text in sorted(variables.items(), key=lambda item: len(item[1]), reverse=True):
            if not text:
                continue
            parts = _PLACEHOLDER.split(value)
            value = "".join(part if i % 2 else part.replace(text, "{{" + name + "}}") for i, part in enumerate(parts))
        return value
    if isinstance(value, dict):
        return {key: abstract(item, variables) for key, item in value.items()}
    if isinstance(value, list):
        return [abstract(item, variables) for item in value]
    return value


def fill(value: Any, values: dict[str, str]) -> Any:
    """`value` with each {{name}} of `values` filled in; other placeholders ({{traveller.x}}) stay as they are."""
    if isinstance(value, str):
        return VARIABLE.sub(lambda m: values.get(m.group(1), m.group(0)), value)
    if isinstance(value, dict):
        return {key: fill(item, values) for key, item in value.items()}
    if isinstance(value, list):
        return [fill(item, values) for item in value]
    return value


def _tidy(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().rstrip(".!")


def match(template: str, instruction: str) -> dict[str, str] | None:
    """The variables' values if `instruction` says what `template` says (case and spacing aside), else None.
    Values keep the case the user typed them in."""
    parts = VARIABLE.split(_tidy(template))
    pattern = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts))
    try:
        found = re.fullmatch(pattern, _tidy(instruction), re.IGNORECASE)
    except re.error:  # a variable named twice in one template: it cannot be matched, so nothing is
        return None
    return dict(found.groupdict()) if found is not None else None
