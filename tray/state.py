"""What the tray shows, read from the API: paused, toggles, pending approvals, work in progress, spend,
scheduled jobs; and what it says when the server announces something."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

WORKING = ("queued", "running")
ENDED = {"finished": "Finished", "failed": "Failed", "cancelled": "Cancelled"}


class Look(StrEnum):
    IDLE = "idle"
    WORKING = "working"
    WAITING = "waiting"  # approvals wait for the person
    PAUSED = "paused"
    ERROR = "error"  # the server or the agent's browser is down


@dataclass(frozen=True)
class Pending:
    id: str
    summary: str
    task_id: str


@dataclass(frozen=True)
class Job:
    """A scheduled job as the menu shows it."""

    id: str
    title: str
    kind: str
    enabled: bool
    next_run: str  # "today 06:00", "off"
    running: bool = False


WATCH_KIND = "deploy_watch"


@dataclass(frozen=True)
class RecipeItem:
    """A recipe as the menu shows it: only those without variables run from a click."""

    name: str
    instruction: str
    variables: tuple[str, ...] = ()


@dataclass(frozen=True)
class TrayState:
    connected: bool = False
    problem: str = ""  # why something is down, for the tooltip
    paused: bool = False
    toggles: dict[str, bool] = field(default_factory=dict)  # other switches from /api/state
    pending: tuple[Pending, ...] = ()
    running: int = 0
    spend_usd: float = 0.0
    budget_usd: float | None = None
    port: int = 0
    jobs: tuple[Job, ...] = ()
    recipes: tuple[RecipeItem, ...] = ()  # the active ones

    @property
    def watches(self) -> tuple[Job, ...]:
        return tuple(job for job in self.jobs if job.kind == WATCH_KIND)

    @property
    def watching(self) -> bool:
        """The deploy watch is on when any of its jobs is."""
        return any(job.enabled for job in self.watches)


def summary_of(approval: dict[str, Any]) -> str:
    """The approval as a person reads it: the server's own sentence, else its target in words."""
    if approval.get("summary"):
        return str(approval["summary"])
    params = approval.get("params") or {}
    kind = approval.get("kind")
    if kind == "budget":
        return "Spend more on a task"
    if kind == "question":
        return str(params.get("question") or "Deputy has a question")
    if kind == "navigation":
        return f"Open {params.get('url', 'another site')}"
    verb = str(approval.get("action", "act")).replace("_", " ").capitalize()
    target = approval.get("target")
    return f"{verb} {target}" if target else verb


def look_of(state: TrayState) -> Look:
    if not state.connected or state.problem:
        return Look.ERROR
    if state.pending:
        return Look.WAITING
    if state.paused:
        return Look.PAUSED
    if state.running:
        return Look.WORKING
    return Look.IDLE


def money(amount: float) -> str:
    return f"${amount:.2f}"


def tooltip(state: TrayState) -> str:
    if not state.connected:
        return f"Deputy: not answering. {state.problem}".strip()
    spend = f"Today {money(state.spend_usd)}"
    if state.budget_usd is not None:
        spend += f" of {money(state.budget_usd)}"
    lines = [f"Deputy{' (paused)' if state.paused else ''}", spend]
    lines.append(f"{len(state.pending)} waiting for you" if state.pending else "Nothing waiting for you")
    lines.append(f"{state.running} task{'s' if state.running != 1 else ''} running")
    if state.problem:
        lines.append(state.problem)
    return "\n".join(lines)


def next_run_text(when: str | None, now: datetime) -> str:
    """A job's next run as a person says it, in local time: "today 06:00", "tomorrow 06:00", "Fri 5 Dec 06:00"."""
    if not when:
        return "off"
    at = datetime.fromisoformat(when).astimezone()
    today = now.astimezone().date()
    clock = at.strftime("%H:%M")
    if at.date() == today:
        return f"today {clock}"
    if at.date() == today + timedelta(days=1):
        return f"tomorrow {clock}"
    return f"{at.strftime('%a')} {at.day} {at.strftime('%b')} {clock}"


