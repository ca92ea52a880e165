from fastapi import APIRouter, HTTPException
from sqlmodel import select

from backend import pairing
from backend.api.deps import AuthDep, ContextDep, SessionDep
from backend.models import Client, ClientPublic

router = APIRouter(tags=["clients"])


def _public(client: Client) -> ClientPublic:
    return ClientPublic.model_validate(client, from_attributes=True)


@router.get("/api/clients")
def list_clients(_: AuthDep, session: SessionDep) -> list[ClientPublic]:
    return [_public(c) for c in session.exec(select(Client).order_by(Client.id))]


@router.post("/api/clients/{name}/revoke")
def revoke_client(name: str, _: AuthDep, ctx: ContextDep, session: SessionDep) -> ClientPublic:
    try:
        client = pairing.revoke(session, name, ctx.clock.now())
    except pairing.PairingError as refusal:
        raise HTTPException(404, str(refusal)) from None
    session.commit()
    session.refresh(client)
    # Open event sockets of this client close as soon as they see this.
    ctx.bus.publish("client.revoked", {"client": client.name})
    return _public(client)
