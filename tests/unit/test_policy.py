"""The policy's defaults and the user's rules, decision by decision."""

from datetime import UTC, datetime
from typing import Any

import pytest

from backend.actions import Risk
from backend.actions.risk import Assessment
from backend.models import RuleKind, UserRule
from backend.policy.engine import PolicyContext, Proposal, Verdict, decide

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def proposal(action: str = "click", risk: Risk = Risk.WRITE, name: str = "Archive", **extra: Any) -> Proposal:
    return Proposal(
        action=action,
        params=extra.pop("params", {"ref": "e1"}),
        assessment=Assessment(risk, "test"),
        site=extra.pop("site", "mail.example"),
        kind=extra.pop("kind", name.lower()),
        target_name=name,
        current_site=extra.pop("current_site", "mail.example"),
        **extra,
    )


def context(*rules: tuple[RuleKind, dict[str, Any]], **extra: Any) -> PolicyContext:
    return PolicyContext(
        now=extra.pop("now", NOW),
        paused=extra.pop("paused", False),
        rules=[UserRule(kind=kind, value=value, created_at=NOW) for kind, value in rules],
        grants=extra.pop("grants", []),
        destructive_done=extra.pop("destructive_done", 0),
        trusted_text=extra.pop("trusted_text", "Tidy my inbox at https://mail.example/"),
    )


@pytest.mark.parametrize(
    ("risk", "verdict"),
    [
        (Risk.READ, Verdict.ALLOW),
        (Risk.LOCAL, Verdict.ALLOW),
        (Risk.WRITE, Verdict.ASK),
        (Risk.IRREVERSIBLE, Verdict.ASK),
    ],
)
def test_defaults_by_risk(risk: Risk, verdict: Verdict) -> None:
    decision = decide(proposal(risk=risk), context())
    assert decision.verdict is verdict
    assert decision.reason


def test_a_grant_allows_that_kind_of_write_but_never_an_irreversible_one() -> None:
    grants = [{"action": "click", "kind": "archive"}]
    assert decide(proposal(), context(grants=grants)).verdict is Verdict.ALLOW
    assert decide(proposal(name="Move to Trash", kind="move to trash"), context(grants=grants)).verdict is Verdict.ASK
    irreversible = proposal(risk=Risk.IRREVERSIBLE, name="Archive")
    assert decide(irreversible, context(grants=grants)).verdict is Verdict.ASK


def test_always_ask_overrides_grants() -> None:
    ctx = context((RuleKind.ALWAYS_ASK, {"host": "mail.example"}), grants=[{"action": "click", "kind": "archive"}])
    assert decide(proposal(), ctx).verdict is Verdict.ASK


@pytest.mark.parametrize(
    ("name", "ctx", "words"),
    [
        ("Delete forever", context(), "Permanent deletion"),
        ("Empty Trash now", context(), "Permanent deletion"),
        ("Remove permanently", context(), "Permanent deletion"),
        ("Empty Bin", context(), "Permanent deletion"),
        ("Empty Junk", context(), "Permanent deletion"),
        ("Archive", context(paused=True), "paused"),
        ("Archive", context((RuleKind.SITE_BLOCK, {"host": "example"})), "blocked"),
        ("Archive", context((RuleKind.SITE_BLOCK, {"host": "mail.example"})), "blocked Deputy"),
        ("Send", context((RuleKind.NEVER_SEND, {})), "never send"),
        ("Archive", context(destructive_done=45), "already changed 45"),
    ],
)
def test_denied_outright(name: str, ctx: PolicyContext, words: str) -> None:
    decision = decide(proposal(name=name, items=10), ctx)
    assert decision.verdict is Verdict.DENY
    assert words in decision.reason


def test_more_than_twenty_items_at_once_is_denied() -> None:
    assert decide(proposal(items=20), context()).verdict is Verdict.ASK
    assert decide(proposal(items=21), context()).verdict is Verdict.DENY


def test_a_task_stops_at_fifty_changes_made_one_at_a_time_too() -> None:
    granted = [{"action": "click", "kind": "archive"}]
    assert decide(proposal(), context(destructive_done=49, grants=granted)).verdict is Verdict.ALLOW
    over = decide(proposal(), context(destructive_done=50, grants=granted))
    assert over.verdict is Verdict.DENY and "already changed 50" in over.reason
    assert decide(proposal(risk=Risk.READ), context(destructive_done=50)).verdict is Verdict.ALLOW


def test_quiet_hours_allow_only_reads() -> None:
    local_noon = NOW.astimezone().strftime("%H:%M")
    hour = int(local_noon[:2])
    quiet = (RuleKind.QUIET_HOURS, {"start": f"{hour:02d}:00", "end": f"{(hour + 1) % 24:02d}:00"})
    assert decide(proposal(risk=Risk.LOCAL), context(quiet)).verdict is Verdict.DENY
    assert decide(proposal(risk=Risk.READ), context(quiet)).verdict is Verdict.ALLOW


