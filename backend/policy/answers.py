"""Waiting for a person's answer to an approval: proposers sleep until an answer arrives from any thread."""

import asyncio

from sqlalchemy import Engine
from sqlmodel import Session

from backend.clock import Clock
from backend.models import Approval, ApprovalStatus
from backend.policy import approvals


class Answers:
    def __init__(self, engine: Engine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock
        self._waiting: dict[str, asyncio.Event] = {}
        self._loop: asyncio.AbstractEventLoop | None = None

    def expect(self, approval_id: str) -> None:
        """Someone will wait for this approval: an answer wakes them instead of running it in the server."""
        self._loop = asyncio.get_running_loop()
        self._waiting.setdefault(approval_id, asyncio.Event())

    def awaited(self, approval_id: str) -> bool:
        return approval_id in self._waiting

    def notify(self, approval_id: str) -> None:
        """Called (from any thread) after an approval was answered."""
        loop, event = self._loop, self._waiting.get(approval_id)
        if loop is not None and event is not None:
            loop.call_soon_threadsafe(event.set)

    async def wait(self, approval_id: str, within: float | None = None) -> ApprovalStatus:
        """The answer, once given; an approval left past its expiry counts as expired. PENDING if `within` ran out."""
        self._loop = asyncio.get_running_loop()
        event = self._waiting.setdefault(approval_id, asyncio.Event())
        try:
            while True:
                left = self._left(approval_id)
                if isinstance(left, ApprovalStatus):
                    return left
                # Wake on an answer, or now and then to notice expiry (the clock may be a test's).
                wait = min(max(left, 0.05), 1.0) if within is None else max(min(left, 1.0, within), 0.0)
                try:
                    await asyncio.wait_for(event.wait(), wait)
                except TimeoutError:
                    if within is not None:
                        within -= wait
                        if within <= 0:
                            return ApprovalStatus.PENDING
                event.clear()
        finally:
            self._waiting.pop(approval_id, None)

    def _left(self, approval_id: str) -> ApprovalStatus | float:
        """The approval's answer if it has one, else the seconds left before it expires."""
        now = self.clock.now()
        with Session(self.engine) as session:
            approvals.expire_due(session, now)
            session.commit()
            approval = session.get(Approval, approval_id)
            if approval is None:
                raise LookupError(f"No approval {approval_id!r}.")
            if approval.status != ApprovalStatus.PENDING:
                return ApprovalStatus(approval.status)
            return (approvals.aware(approval.expires_at, now) - now).total_seconds()
