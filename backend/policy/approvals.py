"""Answering approvals: single-use, bound to the page state, expiring; every answer is recorded."""

from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from backend.actions import registry
from backend.actions.registry import ActionInputError
from backend.ledger.money import MoneyError, parse_usd, usd
from backend.models import Approval, ApprovalStatus, AuditRecord, Task
from backend.models.task import TASK_BUDGET_MOST_USD


class ApprovalError(Exception):
    """An answer that cannot be taken; `status` is the HTTP status the API gives it."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def aware(moment: datetime, like: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=like.tzinfo)


def expire_due(session: Session, now: datetime) -> list[str]:
    """Mark pending approvals past their expiry as expired (which counts as rejected)."""
    expired = []
    for approval in session.exec(select(Approval).where(Approval.status == ApprovalStatus.PENDING)):
        if aware(approval.expires_at, now) <= now:
            approval.status = ApprovalStatus.EXPIRED
            approval.decided_at = now
            approval.decided_by = "expiry"
            approval.decision_reason = "Nobody answered in time; an expired approval counts as rejected."
            session.add(approval)
            session.add(_record(approval, now, "decided", "expiry", "expired", approval.decision_reason))
            expired.append(approval.id)
    return expired


def _record(approval: Approval, now: datetime, kind: str, actor: str, verdict: str, reason: str | None) -> AuditRecord:
    return AuditRecord(
        task_id=approval.task_id,
        at=now,
        kind=kind,
        action=approval.action,
        params=approval.params,
        actor=actor,
        verdict=verdict,
        risk=approval.risk,
        reason=reason,
        approval_id=approval.id,
    )


def get_pending(session: Session, approval_id: str, now: datetime) -> Approval:
    expire_due(session, now)
    approval = session.get(Approval, approval_id)
    if approval is None:
        raise ApprovalError(404, f"No approval {approval_id!r}.")
    if approval.status != ApprovalStatus.PENDING:
        by = f" by {approval.decided_by}" if approval.decided_by else ""
        raise ApprovalError(409, f"Approval {approval_id} was already answered ({approval.status}{by}).")
    return approval


def approve(
    session: Session, approval_id: str, by: str, now: datetime, edits: dict[str, Any] | None, like_this: bool
) -> Approval:
    approval = get_pending(session, approval_id, now)
    params = dict(approval.params)
    if edits and approval.kind == "budget":
        try:
            if set(edits) != {"add_usd"}:
                raise MoneyError("it takes no other edit")
            extra = parse_usd(edits["add_usd"], most=TASK_BUDGET_MOST_USD)
        except MoneyError as error:
            raise ApprovalError(422, f"A budget approval takes one edit, add_usd in dollars: {error}.") from None
        params["add_usd"], params["add_micro_usd"] = usd(extra), extra
    elif edits:
        if approval.kind != "action":
            raise ApprovalError(422, "Only action and budget approvals take edits.")
        spec = registry.get(approval.action)
        if "ref" in edits and edits["ref"] != params.get("ref"):
            raise ApprovalError(422, "The target of an approval cannot be changed; reject it and ask instead.")
        try:
            params = spec.validate({**params, **edits}).model_dump(mode="json", exclude_none=True)
        except ActionInputError as error:
            raise ApprovalError(422, str(error)) from None
    task = session.get(Task, approval.task_id)
    if task is not None:
        # What the user approved becomes trusted: a recipient they saw and accepted may be used.
        approved_values = [str(v) for v in params.values() if isinstance(v, str)]
        task.trusted_values = [*task.trusted_values, *approved_values]
        if like_this and approval.kind == "action" and approval.risk == "write":
            task.grants = [*task.grants, {"action": approval.action, "kind": _kind_of(approval)}]
        session.add(task)
    approval.params = params
    approval.edits = edits or None
    approval.like_this = like_this
    approval.status = ApprovalStatus.APPROVED
    approval.decided_at = now
    approval.decided_by = by
    session.add(approval)
    note = "approved with edits" if edits else "approved"
    session.add(_record(approval, now, "decided", by, "approved", note + (" (and all like it)" if like_this else "")))
    return approval


def _kind_of(approval: Approval) -> str:
    from backend.policy.engine import grant_kind

    return grant_kind(approval.action, approval.target_name or "")


def reject(session: Session, approval_id: str, by: str, now: datetime, reason: str | None) -> Approval:
    approval = get_pending(session, approval_id, now)
    approval.status = ApprovalStatus.REJECTED
    approval.decided_at = now
    approval.decided_by = by
    approval.decision_reason = reason or "Rejected by the user."
    session.add(approval)
    session.add(_record(approval, now, "decided", by, "rejected", approval.decision_reason))
    return approval


def claim_for_execution(session: Session, approval_id: str) -> bool:
    """Take an approved approval for execution, once: a second claim (or a restart) finds it used."""
    result = session.execute(
        update(Approval)
        .where(col(Approval.id) == approval_id, col(Approval.status) == ApprovalStatus.APPROVED)
        .values(status=ApprovalStatus.EXECUTED)
    )
    session.commit()
    return result.rowcount == 1  # type: ignore[attr-defined]


def mark(session: Session, approval_id: str, status: ApprovalStatus) -> None:
    approval = session.get(Approval, approval_id)
    if approval is not None:
        approval.status = status
        session.add(approval)
