"""The morning digest: one summary for when the user comes back. What ran, what the rules did, what waits
for approval (grouped, so one click answers a group), what it cost and per outcome, anything suspicious.

It is built from the records (scheduled runs, the audit log, approvals, the ledger), never from a model.
"""

from collections import defaultdict
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from backend.ledger.money import usd
from backend.models import Approval, ApprovalStatus, AuditRecord, DigestMark, ModelCall, ScheduledRun, Task

if TYPE_CHECKING:
    from backend.api.deps import AppContext

FIRST_LOOK_BACK = timedelta(hours=24)  # the first digest covers the last day
AWAY = timedelta(hours=2)  # a client that connects this long after the last digest seen is shown a new one


def since_last(engine: Engine, now: datetime) -> datetime:
    with Session(engine) as session:
        mark = session.get(DigestMark, 1)
        return mark.shown_at if mark is not None else now - FIRST_LOOK_BACK


def mark_shown(engine: Engine, now: datetime) -> None:
    with Session(engine) as session:
        mark = session.get(DigestMark, 1) or DigestMark(id=1, shown_at=now)
        mark.shown_at = now
        session.add(mark)
        session.commit()


def _ran(session: Session, since: datetime) -> list[dict[str, Any]]:
    """Runs since then, one line per job: a watch that looked 700 times is one line, not 700."""
    by_job: dict[str, list[ScheduledRun]] = defaultdict(list)
    for run in session.exec(
        select(ScheduledRun).where(col(ScheduledRun.started_at) >= since).order_by(col(ScheduledRun.id))
    ):
        by_job[run.schedule_id].append(run)
    lines = []
    for schedule_id, runs in by_job.items():
        last = runs[-1]
        noteworthy = [r for r in runs if r.status != "done" or not (r.summary or "").startswith("No change")]
        lines.append(
            {
                "schedule_id": schedule_id,
                "title": last.title,
                "runs": len(runs),
                "failed": sum(r.status in ("failed", "interrupted") for r in runs),
                "skipped": sum(r.status == "skipped" for r in runs),
                "last_status": last.status,
                "last_at": last.started_at.isoformat(),
                "summaries": [r.summary for r in noteworthy[-5:] if r.summary],
                "task_ids": sorted({r.task_id for r in runs if r.task_id}),
            }
        )
    return lines


def _rules(session: Session, since: datetime) -> dict[str, Any]:
    sorted_by_rules, by_reader, flagged = 0, 0, []
    for record in session.exec(select(AuditRecord).where(AuditRecord.kind == "triage", col(AuditRecord.at) >= since)):
        detail = record.detail or {}
        sorted_by_rules += int(detail.get("by_rules", 0))
        by_reader += int(detail.get("by_reader", 0))
        flagged += [
            f"{item.get('sender')}: {item.get('subject')} ({item.get('why')})" for item in detail.get("flagged", [])
        ]
    return {"sorted_by_rules": sorted_by_rules, "sorted_by_reader": by_reader, "flagged": flagged}


def _waiting(session: Session) -> list[dict[str, Any]]:
    """Pending approvals grouped by what they do, so a group is answered with one click."""
    groups: dict[tuple[str, str], list[Approval]] = defaultdict(list)
    pending = session.exec(
        select(Approval).where(Approval.status == ApprovalStatus.PENDING).order_by(col(Approval.created_at))
    )
    for approval in pending:
        groups[(approval.kind, approval.action)].append(approval)
    shown = []
    for (kind, action), approvals in groups.items():
        items = sum(len(a.params.get("items", [])) for a in approvals) if kind == "batch" else len(approvals)
        shown.append(
            {
                "kind": kind,
                "action": action,
                "risk": max((a.risk for a in approvals), key=["read", "local", "write", "irreversible"].index),
                "title": f"{len(approvals)} approvals like: {approvals[0].summary}"
                if len(approvals) > 1
                else approvals[0].summary,
                "items": items,
                "ids": [a.id for a in approvals],
                "summaries": [a.summary for a in approvals],
            }
        )
    return shown


def build(engine: Engine, now: datetime, since: datetime | None = None) -> dict[str, Any]:
    since = since or since_last(engine, now)
    with Session(engine) as session:
        ran = _ran(session, since)
        rules = _rules(session, since)
        waiting = _waiting(session)
        spent, calls = session.exec(
            select(func.coalesce(func.sum(ModelCall.cost_micro_usd), 0), func.count()).where(col(ModelCall.at) >= since)
        ).one()
        executed = session.exec(
            select(func.count()).where(Approval.status == ApprovalStatus.EXECUTED, col(Approval.decided_at) >= since)
        ).one()
        alerts = list(
            session.exec(select(AuditRecord).where(AuditRecord.kind == "alert", col(AuditRecord.at) >= since))
        )
        blocked = session.exec(
            select(func.count()).where(AuditRecord.kind == "blocked", col(AuditRecord.at) >= since)
        ).one()
        unattended = session.exec(
            select(func.count()).where(Task.unattended == True, col(Task.created_at) >= since)  # noqa: E712
        ).one()
    outcomes = rules["sorted_by_rules"] + rules["sorted_by_reader"] + len(alerts) + int(executed)
    suspicious = [f"Mail flagged: {line}" for line in rules["flagged"]]
    suspicious += [f"Alert: {a.reason}" for a in alerts]
    if blocked:
        suspicious.append(f"{blocked} write(s) a page tried were held by the write gate.")
    lines = [f"{len(ran)} scheduled job(s) ran ({unattended} unattended task(s))."]
    if rules["sorted_by_rules"]:
        lines.append(f"Your rules sorted {rules['sorted_by_rules']} message(s) with no model call.")
    if waiting:
        lines.append(f"{sum(len(g['ids']) for g in waiting)} approval(s) wait for you, in {len(waiting)} group(s).")
    lines.append(f"Spent ${usd(spent):.4f} on {calls} model call(s) for {outcomes} outcome(s).")
    return {
        "since": since.isoformat(),
        "now": now.isoformat(),
        "headline": " ".join(lines),
        "ran": ran,
        "rules": rules,
        "waiting": waiting,
        "cost": {
            "spend_usd": usd(spent),
            "spend_micro_usd": int(spent),
            "model_calls": int(calls),
            "outcomes": outcomes,
            "per_outcome_usd": usd(int(spent) // outcomes) if outcomes else None,
        },
        "suspicious": suspicious,
    }


def announce(ctx: "AppContext", why: str) -> str:
    """Tell every surface (popup, approvals page, tray notification) that a digest is ready."""
    digest = build(ctx.engine, ctx.clock.now())
    ctx.bus.publish("digest.ready", {"why": why, "headline": digest["headline"], "since": digest["since"]})
    return digest["headline"]


def welcome_back(ctx: "AppContext") -> None:
    """A client connected: if the user has not seen a digest for a while and something happened, say so."""
    now = ctx.clock.now()
    since = since_last(ctx.engine, now)
    if now - since.replace(tzinfo=since.tzinfo or now.tzinfo) < AWAY:
        return
    digest = build(ctx.engine, now, since)
    if digest["ran"] or digest["waiting"]:
        announce(ctx, why="you are back")
