"""The policy: allow, ask or deny, with a reason, for every proposed action.

It reads only code and stored data (the user's rules, the task's grants, counts), never the prompt, so
nothing the model reads, says or forgets can change it.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime, time
from enum import StrEnum
from typing import Any

from backend.actions.registry import Risk
from backend.actions.risk import Assessment
from backend.models import RuleKind, UserRule
from backend.policy.provenance import addresses

MAX_ITEMS_PER_ACTION = 20
MAX_DESTRUCTIVE_PER_TASK = 50
PERMANENT = re.compile(
    r"\b((delete|remove) (forever|permanently)|permanently (delete|remove)|empty (trash|bin|spam|junk))\b", re.I
)
SENDING = re.compile(r"^\W*(send|forward|reply)\b", re.I)


class Verdict(StrEnum):
    ALLOW = "allow"
    ASK = "ask"
    DENY = "deny"


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    reason: str


@dataclass(frozen=True)
class Proposal:
    action: str
    params: dict[str, Any]
    assessment: Assessment
    site: str  # host[:port] the action acts on: the page's, or for navigate the destination's
    kind: str  # what a grant names: the target's name for clicks ("archive"), else the action's name
    current_site: str = ""  # host[:port] of the page the tab is on now
    target_name: str = ""
    items: int = 1  # how many things a destructive action touches (selected rows)
    origin: str = "model"  # model | recipe | rule | user
    egress: str = "free"  # for a navigation: free (in the task's scope), ask (leaves it), deny (carries data out)
    egress_reason: str = ""
    recipe_step: str = ""  # "RECIPE_ID#N" for step N of a replayed recipe


@dataclass
class PolicyContext:
    now: datetime
    paused: bool
    rules: list[UserRule]
    grants: list[dict[str, Any]]
    destructive_done: int
    trusted_text: str  # the instruction, the task's URL and every value the user typed or approved
    unattended: bool = False  # a scheduled run while the user may be away: it prepares, it does not write
    # Steps of recipes the user let run without asking: {"step": "RECIPE_ID#N", "action", "kind", "site"}.
    step_grants: list[dict[str, Any]] = field(default_factory=list)

    def rules_of(self, kind: RuleKind) -> list[dict[str, Any]]:
        return [r.value for r in self.rules if r.kind == kind]


def grant_kind(action: str, target_name: str) -> str:
    """The kind a grant covers: "archive" for a click on Archive, the action's name otherwise."""
    words = re.findall(r"[a-z]+", target_name.lower())
    return " ".join(words[:3]) if action == "click" and words else action


def decide(proposal: Proposal, ctx: PolicyContext) -> Decision:
    for check in (_paused, _blocked_sites, _scope, _permanent, _counts, _provenance, _never_send, _quiet_hours):
        decision = check(proposal, ctx)
        if decision is not None:
            return decision
    return _by_risk(proposal, ctx)


def _paused(p: Proposal, ctx: PolicyContext) -> Decision | None:
    if ctx.paused:
        return Decision(Verdict.DENY, "Deputy is paused: nothing runs until the user resumes it.")
    return None


def _host_matches(site: str, host: str) -> bool:
    """A rule for example.com covers mail.example.com; a rule with a port covers only that port."""
    candidate = site if ":" in host else site.split(":")[0]
    return candidate == host or candidate.endswith("." + host)


def _blocked_sites(p: Proposal, ctx: PolicyContext) -> Decision | None:
    if p.site and any(_host_matches(p.site, r["host"]) for r in ctx.rules_of(RuleKind.SITE_BLOCK)):
        return Decision(Verdict.DENY, f"The user blocked Deputy from acting on {p.site}.")
    return None


def _scope(p: Proposal, ctx: PolicyContext) -> Decision | None:
    """Leaving the task's sites asks; leaving them with data Deputy typed or read is refused."""
    if p.egress == "deny":
        return Decision(Verdict.DENY, p.egress_reason)
    if p.egress == "ask":
        return Decision(Verdict.ASK, f"Needs your approval: {p.egress_reason}")
    return None


def _permanent(p: Proposal, ctx: PolicyContext) -> Decision | None:
    if p.action == "click" and PERMANENT.search(p.target_name):
        return Decision(Verdict.DENY, f"Permanent deletion ({p.target_name!r}) is never done by Deputy; use Trash.")
    return None


