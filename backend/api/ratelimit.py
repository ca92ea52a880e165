"""Failed pairing and authentication attempts, counted per kind and caller, with a lockout.

Every caller of a loopback server is 127.0.0.1, so there is no exemption for it: ten failures in a minute
lock that kind of attempt for five minutes.
"""

import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from backend.clock import Clock


@dataclass
class FailureLimiter:
    clock: Clock
    max_failures: int = 10
    window: timedelta = timedelta(minutes=1)
    lockout: timedelta = timedelta(minutes=5)
    _failures: dict[str, deque[datetime]] = field(default_factory=dict)
    _locked_until: dict[str, datetime] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def locked_for(self, key: str) -> timedelta | None:
        """How long `key` stays locked out, or None if it is not."""
        with self._lock:
            until = self._locked_until.get(key)
            now = self.clock.now()
            if until is None or until <= now:
                self._locked_until.pop(key, None)
                return None
            return until - now

    def fail(self, key: str) -> None:
        with self._lock:
            now = self.clock.now()
            recent = self._failures.setdefault(key, deque())
            recent.append(now)
            while recent and recent[0] <= now - self.window:
                recent.popleft()
            if len(recent) >= self.max_failures:
                self._locked_until[key] = now + self.lockout
                recent.clear()
