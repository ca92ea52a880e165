"""What a deploy dashboard shows, read by a fixed rule from Deputy's snapshot: no model, no tokens.

The rule looks for words a dashboard uses for a bad state (failed, degraded, halted, an incident) and for
error rates shown as percentages. What it returns has a signature that leaves out numbers that drift
(metrics, clocks), so "nothing changed" is a plain comparison of two strings.
"""

import re
from dataclasses import dataclass, field

from backend.browser.snapshot import ElementInfo, Snapshot

DEFAULT_THRESHOLD = 5.0  # percent of requests failing that counts as an incident

BAD = re.compile(
    r"\b(failed|failing|failure|degraded|halted|unhealthy|outage|crash ?loop\w*|incident|rollout stopped)\b", re.I
)
ERROR_LABEL = re.compile(r"\b(error[s]?|5xx|failure)[ -]?(rate|ratio|share)?\b", re.I)
PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")
REF = re.compile(r"\[[a-z]?\d+\]\s*")
DRIFT = re.compile(r"\d+(?:[.:]\d+)*\s*(%|ms|/s|s|m|h|min|ago)?")
ROLLBACK = re.compile(r"\b(roll ?back|revert|restore previous)\b", re.I)
LEADS_ON = re.compile(r"\b(deployment|release|rollout|deploy)\b", re.I)
LOG_LINE = re.compile(r"\b(ERROR|FATAL|WARN(ING)?|failed|halted|roll ?back)\b")


@dataclass(frozen=True)
class Reading:
    bad: list[str] = field(default_factory=list)  # lines that show a bad state, as the page wrote them
    error_rate: float | None = None  # the highest error rate the page shows, in percent
    threshold: float = DEFAULT_THRESHOLD

    @property
    def over(self) -> bool:
        return self.error_rate is not None and self.error_rate >= self.threshold

    @property
    def alarming(self) -> bool:
        return bool(self.bad) or self.over

    @property
    def signature(self) -> str:
        steady = sorted({DRIFT.sub("#", line) for line in self.bad})
        return "\n".join([*steady, f"over={self.over}"])

    def said(self) -> str:
        parts = []
        if self.bad:
            parts.append(self.bad[0])
        if self.error_rate is not None:
            parts.append(f"error rate {self.error_rate:g}% (incident at {self.threshold:g}%)")
        return "; ".join(parts) or "nothing wrong shown"


def _lines(snapshot: Snapshot) -> list[str]:
    lines = []
    for raw in snapshot.text.splitlines():
        line = REF.sub("", raw).strip().strip("-").strip()
        if line and not line.startswith(("<untrusted", "</untrusted", "Page:", "URL:")):
            lines.append(line)
    return lines


def read(snapshot: Snapshot, threshold: float = DEFAULT_THRESHOLD) -> Reading:
    lines = _lines(snapshot)
    bad = [line for line in lines if BAD.search(line)]
    rates = []
    for number, line in enumerate(lines):
        labelled = ERROR_LABEL.search(line) or (number and ERROR_LABEL.search(lines[number - 1]))
        if not labelled or "threshold" in line.lower():
            continue
        rates += [float(p) for p in PERCENT.findall(line)]
    return Reading(bad=bad[:12], error_rate=max(rates) if rates else None, threshold=threshold)


def rollback_control(snapshot: Snapshot) -> ElementInfo | None:
    """The control that rolls back or reverts a release, outside any dialog."""
    for element in snapshot.elements.values():
        usable = not element.dialog and not element.states.get("disabled")
        if usable and element.role in ("button", "link") and ROLLBACK.search(element.name):
            return element
    return None


def lead(snapshot: Snapshot, reading: Reading) -> ElementInfo | None:
    """A link from the bad state to the release it names (where a rollback is offered), if the page has one."""
    near = " ".join(reading.bad)
    for element in snapshot.elements.values():
        if element.role != "link" or not LEADS_ON.search(element.name):
            continue
        ids = re.findall(r"[\w.-]*\d[\w.-]*", element.name)
        if any(i in near for i in ids) or element.name.lower().startswith("view"):
            return element
    return None


def log_excerpt(lines: list[str], most: int = 6) -> list[str]:
    """The lines of a log that say something went wrong, the latest last."""
    found = [REF.sub("", line).strip() for line in lines if LOG_LINE.search(line)]
    return found[-most:]
