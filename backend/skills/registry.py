"""What Deputy knows of kinds of sites, registered by skill modules through this one interface.

A skill says which writes of its site are harmless (opening a mail marks it read) and how a change its site
received can be undone (an archive is moved back). The executor, the policy and the gate name no skill and
no site: they ask this registry. A site without a skill works through the generic snapshot, with nothing
known to be harmless and nothing undoable.
"""

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from backend.browser.gate import KnownWrite

UndoFinder = Callable[[str, str, str | None], dict[str, Any] | None]


@dataclass(frozen=True)
class SiteSkill:
    name: str
    known_writes: tuple[KnownWrite, ...] = ()  # each matches its own site only
    undo_for: UndoFinder | None = None  # (method, url, body) of a change the site received -> the request undoing it


@dataclass
class Skills:
    skills: list[SiteSkill] = field(default_factory=list)

    def register(self, skill: SiteSkill) -> None:
        if any(s.name == skill.name for s in self.skills):
            raise ValueError(f"A skill named {skill.name!r} is registered already.")
        self.skills.append(skill)

    def known_writes(self) -> list[KnownWrite]:
        return [known for skill in self.skills for known in skill.known_writes]

    def undo_for(self, method: str, url: str, body: str | None) -> dict[str, Any] | None:
        for skill in self.skills:
            if skill.undo_for is not None and (step := skill.undo_for(method, url, body)) is not None:
                return step
        return None


def load() -> Skills:
    """Every skill package under backend.skills, each registering itself through its `register` function."""
    import backend.skills as package

    found = Skills()
    for module in pkgutil.iter_modules(package.__path__):
        if module.ispkg:
            skill = importlib.import_module(f"{package.__name__}.{module.name}")
            skill.register(found)
    return found
