"""The demo sites' record of every state change they receive.

Tests read it through each site's test-only routes to prove what Deputy did and did not do.
"""

import threading
from dataclasses import asdict, dataclass, field
from typing import Any

from backend.clock import Clock, SystemClock


@dataclass(frozen=True)
class Change:
    seq: int
    at: str
    scope: str
    endpoint: str
    what: str
    before: Any = None
    after: Any = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ChangeLog:
    """Append-only, thread-safe; `scope` separates independent mailboxes or sessions."""

    clock: Clock = field(default_factory=SystemClock)
    _entries: list[Change] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, endpoint: str, what: str, before: Any = None, after: Any = None, scope: str = "default") -> Change:
        with self._lock:
            change = Change(
                seq=len(self._entries) + 1,
                at=self.clock.now().isoformat(),
                scope=scope,
                endpoint=endpoint,
                what=what,
                before=before,
                after=after,
            )
            self._entries.append(change)
            return change

    def entries(self, scope: str | None = None, since: int = 0) -> list[Change]:
        with self._lock:
            return [c for c in self._entries if c.seq > since and (scope is None or c.scope == scope)]
