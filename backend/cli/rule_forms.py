"""The rule kinds as people type them (`budget_day 5`, `site_allow mail.example.com`) and as the API stores them."""

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True)
class RuleForm:
    kind: str
    does: str
    typed: str  # an example of `deputy rules add KIND ...`
    stored: dict[str, Any]  # the same rule as the API's JSON value


FORMS = (
    RuleForm(
        "site_allow",
        "Deputy acts only on allowed sites (once any is allowed)",
        "mail.example.com",
        {"host": "mail.example.com"},
    ),
    RuleForm("site_block", "Deputy never acts on this site", "shop.example.com", {"host": "shop.example.com"}),
    RuleForm(
        "always_ask",
        "every change on this site asks, whatever was allowed",
        "bank.example.com",
        {"host": "bank.example.com"},
    ),
    RuleForm("never_send", "Deputy never sends mail or messages", "", {}),
    RuleForm(
        "grant",
        "this kind of action is allowed in every task without asking",
        "click archive",
        {"action": "click", "kind": "archive"},
    ),
    RuleForm("quiet_hours", "between these times Deputy only reads", "22:00-07:00", {"start": "22:00", "end": "07:00"}),
    RuleForm("budget_day", "the most Deputy may spend in a day, in dollars", "5", {"usd": 5}),
    RuleForm("budget_task", "the most one task may spend, in dollars", "0.50", {"usd": 0.5}),
    RuleForm(
        "mail",
        "triage does this to matching mail with no model call (archive, mark_read, star; from or subject); "
        'or say it in your words: `deputy rules add "archive newsletters from shopmart.example"`',
        "archive from ShopMart",
        {"match": {"sender": "ShopMart"}, "action": "archive"},
    ),
)
BY_KIND = {form.kind: form for form in FORMS}
HOST_KINDS = ("site_allow", "site_block", "always_ask")


def kinds_help() -> str:
    lines = []
    for form in FORMS:
        example = f"deputy rules add {form.kind} {form.typed}".rstrip()
        lines.append(f"{form.kind}: {form.does}. e.g. `{example}` (JSON value {json.dumps(form.stored)})")
    return "\n".join(lines)


def example(kind: str) -> str:
    command = f"deputy rules add {kind} {BY_KIND[kind].typed}".rstrip()
    return f"`{command}`"


def parse(kind: str, words: list[str]) -> dict[str, Any]:
    """The API value for `deputy rules add KIND WORDS...`; raises ValueError with an example."""
    if kind not in BY_KIND:
        raise ValueError(f"There is no rule kind {kind!r}. The kinds are: {', '.join(BY_KIND)}.")
    text = " ".join(words).strip()
    if text.startswith("{"):
        try:
            value = json.loads(text)
        except ValueError:
            raise ValueError(f"That value is not valid JSON. Plain forms work too: {example(kind)}.") from None
        if not isinstance(value, dict):
            raise ValueError(f"The JSON value must be an object, e.g. {json.dumps(BY_KIND[kind].stored)}.")
        return value
    if kind == "never_send":
        if text:
            raise ValueError("never_send takes no value: `deputy rules add never_send`.")
        return {}
    if not text:
        raise ValueError(f"{kind} needs a value, e.g. {example(kind)}.")
    if kind == "mail":
        return _mail(text)
    if kind in HOST_KINDS:
        host = urlsplit(text).hostname if "://" in text else text
        return {"host": (host or text).lower()}
    if kind in ("budget_day", "budget_task"):
        try:
            return {"usd": float(text.removeprefix("$"))}
        except ValueError:
            raise ValueError(f"{kind} needs an amount in dollars, e.g. {example(kind)}.") from None
    if kind == "grant":
        parts = re.split(r"[\s/]+", text)
        if len(parts) != 2:
            raise ValueError(f"A grant names an action and a kind of change, e.g. {example(kind)}.")
        return {"action": parts[0], "kind": parts[1]}
    times = re.split(r"\s*(?:-|to|\s)\s*", text)
    if len(times) != 2:
        raise ValueError(f"Quiet hours are a start and an end as HH:MM, e.g. {example(kind)}.")
    return {"start": times[0], "end": times[1]}


def _mail(text: str) -> dict[str, Any]:
    """`archive from ShopMart`, `mark_read subject weekly digest`: an action, then what it matches."""
    found = re.fullmatch(r"(archive|mark_read|star)\s+(from|domain|subject)\s+(.+)", text.strip(), re.IGNORECASE)
    if found is None:
        raise ValueError(f"A mail rule is an action, then from, domain or subject and a value, e.g. {example('mail')}.")
    action, field, what = found.group(1).lower(), found.group(2).lower(), found.group(3).strip()
    match: dict[str, Any] = {"from": {"sender": what}, "domain": {"domain": what}}.get(field) or {
        "subject_words": what.split()
    }
    return {"match": match, "action": action}


def describe(kind: str, value: dict[str, Any]) -> str:
    """A stored rule as a sentence."""
    if kind in HOST_KINDS and "host" in value:
        return {"site_allow": "Act on {h}", "site_block": "Never act on {h}", "always_ask": "Always ask on {h}"}[
            kind
        ].format(h=value["host"])
    if kind == "never_send":
        return "Never send anything"
    if kind == "grant":
        return f"Allow {value.get('action')} ({value.get('kind')}) without asking"
    if kind == "quiet_hours":
        return f"Only read between {value.get('start')} and {value.get('end')}"
    if kind == "mail" and "name" in value:
        return str(value["name"])
    if kind in ("budget_day", "budget_task") and isinstance(value.get("usd"), int | float):
        return f"At most ${value['usd']:.2f} {'a day' if kind == 'budget_day' else 'per task'}"
    return f"{kind} {json.dumps(value)}"
