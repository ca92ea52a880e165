from fastapi import APIRouter, HTTPException, Request

from backend import pairing
from backend.api.deps import ContextDep, SessionDep, caller_key
from backend.models import PairRequest, PairResponse

router = APIRouter(tags=["pairing"])


@router.post("/api/pair")
def pair(body: PairRequest, request: Request, ctx: ContextDep, session: SessionDep) -> PairResponse:
    key = caller_key(request, "pair")
    locked = ctx.limiter.locked_for(key)
    if locked is not None:
        raise HTTPException(429, f"Too many failed pairing attempts; try again in {int(locked.total_seconds()) + 1} s.")
    origin = request.headers.get("origin")  # the guard admits only the extension and Deputy's own pages
    now = ctx.clock.now()
    try:
        pairing.redeem_code(session, body.code, now)
    except pairing.PairingError as refusal:
        session.rollback()
        ctx.limiter.fail(key)
        raise HTTPException(400, str(refusal)) from None
    kind = "other" if not origin else "extension" if origin.startswith("chrome-extension://") else "page"
    token = pairing.issue_token(session, body.client, kind, origin, now)
    session.commit()
    return PairResponse(token=token, client=body.client, origin=origin)
