"""What an approval is bound to, so that it approves one action on one page state and nothing else."""

import hashlib
import json

from backend.browser.snapshot import ElementInfo, Snapshot


def fingerprint(url: str, action: str, element: ElementInfo | None, selected: list[str]) -> str:
    """What an approval is bound to: the page, the action, the target as the user saw it, the rows ticked
    (each as it read, so the same number of other rows does not pass).

    Parameters are not part of it: they are stored in the approval and run exactly as approved (with edits).
    """
    target = identity(element) if element is not None else None
    blob = json.dumps([url, action, target, sorted(selected)], sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def identity(element: ElementInfo) -> list[str | None]:
    return [element.role, element.name, element.context, element.dialog, element.form_action, element.href]


def refind(snapshot: Snapshot, ref: str, target: list[str | None] | None) -> ElementInfo | None:
    """The approved target on the page now: by its ref, or after a reload by being the one element like it."""
    same = snapshot.elements.get(ref)
    if target is None or (same is not None and identity(same) == target):
        return same
    alike = [e for e in snapshot.elements.values() if identity(e) == target]
    return alike[0] if len(alike) == 1 else None
