"""Fresh pairing codes for the tray's "Pair browser extension…": only Deputy's own local client may ask."""

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel

from backend import pairing
from backend.api.deps import AuthDep, ContextDep, SessionDep

router = APIRouter(tags=["pairing"])


class PairingCodePublic(BaseModel):
    code: str
    expires_at: str


@router.post("/api/pair/codes", status_code=201)
def new_code(client: AuthDep, ctx: ContextDep, session: SessionDep) -> PairingCodePublic:
    # A paired browser must not mint codes for other browsers: only the CLI and tray (the local token) may.
    if client.kind != "local":
        raise HTTPException(403, "Only Deputy's own tray and CLI can make pairing codes.")
    code, expires = pairing.new_code(session, ctx.clock.now())
    session.commit()
    return PairingCodePublic(code=code, expires_at=expires.isoformat())
