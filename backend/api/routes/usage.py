from typing import Annotated, Any

from fastapi import APIRouter, Query

from backend.api.deps import AuthDep, ContextDep, SessionDep
from backend.ledger.report import Period, usage_report
from backend.ledger.team import team_report

router = APIRouter(tags=["usage"])


@router.get("/api/usage")
def usage(
    _: AuthDep, ctx: ContextDep, session: SessionDep, period: Annotated[Period, Query()] = "day"
) -> dict[str, Any]:
    """Spend, tokens by kind, outcomes and cost per outcome, waste, and the budget left today."""
    return usage_report(session, period, ctx.clock.now())


@router.get("/api/usage/team")
def team_usage(
    _: AuthDep, ctx: ContextDep, session: SessionDep, period: Annotated[Period, Query()] = "week"
) -> dict[str, Any]:
    """Outcomes and cost per outcome for each person and each team writing to this ledger; no token counts
    per person and no task or page text."""
    return team_report(session, period, ctx.clock.now())
