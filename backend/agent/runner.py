"""Running tasks: each on its own asyncio task (and its own browser tab) on the server's loop."""

import asyncio
import logging
from collections.abc import Awaitable, Callable

from backend.agent.loop import Agent

log = logging.getLogger(__name__)


class Jobs:
    """Tasks being worked on, by id: start, look up, cancel, and stop them all at shutdown. `work` does a
    task; `after` runs when it ends, however it ends (closing its tab)."""

    def __init__(self, work: Callable[[str], Awaitable[None]], after: Callable[[str], Awaitable[None]]) -> None:
        self._work = work
        self._after = after
        self._running: dict[str, asyncio.Task[None]] = {}

    def start(self, task_id: str) -> None:
        """Start a task; call on the server's loop."""
        job = asyncio.get_running_loop().create_task(self._run(task_id), name=f"task-{task_id}")
        self._running[task_id] = job

    async def _run(self, task_id: str) -> None:
        try:
            await self._work(task_id)
        finally:
            self._running.pop(task_id, None)
            await self._after(task_id)

    async def finished(self, task_id: str) -> None:
        """Wait until the task's job has ended (at once if it is not running)."""
        job = self._running.get(task_id)
        if job is not None:
            await asyncio.wait([job])

    def is_running(self, task_id: str) -> bool:
        return task_id in self._running

    async def join(self, task_id: str) -> None:
        """Wait until a task started here has ended, however it ends."""
        job = self._running.get(task_id)
        if job is not None:
            await asyncio.gather(job, return_exceptions=True)

    def cancel(self, task_id: str) -> bool:
        job = self._running.get(task_id)
        if job is None:
            return False
        job.cancel()
        return True

    async def stop_all(self) -> None:
        jobs = list(self._running.values())
        for job in jobs:
            job.cancel()
        await asyncio.gather(*jobs, return_exceptions=True)


class TaskRunner(Jobs):
    """The agent's tasks. `then` runs after each (a finished task becomes a recipe)."""

    def __init__(self, agent: Agent, then: Callable[[str], None] | None = None) -> None:
        super().__init__(self._work, agent.browser.close_tab)
        self.agent = agent
        self.then = then

    async def _work(self, task_id: str) -> None:
        await self.agent.run(task_id)
        if self.then is not None:
            try:
                self.then(task_id)
            except Exception:  # learning from a task must never change how the task ended
                log.exception("Could not learn a recipe from task %s.", task_id)
