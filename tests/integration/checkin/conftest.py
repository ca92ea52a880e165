"""Deputy with the scripted model (the agent suite's fixtures), and helpers for check-in tests."""

from tests.integration.agent.conftest import agent, model  # noqa: F401  (fixtures)
from tests.live import Deputy


def kept_passes(deputy: Deputy, task_id: str, count: int) -> list[str]:
    """The check-in's boarding passes once `count` are kept: they are copied just after the task ends (and
    announced as checkin.boarding_pass), so a look the moment it ends can still find none."""

    def passes() -> list[str] | None:
        found = deputy.get(f"/api/checkins/{task_id}", token=deputy.local_token).json()["boarding_passes"]
        return found if len(found) >= count else None

    return deputy.wait(passes, 20, f"{count} boarding passes of task {task_id}")
