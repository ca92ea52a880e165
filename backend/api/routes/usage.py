from typing import Annotated, Any

from fastapi import APIRouter, Query

from backend.api.deps import AuthDep, ContextDep, SessionDep
from backend.ledger.report import Period, usage_report

router = APIRouter(tags=["usage"])


@router.get("/api/usage")
def usage(
    _: AuthDep, ctx: ContextDep, session: SessionDep, period: Annotated[Period, Query()] = "day"
) -> dict[str, Any]:
    """Spend, tokens by kind, outcomes and cost per outcome, waste, and the budget left today."""
    return usage_report(session, period, ctx.clock.now())