def _counts(p: Proposal, ctx: PolicyContext) -> Decision | None:
    # A change of one item counts too: fifty single archives are as many changes as one of fifty.
    if p.assessment.risk.rank < Risk.WRITE.rank:
        return None
    if p.items > MAX_ITEMS_PER_ACTION:
        return Decision(
            Verdict.DENY, f"This would touch {p.items} items at once; Deputy does at most {MAX_ITEMS_PER_ACTION}."
        )
    if ctx.destructive_done + p.items > MAX_DESTRUCTIVE_PER_TASK:
        return Decision(
            Verdict.DENY,
            f"This task has already changed {ctx.destructive_done} items; Deputy stops at {MAX_DESTRUCTIVE_PER_TASK}.",
        )
    return None


def _provenance(p: Proposal, ctx: PolicyContext) -> Decision | None:
    """Recipients and addresses must come from the user, not from text a page showed the agent."""
    if p.action == "type_text":
        # Compared by meaning: attacker@[127.0.0.1] or "Attacker"@EVIL.example is no address the user gave.
        strangers = sorted(addresses(str(p.params.get("text", ""))) - addresses(ctx.trusted_text))
        if strangers:
            return Decision(
                Verdict.DENY,
                f"{strangers[0]} did not come from the user (only from page text); Deputy will not send to it.",
            )
    return None


def _never_send(p: Proposal, ctx: PolicyContext) -> Decision | None:
    if ctx.rules_of(RuleKind.NEVER_SEND) and p.action == "click" and SENDING.match(p.target_name):
        return Decision(Verdict.DENY, "The user's rule says: never send mail.")
    return None


def _in_window(now: time, start: time, end: time) -> bool:
    return start <= now < end if start <= end else now >= start or now < end


def _quiet_hours(p: Proposal, ctx: PolicyContext) -> Decision | None:
    if p.assessment.risk is Risk.READ:
        return None
    local = ctx.now.astimezone().time()
    for rule in ctx.rules_of(RuleKind.QUIET_HOURS):
        if _in_window(local, time.fromisoformat(rule["start"]), time.fromisoformat(rule["end"])):
            return Decision(Verdict.DENY, f"Quiet hours ({rule['start']} to {rule['end']}): Deputy only reads now.")
    return None


def _granted_step(p: Proposal, ctx: PolicyContext) -> Decision | None:
    """A replayed recipe step the user granted runs without asking: the same action on the same kind of
    target, on the recipe's own site (the site scope was checked before this). Never a payment, and never in a
    run nobody watches."""
    if p.origin != "recipe" or not p.recipe_step or ctx.unattended or p.assessment.payment:
        return None
    if any(_host_matches(p.site, r["host"]) for r in ctx.rules_of(RuleKind.ALWAYS_ASK)):
        return None
    for grant in ctx.step_grants:
        same = (grant.get("step"), grant.get("action"), grant.get("kind")) == (p.recipe_step, p.action, p.kind)
        if same and grant.get("site") == p.site:
            step = p.recipe_step.rsplit("#", 1)[-1]
            return Decision(Verdict.ALLOW, f"Allowed: you granted step {step} of this recipe ({p.assessment.reason}).")
    return None


def _by_risk(p: Proposal, ctx: PolicyContext) -> Decision:
    risk, why = p.assessment.risk, p.assessment.reason
    if risk in (Risk.READ, Risk.LOCAL):
        return Decision(Verdict.ALLOW, f"Allowed: {why}.")
    granted_step = _granted_step(p, ctx)
    if granted_step is not None:
        return granted_step
    if risk is Risk.IRREVERSIBLE:
        return Decision(Verdict.ASK, f"Needs your approval: {why}.")
    if any(_host_matches(p.site, r["host"]) for r in ctx.rules_of(RuleKind.ALWAYS_ASK)):
        return Decision(Verdict.ASK, f"Needs your approval: {why}, and you asked to approve everything on {p.site}.")
    granted = ctx.grants + ctx.rules_of(RuleKind.GRANT)
    if ctx.unattended:
        # A grant given while watching does not cover runs nobody watches, unless it says so.
        granted = [g for g in granted if g.get("unattended") is True]
    # A grant of kind "*" covers every write of that action on the task's sites (a check-in's form steps);
    # irreversible ones asked above, and leaving the sites asks in _scope.
    if any(g.get("action") == p.action and g.get("kind") in (p.kind, "*") for g in granted):
        return Decision(Verdict.ALLOW, f"Allowed: you allowed {p.kind!r} for this task ({why}).")
    if ctx.unattended:
        return Decision(Verdict.ASK, f"Queued for your approval: {why}, and nobody is watching this scheduled run.")
    return Decision(Verdict.ASK, f"Needs your approval: {why}.")
