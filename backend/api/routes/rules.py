from fastapi import APIRouter
from sqlmodel import col, select

from backend.api.deps import AuthDep, ContextDep, SessionDep, not_found
from backend.models import RuleCreate, RulePublic, UserRule

router = APIRouter(tags=["rules"])


@router.get("/api/rules")
def list_rules(_: AuthDep, session: SessionDep) -> list[RulePublic]:
    return [
        RulePublic.model_validate(r.model_dump()) for r in session.exec(select(UserRule).order_by(col(UserRule.id)))
    ]


@router.post("/api/rules", status_code=201)
def add_rule(body: RuleCreate, _: AuthDep, ctx: ContextDep, session: SessionDep) -> RulePublic:
    rule = UserRule(kind=body.kind.value, value=body.value, created_at=ctx.clock.now())
    session.add(rule)
    session.commit()
    session.refresh(rule)
    return RulePublic.model_validate(rule.model_dump())


@router.post("/api/rules/{rule_id}/delete")
def delete_rule(rule_id: int, _: AuthDep, session: SessionDep) -> RulePublic:
    rule = session.get(UserRule, rule_id)
    if rule is None:
        raise not_found(f"Rule {rule_id}")
    gone = RulePublic.model_validate(rule.model_dump())
    session.delete(rule)
    session.commit()
    return gone
