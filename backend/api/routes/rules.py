from fastapi import APIRouter, HTTPException
from sqlmodel import col, select

from backend.agent.llm import ModelClient, ModelUnavailable
from backend.api.deps import AppContext, AuthDep, ContextDep, SessionDep, not_found
from backend.api.routes.approvals import public
from backend.models import (
    ApprovalPublic,
    PlainRule,
    RuleCreate,
    RuleKind,
    RulePatch,
    RulePublic,
    TaskStatus,
    UserRule,
)
from backend.policy.audit import AuditLog
from backend.skills.mail.learning import Learner, seen_matching
from backend.skills.mail.plain import PlainRuleError, Reading, RuleWriter, read_offline
from backend.tasks import new_task, set_status

router = APIRouter(tags=["rules"])


def _public(rule: UserRule) -> RulePublic:
    return RulePublic.model_validate(rule.model_dump())


@router.get("/api/rules")
def list_rules(_: AuthDep, session: SessionDep) -> list[RulePublic]:
    return [_public(r) for r in session.exec(select(UserRule).order_by(col(UserRule.id)))]


@router.post("/api/rules", status_code=201)
def add_rule(body: RuleCreate, _: AuthDep, ctx: ContextDep, session: SessionDep) -> RulePublic:
    rule = UserRule(kind=body.kind.value, value=body.value, created_at=ctx.clock.now())
    session.add(rule)
    session.commit()
    session.refresh(rule)
    return _public(rule)


@router.post("/api/rules/plain", status_code=201)
async def plain_rule(body: PlainRule, _: AuthDep, ctx: ContextDep, session: SessionDep) -> ApprovalPublic:
    """Turn a sentence into a mail rule once, and propose it: it is saved only when the user approves it."""
    text = " ".join(body.text.split())
    if not text:
        raise HTTPException(422, "The rule is empty: write what to do and to which mail, e.g. 'archive newsletters'.")
    task = new_task(session, f"Make a mail rule: {text}", ctx.clock.now())
    session.commit()
    try:
        reading, note = await _read(ctx, task.id, text)
    except PlainRuleError as problem:
        set_status(session, task, TaskStatus.FAILED, ctx.clock.now(), f"No rule: {problem}")
        session.commit()
        raise HTTPException(422, str(problem)) from None
    learner = Learner(ctx.engine, ctx.approvals, AuditLog(ctx.engine, ctx.clock), ctx.bus, ctx.clock)
    why = f"You asked for it: '{text}'{note}."
    approval = learner.propose(task.id, reading.rule, why, seen_matching(ctx.engine, reading.rule), reading.left_out)
    said = f"Proposed the rule '{reading.rule.name}'; it is saved only if you approve it."
    set_status(session, task, TaskStatus.FINISHED, ctx.clock.now(), said)
    session.commit()
    return public(approval, task.instruction)


async def _read(ctx: AppContext, task_id: str, text: str) -> tuple[Reading, str]:
    """The model's reading where there is a key (one call), else the offline parser's; and a note on which."""
    key = ctx.settings.anthropic_api_key.get_secret_value() if ctx.settings.anthropic_api_key else ""
    if not key or ctx.book is None:
        return read_offline(text), " (read without a model)"
    model = ModelClient(key, ctx.settings.triage_model, ctx.settings.anthropic_base_url)
    try:
        return await RuleWriter(model, ctx.book).write(task_id, text), ""
    except ModelUnavailable as error:
        return read_offline(text), f" (read without a model: {error})"
    finally:
        await model.close()


def _rule(session: SessionDep, rule_id: int) -> UserRule:
    rule = session.get(UserRule, rule_id)
    if rule is None:
        raise not_found(f"Rule {rule_id}")
    return rule


@router.get("/api/rules/{rule_id}")
def get_rule(rule_id: int, _: AuthDep, session: SessionDep) -> RulePublic:
    return _public(_rule(session, rule_id))


@router.patch("/api/rules/{rule_id}")
def edit_rule(rule_id: int, body: RulePatch, _: AuthDep, session: SessionDep) -> RulePublic:
    """Change a mail rule; it is checked whole, like a new one, and nothing is stored if it does not fit."""
    rule = _rule(session, rule_id)
    if rule.kind != RuleKind.MAIL:
        raise HTTPException(
            422, f"Rule {rule_id} is a {rule.kind} rule; only mail rules can be edited. Delete it and add it anew."
        )
    changes = body.model_dump(exclude_unset=True)
    if not changes:
        raise HTTPException(422, "Nothing to change: send match, action, label, name or retired.")
    value = {**rule.value, **changes}
    if "name" not in changes and changes.keys() & {"match", "action", "label"}:
        value.pop("name", None)  # the name follows what the rule now does
    if changes.get("retired") is False:
        value["undos"] = 0
    try:
        checked = RuleCreate.model_validate({"kind": "mail", "value": value})
    except ValueError as error:
        raise HTTPException(422, _problem(error)) from None
    rule.value = checked.value
    session.add(rule)
    session.commit()
    session.refresh(rule)
    return _public(rule)


def _problem(error: ValueError) -> str:
    errors = getattr(error, "errors", None)
    if callable(errors):
        return "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in errors())
    return str(error)


@router.delete("/api/rules/{rule_id}")
def remove_rule(rule_id: int, _: AuthDep, session: SessionDep) -> RulePublic:
    rule = _rule(session, rule_id)
    gone = _public(rule)
    session.delete(rule)
    session.commit()
    return gone


@router.post("/api/rules/{rule_id}/delete")
def delete_rule(rule_id: int, auth: AuthDep, session: SessionDep) -> RulePublic:
    """The same as DELETE, for clients that only POST."""
    return remove_rule(rule_id, auth, session)
