import asyncio
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from sqlmodel import col, select

from backend.api.deps import AuthDep, ContextDep, SessionDep, not_found
from backend.models import AuditPublic, AuditRecord

router = APIRouter(tags=["audit"])


def public(record: AuditRecord) -> AuditPublic:
    return AuditPublic.model_validate({**record.model_dump(), "undoable": record.undo is not None})


@router.get("/api/audit")
def list_audit(
    _: AuthDep,
    session: SessionDep,
    task_id: Annotated[str | None, Query(max_length=32)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[AuditPublic]:
    query = select(AuditRecord).order_by(col(AuditRecord.id).desc()).limit(limit)
    if task_id is not None:
        query = query.where(AuditRecord.task_id == task_id)
    return [public(r) for r in session.exec(query)]


@router.post("/api/audit/{record_id}/undo")
def undo(record_id: int, client: AuthDep, ctx: ContextDep, session: SessionDep) -> dict[str, object]:
    record = session.get(AuditRecord, record_id)
    if record is None:
        raise not_found(f"Audit record {record_id}")
    if record.undo is None:
        raise HTTPException(409, f"Record {record_id} ({record.action or record.kind}) cannot be undone.")
    if ctx.executor is None or ctx.loop is None:
        raise HTTPException(503, "The agent's browser is not available; `deputy doctor` says why.")
    future = asyncio.run_coroutine_threadsafe(ctx.executor.undo(record_id, f"user:{client.name}"), ctx.loop)
    try:
        outcome = future.result(timeout=60)
    except ValueError as refusal:
        raise HTTPException(409, str(refusal)) from None
    except LookupError as refusal:
        raise HTTPException(404, str(refusal)) from None
    if outcome.status != "done":
        raise HTTPException(409, f"The undo did not go through: {outcome.message}")
    return {"status": outcome.status, "message": outcome.message, "audit_id": outcome.audit_id}
