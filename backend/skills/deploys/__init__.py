"""Deploy dashboards: a watch that reads them at zero tokens and proposes a rollback, never doing one.

The dashboard's own writes are never harmless and a rollout cannot be undone from here, so the skill
registers no known writes and no undo; the watch is wired by the app (`watch.DeployWatch`).
"""

from backend.skills.registry import SiteSkill, Skills


def register(skills: Skills) -> None:
    skills.register(SiteSkill("deploys"))
