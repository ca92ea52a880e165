"""How the terminal says things to a person: short ids, times as "in 12 min", approvals as sentences."""

import re
from datetime import UTC, datetime
from typing import Any

SHORT_ID = 6
_PREFIXES = ("ap_", "t_")
_REF = re.compile(r"\s*\b(?:ref\s*)?e\d+\b")


def short_id(full: str) -> str:
    """`ap_3fa9c1d2e4b5` → `3fa9c1`: enough to tell approvals apart, short enough to type."""
    for prefix in _PREFIXES:
        if full.startswith(prefix):
            return full[len(prefix) : len(prefix) + SHORT_ID]
    return full[:SHORT_ID]


def id_matches(full: str, typed: str) -> bool:
    """Whether `typed` (a full id, a short id or any prefix of either) names `full`."""
    typed = typed.strip().lower()
    if not typed:
        return False
    bare = full
    for prefix in _PREFIXES:
        if full.startswith(prefix):
            bare = full[len(prefix) :]
    return full.lower().startswith(typed) or bare.lower().startswith(typed)


def parse_time(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    # Deputy stores UTC; SQLite drops the zone.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def relative(value: str | None, now: datetime | None = None) -> str:
    """ "in 12 min", "3 h ago", "now"."""
    if not value:
        return ""
    seconds = (parse_time(value) - (now or datetime.now(UTC))).total_seconds()
    span = abs(seconds)
    if span < 45:
        return "now"
    if span < 3600:
        amount = f"{round(span / 60)} min"
    elif span < 86400:
        amount = f"{round(span / 3600)} h"
    else:
        amount = f"{round(span / 86400)} days"
    return f"in {amount}" if seconds > 0 else f"{amount} ago"


def without_refs(text: str) -> str:
    """Drop snapshot references (e105) from a sentence: they mean nothing to a person."""
    return re.sub(r"\s{2,}", " ", _REF.sub("", text)).strip()


def humanize(name: str) -> str:
    words = name.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def approval_sentence(approval: dict[str, Any]) -> str:
    """The approval as one sentence: the server's own summary, else built from its kind and target."""
    if approval.get("summary"):
        return str(approval["summary"])
    params = approval.get("params") or {}
    kind = approval.get("kind")
    if kind == "budget":
        add = params.get("add_usd")
        return f"Spend up to ${add:.2f} more on this task" if isinstance(add, int | float) else "Spend more"
    if kind == "question":
        return f"Deputy asks: {params.get('question') or '(no question text)'}"
    if kind == "navigation":
        return f"Open {params.get('url') or 'another site'}"
    target = approval.get("target")
    verb = humanize(str(approval.get("action", "act")))
    return without_refs(f"{verb} {target}" if target else verb)


def decided_by(by: str | None) -> str:
    """`user:chrome` → `chrome`."""
    if not by:
        return "someone else"
    return by.split(":", 1)[1] if by.startswith("user:") else by
