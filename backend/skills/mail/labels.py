"""Labelling through a webmail's own controls: a "Label as" (or "Labels", "Move to") control for the ticked
rows, then the label's own item in the menu it opens. A site without such a control, or without that label,
is reported as such: triage never makes a label up or clicks something that only looks like one.
"""

import re

from backend.browser.snapshot import ElementInfo, Snapshot

# Best first: "Label as" keeps the message where it is; "Move to" (a label) also takes it out of the inbox.
CONTROLS = (
    re.compile(r"label( as| messages?| selected)?|labels|add (a )?label", re.IGNORECASE),
    re.compile(r"move( to)?( folder)?|move selected", re.IGNORECASE),
)
CHOICE_ROLES = ("menuitem", "menuitemcheckbox", "menuitemradio", "option", "checkbox", "button")
# The words of a control's kind that a label batch covers (checked by the executor), besides the label's.
COVERS = ["label", "labels", "move"]


def _usable(info: ElementInfo) -> bool:
    return not info.context.startswith("row") and info.states.get("disabled") is not True


def label_control(snapshot: Snapshot) -> str | None:
    """The ref of the control that labels the ticked rows, if the page shows one."""
    for pattern in CONTROLS:
        for info in snapshot.elements.values():
            if (
                info.role in ("button", "menuitem", "combobox")
                and _usable(info)
                and pattern.fullmatch(info.name.strip())
            ):
                return info.ref
    return None


def label_choice(snapshot: Snapshot, label: str) -> str | None:
    """The ref of this label's own item in the open menu (never a folder link of the same name)."""
    wanted = label.strip().lower()
    for role in CHOICE_ROLES:
        for info in snapshot.elements.values():
            if info.role == role and _usable(info) and info.name.strip().lower() == wanted:
                return info.ref
    return None


def covers(label: str) -> list[str]:
    return [*COVERS, *re.findall(r"[a-z]+", label.lower())[:3]]
