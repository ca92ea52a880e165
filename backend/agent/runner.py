"""Running tasks: each on its own asyncio task (and its own browser tab) on the server's loop."""

import asyncio
import logging

from backend.agent.loop import Agent

log = logging.getLogger(__name__)


class TaskRunner:
    def __init__(self, agent: Agent) -> None:
        self.agent = agent
        self._running: dict[str, asyncio.Task[None]] = {}

    def start(self, task_id: str) -> None:
        """Start a task; call on the server's loop."""
        job = asyncio.get_running_loop().create_task(self._run(task_id), name=f"task-{task_id}")
        self._running[task_id] = job

    async def _run(self, task_id: str) -> None:
        try:
            await self.agent.run(task_id)
        finally:
            self._running.pop(task_id, None)
            await self.agent.browser.close_tab(task_id)

    def is_running(self, task_id: str) -> bool:
        return task_id in self._running

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
