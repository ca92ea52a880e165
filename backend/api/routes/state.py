from fastapi import APIRouter
from sqlmodel import Session

from backend.api.deps import AuthDep, ContextDep, SessionDep
from backend.models import AppState, StatePublic, StateUpdate

router = APIRouter(tags=["state"])


def current_state(session: Session) -> AppState:
    return session.get(AppState, 1) or AppState(id=1)


@router.get("/api/state")
def get_state(_: AuthDep, session: SessionDep) -> StatePublic:
    return StatePublic.model_validate(current_state(session), from_attributes=True)


@router.post("/api/state")
def set_state(update: StateUpdate, _: AuthDep, ctx: ContextDep, session: SessionDep) -> StatePublic:
    state = current_state(session)
    changes = update.model_dump(exclude_none=True)
    for name, value in changes.items():
        setattr(state, name, value)
    if changes:
        state.updated_at = ctx.clock.now()
        session.add(state)
        session.commit()
        session.refresh(state)
    public = StatePublic.model_validate(state, from_attributes=True)
    if changes:
        ctx.bus.publish("state.changed", public.model_dump(mode="json"))
    return public
