"""Mail: what Deputy knows of webmail of the Demo Mail kind."""

from backend.skills.mail.knowledge import KNOWN_WRITES, undo_for
from backend.skills.registry import SiteSkill, Skills


def register(skills: Skills) -> None:
    skills.register(SiteSkill("mail", known_writes=tuple(KNOWN_WRITES), undo_for=undo_for))
