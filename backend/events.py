"""The in-process event bus: parts of Deputy publish typed events; every connected client receives them.

Each subscriber has a bounded queue. A subscriber that falls behind is dropped (its socket closed) rather
than letting the server's memory grow or a slow client hold up publishers.
"""

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from backend.clock import Clock

log = logging.getLogger(__name__)

EVENT_TYPES = (
    "task.created",
    "task.updated",
    "task.finished",
    "step.started",
    "step.finished",
    "approval.created",
    "approval.decided",
    "usage.recorded",
    "state.changed",
    "client.revoked",
    "schedule.ran",
    "watch.alert",
    "digest.ready",
    "recipe.started",
    "recipe.healed",
    "recipe.retired",
    "checkin.boarding_pass",
    "trip.checkin_open",
    "rule.retired",
)


@dataclass(eq=False)
class Subscription:
    queue: asyncio.Queue[dict[str, Any]]
    on_overflow: Callable[[], None] = lambda: None
    overflowed: bool = False


@dataclass
class EventBus:
    clock: Clock
    queue_size: int = 256
    _subscribers: set[Subscription] = field(default_factory=set)
    _loop: asyncio.AbstractEventLoop | None = None

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Remember the server's loop so threads (sync routes, the browser) can publish safely."""
        self._loop = loop

    def subscribe(self, on_overflow: Callable[[], None] = lambda: None) -> Subscription:
        sub = Subscription(asyncio.Queue(self.queue_size), on_overflow)
        self._subscribers.add(sub)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        self._subscribers.discard(sub)

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)

    def publish(self, type_: str, data: dict[str, Any] | None = None) -> None:
        """Publish from any thread; delivery happens on the server's loop."""
        if type_ not in EVENT_TYPES:
            raise ValueError(f"unknown event type {type_!r}")
        event = {"type": type_, "at": self.clock.now().isoformat(), "data": data or {}}
        loop = self._loop
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if loop is not None and running is not loop:
            loop.call_soon_threadsafe(self._deliver, event)
        else:
            self._deliver(event)

    def _deliver(self, event: dict[str, Any]) -> None:
        for sub in list(self._subscribers):
            try:
                sub.queue.put_nowait(event)
            except asyncio.QueueFull:
                log.warning("Dropping an event client that fell %d events behind.", self.queue_size)
                sub.overflowed = True
                self._subscribers.discard(sub)
                sub.on_overflow()
