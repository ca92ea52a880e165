"""What the tray shows, read from the API: paused, toggles, pending approvals, work in progress, spend."""

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

WORKING = ("queued", "running")


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


def from_api(
    port: int,
    server_state: dict[str, Any],
    approvals: list[dict[str, Any]],
    tasks: list[dict[str, Any]],
    usage: dict[str, Any],
    browser: dict[str, Any] | None,
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
    )
