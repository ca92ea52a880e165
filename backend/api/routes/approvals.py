from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import FileResponse
from sqlmodel import Session, col, select

from backend.api.deps import AuthDep, ContextDep, SessionDep, not_found
from backend.models import Approval, ApprovalPublic, ApprovalStatus, ApproveBody, Client, RejectBody, Task
from backend.policy.lifecycle import ApprovalError, editable

router = APIRouter(tags=["approvals"])


def public(approval: Approval, instruction: str | None = None) -> ApprovalPublic:
    data = approval.model_dump()
    data["screenshot_url"] = f"/api/approvals/{approval.id}/screenshot" if approval.screenshot else None
    data["task_instruction"] = instruction
    data["editable"] = editable(approval)
    return ApprovalPublic.model_validate(data)


def instructions(session: Session, approvals_: list[Approval]) -> dict[str, str]:
    ids = {a.task_id for a in approvals_}
    if not ids:
        return {}
    return {t.id: t.instruction for t in session.exec(select(Task).where(col(Task.id).in_(ids)))}


def _actor(client: Client) -> str:
    return f"user:{client.name}"


@router.get("/api/approvals")
def list_approvals(
    _: AuthDep,
    ctx: ContextDep,
    session: SessionDep,
    status: Annotated[ApprovalStatus | None, Query()] = None,
    task_id: Annotated[str | None, Query(max_length=32)] = None,
) -> list[ApprovalPublic]:
    ctx.approvals.expire_due()
    query = select(Approval).order_by(col(Approval.created_at).desc())
    if status is not None:
        query = query.where(Approval.status == status)
    if task_id is not None:
        query = query.where(Approval.task_id == task_id)
    found = list(session.exec(query))
    told = instructions(session, found)
    return [public(a, told.get(a.task_id)) for a in found]


@router.get("/api/approvals/{approval_id}")
def get_approval(approval_id: str, _: AuthDep, session: SessionDep) -> ApprovalPublic:
    approval = session.get(Approval, approval_id)
    if approval is None:
        raise not_found(f"Approval {approval_id!r}")
    return public(approval, instructions(session, [approval]).get(approval.task_id))


@router.get("/api/approvals/{approval_id}/screenshot")
def approval_screenshot(approval_id: str, _: AuthDep, ctx: ContextDep, session: SessionDep) -> FileResponse:
    approval = session.get(Approval, approval_id)
    if approval is None or approval.screenshot is None:
        raise not_found(f"Screenshot of approval {approval_id!r}")
    path = ctx.settings.data_dir / "files" / "screenshots" / approval.screenshot
    if not path.is_file():
        raise not_found(f"Screenshot of approval {approval_id!r}")
    return FileResponse(path, media_type="image/png")


def _answer(session: Session, give: Callable[[], Approval]) -> ApprovalPublic:
    """Take an answer through the lifecycle: all or nothing, the first answer wins."""
    try:
        approval = give()
    except ApprovalError as refusal:
        raise HTTPException(refusal.status, str(refusal)) from None
    return public(approval, instructions(session, [approval]).get(approval.task_id))


@router.post("/api/approvals/{approval_id}/approve")
def approve(
    approval_id: str, client: AuthDep, ctx: ContextDep, session: SessionDep, body: ApproveBody | None = None
) -> ApprovalPublic:
    body = body or ApproveBody()
    return _answer(session, lambda: ctx.approvals.approve(approval_id, _actor(client), body.edits, body.like_this))


@router.post("/api/approvals/{approval_id}/reject")
def reject(
    approval_id: str, client: AuthDep, ctx: ContextDep, session: SessionDep, body: RejectBody | None = None
) -> ApprovalPublic:
    body = body or RejectBody()
    return _answer(session, lambda: ctx.approvals.reject(approval_id, _actor(client), body.reason))
