"""What the policy reads for one task: the stored rules, the task's grants and counts, its site scope and the
text the user wrote. Loaded fresh for every decision, so a rule changed a second ago applies now."""

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session, select

from backend.clock import Clock
from backend.models import AppState, RecipeGrant, RuleKind, Task, UserRule
from backend.policy.engine import PolicyContext
from backend.policy.provenance import canonical_host, site_of


@dataclass(frozen=True)
class TaskFacts:
    policy: PolicyContext
    scope: list[str]  # canonical sites the task may act on
    trusted: list[str]  # what the user wrote or approved: the instruction, the start URL, approved values
    has_start: bool  # the task has a start site; without one, the first site it opens becomes it


def scope_of(task: Task, rules: list[UserRule]) -> list[str]:
    sites = [site_of(task.url or "")]
    sites += [canonical_host(s) for s in task.sites]
    sites += [canonical_host(str(r.value.get("host", ""))) for r in rules if r.kind == RuleKind.SITE_ALLOW]
    return sorted({s for s in sites if s})


def load(engine: Engine, clock: Clock, task_id: str) -> TaskFacts:
    with Session(engine) as session:
        task = session.get(Task, task_id)
        if task is None:
            raise LookupError(f"No task {task_id!r}.")
        state = session.get(AppState, 1)
        rules = list(session.exec(select(UserRule)))
        trusted = [task.instruction, task.url or "", *task.sites, *task.trusted_values]
        policy = PolicyContext(
            now=clock.now(),
            paused=bool(state and state.paused),
            rules=rules,
            grants=list(task.grants),
            destructive_done=task.destructive_count,
            trusted_text=" ".join(trusted),
            unattended=task.unattended,
            step_grants=[
                {"step": f"{g.recipe_id}#{g.step}", "action": g.action, "kind": g.kind, "site": g.site}
                for g in session.exec(select(RecipeGrant))
            ],
        )
        return TaskFacts(policy, scope_of(task, rules), trusted, bool(task.url or task.sites))


def adopt_start_site(engine: Engine, task_id: str, url: str) -> None:
    """A task started without a URL takes the first site it opens as its own."""
    site = site_of(url)
    with Session(engine) as session:
        task = session.get(Task, task_id)
        if task is not None and site and not task.url and not task.sites:
            task.sites = [site]
            session.add(task)
            session.commit()
