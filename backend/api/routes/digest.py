from typing import Annotated, Any

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, ConfigDict, Field

from backend.api.deps import AuthDep, ContextDep
from backend.digest import build, mark_shown
from backend.policy.lifecycle import ApprovalError

router = APIRouter(tags=["digest"])


class GroupAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ids: Annotated[list[str], Field(min_length=1, max_length=200)]
    approve: bool = True
    reason: str | None = Field(None, max_length=500)


@router.get("/api/digest")
def get_digest(_: AuthDep, ctx: ContextDep) -> dict[str, Any]:
    """What happened since the user last saw a digest (or the last day): runs, rules, waits, cost, suspicions."""
    return build(ctx.engine, ctx.clock.now())


@router.post("/api/digest/seen")
def digest_seen(_: AuthDep, ctx: ContextDep) -> dict[str, Any]:
    """The user read it: the next digest starts from now."""
    mark_shown(ctx.engine, ctx.clock.now())
    return {"ok": True}


@router.post("/api/digest/answer")
def answer_group(body: GroupAnswer, client: AuthDep, ctx: ContextDep) -> dict[str, Any]:
    """Approve (or reject) a group of pending approvals at once; every one must be pending, or none is answered."""
    lifecycle = ctx.approvals
    ids = list(dict.fromkeys(body.ids))
    for approval_id in ids:
        approval = lifecycle.get(approval_id)
        if approval is None:
            raise HTTPException(404, f"No approval {approval_id!r}; nothing in the group was answered.")
        if approval.status != "pending":
            raise HTTPException(
                409, f"Approval {approval_id} was already answered ({approval.status}); nothing in the group was."
            )
    answered = []
    for approval_id in ids:
        try:
            if body.approve:
                done = lifecycle.approve(approval_id, by=client.name)
            else:
                done = lifecycle.reject(approval_id, by=client.name, reason=body.reason)
        except ApprovalError as error:  # answered elsewhere in the meantime: say which, keep the rest
            answered.append({"id": approval_id, "status": "unchanged", "why": str(error)})
            continue
        answered.append({"id": done.id, "status": done.status})
    return {"answered": answered}