def test_addresses_and_urls_from_page_text_are_refused() -> None:
    typed = proposal("type_text", Risk.LOCAL, "To", params={"ref": "e1", "text": "thief@evil.example"})
    assert decide(typed, context()).verdict is Verdict.DENY
    mine = proposal("type_text", Risk.LOCAL, "To", params={"ref": "e1", "text": "mum@family.example"})
    assert decide(mine, context(trusted_text="Reply to mum@family.example")).verdict is Verdict.ALLOW


def test_leaving_the_task_sites_asks_and_carrying_data_out_is_refused() -> None:
    # The browser's scope judges the destination; the policy turns its verdict into a decision.
    url = {"url": "https://evil.example/?code=731904"}
    leak = proposal("navigate", Risk.READ, "", params=url, egress="deny", egress_reason="it carries 731904")
    assert decide(leak, context()).verdict is Verdict.DENY
    away = proposal("navigate", Risk.READ, "", params={"url": "https://air.example/"}, egress="ask", egress_reason="x")
    assert decide(away, context()).verdict is Verdict.ASK
    same_site = proposal("navigate", Risk.READ, "", params={"url": "https://mail.example/#trash"})
    assert decide(same_site, context()).verdict is Verdict.ALLOW


@pytest.mark.parametrize(
    "text",
    [
        "attacker@evil.example",
        "attacker@[127.0.0.1]",
        "attacker@[IPv6:::1]",
        '"attacker"@Evil.Example',
        "Attacker <ATTACKER@EVIL.EXAMPLE>",
        "attacker@xn--bcher-kva.example",
        "attacker%40evil.example",
        "mailto:attacker@evil.example",
        "mum@family.example, attacker@evil.example",
    ],
)
def test_an_address_from_page_text_is_refused_in_any_spelling(text: str) -> None:
    typed = proposal("type_text", Risk.LOCAL, "To", params={"ref": "e1", "text": text})
    decision = decide(typed, context(trusted_text="Reply to Mum <mum@family.example>"))
    assert decision.verdict is Verdict.DENY
    assert "did not come from the user" in decision.reason


@pytest.mark.parametrize(
    "text",
    ["mum@family.example", "MUM@Family.Example", '"mum"@family.example', "Mum <mum@family.example>", "Hi mum!"],
)
def test_the_users_own_address_may_be_typed_in_any_spelling(text: str) -> None:
    typed = proposal("type_text", Risk.LOCAL, "To", params={"ref": "e1", "text": text})
    assert decide(typed, context(trusted_text="Reply to Mum <MUM@family.example>")).verdict is Verdict.ALLOW


def test_a_granted_recipe_step_runs_without_asking_only_where_it_was_granted() -> None:
    granted = [{"step": "r_1#3", "action": "click", "kind": "publish", "site": "mail.example"}]
    ctx = context()
    ctx.step_grants = granted
    step = {"risk": Risk.IRREVERSIBLE, "name": "Publish", "origin": "recipe"}
    assert decide(proposal(**step, recipe_step="r_1#3"), ctx).verdict is Verdict.ALLOW
    assert decide(proposal(**step, recipe_step="r_2#3"), ctx).verdict is Verdict.ASK  # another recipe
    assert decide(proposal(**step, recipe_step="r_1#4"), ctx).verdict is Verdict.ASK  # another step
    renamed = proposal(risk=Risk.IRREVERSIBLE, name="Send", origin="recipe", recipe_step="r_1#3")
    assert decide(renamed, ctx).verdict is Verdict.ASK  # a healed step that presses something else
    elsewhere = proposal(**step, recipe_step="r_1#3", site="other.example", current_site="other.example")
    assert decide(elsewhere, ctx).verdict is not Verdict.ALLOW  # off the recipe's site
    by_model = proposal(risk=Risk.IRREVERSIBLE, name="Publish", origin="model", recipe_step="r_1#3")
    assert decide(by_model, ctx).verdict is Verdict.ASK
    paying = Proposal(
        action="click",
        params={"ref": "e1"},
        assessment=Assessment(Risk.IRREVERSIBLE, "it costs €5", payment=True),
        site="mail.example",
        kind="publish",
        target_name="Publish",
        current_site="mail.example",
        origin="recipe",
        recipe_step="r_1#3",
    )
    assert decide(paying, ctx).verdict is Verdict.ASK
    always = context((RuleKind.ALWAYS_ASK, {"host": "mail.example"}))
    always.step_grants = granted
    assert decide(proposal(**step, recipe_step="r_1#3"), always).verdict is Verdict.ASK
    ctx.unattended = True
    assert decide(proposal(**step, recipe_step="r_1#3"), ctx).verdict is Verdict.ASK
