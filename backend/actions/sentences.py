"""Actions said as a person would say them: "Move to Bin: 'Billing | Invoice #4711'", never "click e105".

Approvals, the task's record of what was done, the CLI and the extension all read these sentences.
"""

from dataclasses import dataclass
from typing import Any, Protocol

MAX_LISTED = 5
MAX_VALUE = 80


class Named(Protocol):
    role: str
    name: str


@dataclass(frozen=True)
class Said:
    summary: str  # one sentence
    objects: list[str]  # what it acts on, one line each


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return "'" + (text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…") + "'"


def _listed(objects: list[str]) -> str:
    shown = "; ".join(_quote(o) for o in objects[:MAX_LISTED])
    more = len(objects) - MAX_LISTED
    return shown + (f"; and {more} more" if more > 0 else "")


def _control(target: Named | None) -> str:
    if target is None:
        return "the page"
    if target.name:
        return _quote(target.name)
    return f"an unnamed {target.role or 'control'}"


def say(action: str, params: dict[str, Any], target: Named | None, objects: list[str]) -> Said:
    """The sentence for `action` with `params` on `target`, acting on `objects`."""
    about = ""
    if len(objects) == 1:
        about = ": " + _quote(objects[0])
    elif objects:
        about = f" on {len(objects)} items: " + _listed(objects)
    name = " ".join((target.name if target else "").split())
    if action == "click":
        if name:
            return Said(f"{name}{about}" if about else f"Click {_quote(name)}", objects)
        return Said(f"Click {_control(target)}{about}", objects)
    if action == "navigate":
        return Said(f"Open {params.get('url', '')}", [str(params.get("url", ""))])
    if action == "type_text":
        text = str(params.get("text", ""))
        then = " and press Enter" if params.get("submit") else ""
        return Said(f"Type {_quote(text)} into {_control(target)}{then}", objects)
    if action == "check":
        verb = "Tick" if params.get("checked", True) else "Untick"
        return Said(f"{verb} {_control(target)}{about}", objects)
    if action == "select_option":
        values = ", ".join(str(v) for v in params.get("values", []))
        return Said(f"Choose {_quote(values)} in {_control(target)}", objects)
    if action == "press_key":
        where = f" in {_control(target)}" if target is not None else ""
        return Said(f"Press {params.get('key', '')}{where}{about}", objects)
    if action == "raise_budget":
        return Said(f"Add ${float(params.get('add_usd', 0)):.2f} to this task's budget", objects)
    if action == "ask_user":
        return Said(f"Question: {params.get('question', '')}", objects)
    words = action.replace("_", " ").capitalize()
    where = f" on {_control(target)}" if target is not None else ""
    return Said(f"{words}{where}{about}", objects)
