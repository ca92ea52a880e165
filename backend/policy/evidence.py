"""What an approval shows a person: the sentence of what it changes, the objects it acts on, a screenshot of
the target and those objects, and what it is bound to."""

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from backend.actions.registry import ActionSpec, Risk
from backend.actions.risk import Assessment, describe
from backend.actions.sentences import say
from backend.browser.scene import Scene
from backend.browser.snapshot import ElementInfo
from backend.browser.tab import Tab
from backend.policy.binding import fingerprint, identity
from backend.policy.lifecycle import Draft

log = logging.getLogger(__name__)

SUBMITTERS = {"button", "link", "menuitem"}


def objects_of(scene: Scene, element: ElementInfo | None, risk: Risk) -> list[str]:
    """What an action acts on, as a person would list it."""
    if element is not None and element.role in ("checkbox", "switch") and scene.passage and risk is Risk.IRREVERSIBLE:
        return [scene.passage]  # a declaration: the person reads what the tick agrees to
    if element is not None and scene.row and element.role != "checkbox":
        return [scene.row]  # a control in a row acts on that row
    if scene.selected and risk.rank >= Risk.WRITE.rank:
        return list(scene.selected)  # a toolbar control acts on the ticked rows
    if element is not None and scene.form and element.role in SUBMITTERS:
        return [f"{v.label}: {v.value}" for v in scene.form]  # a form's button sends what was filled in
    if element is not None and scene.row:
        return [scene.row]
    if scene.dialog:
        return [scene.dialog]
    if scene.heading:
        # The item open on the page, with what the page says beside the control ("staging → production").
        return [f"{scene.heading} ({scene.near})" if scene.near else scene.heading]
    return [scene.title] if scene.title else []


@dataclass(frozen=True)
class Evidence:
    summary: str
    objects: list[str]
    selection: list[str]


def evidence_for(
    spec: ActionSpec, params: dict[str, Any], element: ElementInfo | None, scene: Scene, risk: Risk
) -> Evidence:
    objects = objects_of(scene, element, risk)
    said = say(spec.name, params, element, objects)
    selection = list(scene.selected) if risk.rank >= Risk.WRITE.rank else []
    return Evidence(said.summary, said.objects, selection)


async def draft_for(
    tab: Tab,
    task_id: str,
    spec: ActionSpec,
    params: dict[str, Any],
    element: ElementInfo | None,
    assessment: Assessment,
    evidence: Evidence,
    policy_reason: str,
    model_reason: str | None,
    screens_dir: Path,
    kind: str = "action",
) -> Draft:
    draft = Draft(
        task_id=task_id,
        kind=kind,
        action=spec.name,
        params=params,
        summary=evidence.summary,
        objects=evidence.objects,
        selection=evidence.selection,
        policy_reason=policy_reason,
        risk=assessment.risk.value,
        target=describe(element) if element else None,
        target_name=element.name if element else "",
        target_identity=identity(element) if element else None,
        model_reason=model_reason,
        page_url=tab.url,
        fingerprint=fingerprint(tab.url, spec.name, element, evidence.selection),
    )
    try:
        path = await tab.screenshot(
            screens_dir / f"{draft.approval_id}.png", element.ref if element else None, rows=evidence.selection
        )
        draft.screenshot = path.name
    except Exception as error:  # an approval without a picture is still an approval
        log.warning("No screenshot for approval %s: %s", draft.approval_id, error)
    return draft