def job_of(job: dict[str, Any], now: datetime) -> Job:
    return Job(
        id=str(job["id"]),
        title=str(job.get("title") or job["id"]),
        kind=str(job.get("kind") or ""),
        enabled=bool(job.get("enabled")),
        next_run=next_run_text(job.get("next_run_at"), now),
        running=bool(job.get("running")),
    )


def departure_text(when: object) -> str:
    """A departure in this computer's local time, "Tue 3 Mar 09:15"; an unreadable one as the server said it."""
    try:
        at = datetime.fromisoformat(str(when)).astimezone()
    except ValueError:
        return str(when or "")
    return f"{at.strftime('%a')} {at.day} {at.strftime('%b %H:%M')}"


def flight_of(data: dict[str, Any]) -> str:
    said = " ".join(str(data.get(k) or "").strip() for k in ("airline", "flight")).strip()
    code = str(data.get("booking_code") or "").strip()
    if said and code:
        return f"{said} (booking {code})"
    return said or (f"booking {code}" if code else "your flight")


def news_of(event: dict[str, Any]) -> str | None:
    """The notification an event is worth, or None: approvals waiting, tasks ending, a deploy alert, a digest,
    a trip's check-in window opening, boarding passes saved."""
    kind, data = event.get("type"), event.get("data") or {}
    if kind == "approval.created":
        return f"Waiting for you: {summary_of(data)}"
    if kind == "task.finished" and data.get("status") in ENDED:
        return f"{ENDED[data['status']]}: {data.get('summary') or data.get('instruction') or data.get('id')}"
    if kind == "watch.alert":
        said = f"Deploy alert: {data.get('summary') or 'the deploy dashboard shows a problem'}"
        if data.get("approval_id"):
            said += ". A rollback waits for your approval."
        return said
    if kind == "digest.ready":
        return f"While you were away: {data.get('headline') or 'Deputy has a summary for you.'}"
    if kind == "trip.checkin_open":
        departs = departure_text(data.get("departs_at"))
        return f"Check-in is open: {flight_of(data)}, departing {departs}. Check in from Deputy's extension."
    if kind == "checkin.boarding_pass":
        files = [str(f) for f in data.get("files") or []]
        count = "Boarding pass" if len(files) == 1 else f"{len(files)} boarding passes"
        return f"{count} saved for {flight_of(data)}: {', '.join(files)}. Open from Deputy's extension."
    return None


def from_api(
    port: int,
    server_state: dict[str, Any],
    approvals: list[dict[str, Any]],
    tasks: list[dict[str, Any]],
    usage: dict[str, Any],
    browser: dict[str, Any] | None,
    schedules: list[dict[str, Any]] | None = None,
    now: datetime | None = None,
    recipes: list[dict[str, Any]] | None = None,
) -> TrayState:
    toggles = {k: v for k, v in server_state.items() if isinstance(v, bool) and k != "paused"}
    budget = (usage.get("budget") or {}).get("day_usd")
    problem = ""
    if browser is not None and not browser.get("available", True):
        problem = str(browser.get("detail") or "The agent's browser is not available.")
    return TrayState(
        connected=True,
        problem=problem,
        paused=bool(server_state.get("paused")),
        toggles=toggles,
        pending=tuple(Pending(a["id"], summary_of(a), a.get("task_id", "")) for a in approvals),
        running=sum(1 for t in tasks if t.get("status") in WORKING),
        spend_usd=float(usage.get("spend_usd") or 0.0),
        budget_usd=float(budget) if budget is not None else None,
        port=port,
        jobs=tuple(job_of(job, now or datetime.now().astimezone()) for job in schedules or []),
        recipes=tuple(
            RecipeItem(str(r["name"]), str(r["instruction"]), tuple(r.get("variables") or ()))
            for r in recipes or []
            if r.get("status") == "active"
        ),
    )
