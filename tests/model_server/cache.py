"""A faithful, deterministic simulation of Anthropic's prompt cache, for Deputy's scripted model server.

The rules, as the real API documents them:
- A unit carrying `cache_control` is a breakpoint; the cache key is the whole prompt prefix through it
  (tools, then system, then messages), per model.
- At each breakpoint the server looks for a live entry at the breakpoint and at up to LOOKBACK_BLOCKS
  units before it; the longest prefix found is read (`cache_read_input_tokens`) and its TTL refreshed.
- Each breakpoint past the part read is written (`cache_creation_input_tokens`, split by TTL), unless its
  prefix is shorter than the model's minimum cacheable length: such prefixes are silently not cached.
- Whatever follows the last breakpoint written or read is plain `input_tokens`.
Entries live 5 minutes ("5m", the default) or an hour ("1h") from their last use, by the injected clock.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from backend.clock import Clock

from .tokens import Unit

LOOKBACK_BLOCKS = 20
TTLS = {"5m": timedelta(minutes=5), "1h": timedelta(hours=1)}


def min_cacheable_tokens(model: str) -> int:
    """1024 tokens for Sonnet- and Opus-class models, 2048 for Haiku-class ones."""
    return 2048 if "haiku" in model.lower() else 1024


@dataclass(frozen=True)
class CacheUsage:
    read: int
    written_5m: int
    written_1h: int
    uncached: int

    @property
    def written(self) -> int:
        return self.written_5m + self.written_1h


@dataclass
class _Entry:
    ttl: str
    expires: datetime


class PromptCache:
    def __init__(self, clock: Clock, min_tokens: Callable[[str], int] = min_cacheable_tokens) -> None:
        self._clock = clock
        self._min_tokens = min_tokens
        self._entries: dict[tuple[str, str], _Entry] = {}

    def clear(self) -> None:
        self._entries.clear()

    def account(self, model: str, units: Sequence[Unit]) -> CacheUsage:
        """Split one request's input into read, written and uncached tokens, and update the cache."""
        now = self._clock.now()
        self._entries = {key: entry for key, entry in self._entries.items() if entry.expires > now}
        breakpoints = [i for i, unit in enumerate(units) if unit.cache_ttl]

        hit = -1
        for point in breakpoints:
            for i in range(point, max(point - LOOKBACK_BLOCKS, 0) - 1, -1):
                if (model, units[i].digest) in self._entries:
                    hit = max(hit, i)
                    break
        read = 0
        if hit >= 0:
            entry = self._entries[(model, units[hit].digest)]
            entry.expires = now + TTLS[entry.ttl]
            read = units[hit].prefix_tokens

        written = {"5m": 0, "1h": 0}
        covered = read
        for point in breakpoints:
            unit = units[point]
            if point <= hit or unit.cache_ttl is None or unit.prefix_tokens < self._min_tokens(model):
                continue
            written[unit.cache_ttl] += unit.prefix_tokens - covered
            covered = unit.prefix_tokens
            self._entries[(model, unit.digest)] = _Entry(unit.cache_ttl, now + TTLS[unit.cache_ttl])

        total = units[-1].prefix_tokens if units else 0
        return CacheUsage(read=read, written_5m=written["5m"], written_1h=written["1h"], uncached=total - covered)
