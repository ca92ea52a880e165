"""Deputy's work from the terminal: run a task, answer approvals, edit rules, see costs."""

from contextlib import ExitStack
from typing import TYPE_CHECKING, Annotated, Any

import typer

from backend.cli.app import (
    DataDirOption,
    PortOption,
    app,
    call,
    console,
    database,
    err,
    fail,
    load_settings,
    local_client,
    server_client,
)
from backend.cli.phrasing import approval_sentence, id_matches, relative, short_id
from backend.cli.rule_forms import BY_KIND, describe, kinds_help, parse

if TYPE_CHECKING:
    from backend.config import Settings

APPROVALS_USAGE = (
    "Use `deputy approvals`, `deputy approvals approve ID` or `deputy approvals reject ID [--reason TEXT]`."
)


def resolve_approval(client: Any, typed: str) -> dict[str, Any]:
    """The approval `typed` names: a full id, the short id shown, or any prefix that is unique."""
    for query in ("?status=pending", ""):
        found = [a for a in call(client, "GET", f"/api/approvals{query}") if id_matches(a["id"], typed)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            shown = ", ".join(short_id(a["id"]) for a in found[:5])
            fail(f"{typed!r} matches {len(found)} approvals ({shown}); type more of the id.")
    fail(f"No approval has the id {typed!r}. `deputy approvals` lists the pending ones.")


@app.command()
def approvals(
    verb: Annotated[str | None, typer.Argument(help="approve or reject; omit to list pending approvals")] = None,
    approval_id: Annotated[str | None, typer.Argument(help="The id as listed; a unique prefix works")] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Why you reject it (told to the agent).")] = None,
    port: PortOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """List pending approvals, or approve / reject one by its short id."""
    client = server_client(load_settings(port, data_dir))
    if verb is None:
        pending = call(client, "GET", "/api/approvals?status=pending")
        if not pending:
            console.print("No approvals are waiting.")
            return
        # One block per approval, never cut: the id and the sentence are what a person needs whole.
        for item in pending:
            console.print(f"[bold]{short_id(item['id'])}[/]  {approval_sentence(item)}")
            for line in item.get("objects") or []:
                console.print(f"        - {line}")
            task = item.get("task_instruction")
            details = [item["risk"], f"expires {relative(item['expires_at'])}", f"task: {task}" if task else ""]
            console.print("        " + " · ".join(d for d in details if d), style="dim")
        console.print("Answer with `deputy approvals approve ID` or `deputy approvals reject ID --reason TEXT`.")
        return
    if verb not in ("approve", "reject") or not approval_id:
        fail(APPROVALS_USAGE)
    approval = resolve_approval(client, approval_id)
    body = {"reason": reason} if verb == "reject" else {}
    answer = call(client, "POST", f"/api/approvals/{approval['id']}/{verb}", body)
    done = "Approved" if verb == "approve" else "Rejected"
    console.print(f"{done} ({short_id(answer['id'])}): {approval_sentence(answer)}")


RULES_USAGE = (
    'Use `deputy rules`, `deputy rules add KIND VALUE` (e.g. `budget_day 5`), `deputy rules add "archive '
    'newsletters from shopmart.example"`, `deputy rules edit ID --action star`, or `deputy rules rm ID`.'
)


@app.command(epilog="Kinds:\n\n" + kinds_help().replace("\n", "\n\n"))
def rules(
    verb: Annotated[str | None, typer.Argument(help="add, edit or rm (delete); omit to list")] = None,
    kind: Annotated[
        str | None, typer.Argument(help="for add: a rule kind (below) or a mail rule in your words; else the id")
    ] = None,
    value: Annotated[
        list[str] | None, typer.Argument(help="for add: the value as you would say it, e.g. 5 or mail.example.com")
    ] = None,
    action: Annotated[str | None, typer.Option(help="edit: archive, mark_read, star or label")] = None,
    label: Annotated[str | None, typer.Option(help="edit: the label a label rule adds")] = None,
    sender: Annotated[str | None, typer.Option("--from", help="edit: match this sender as the list shows it")] = None,
    domain: Annotated[str | None, typer.Option(help="edit: match mail from this domain")] = None,
    subject: Annotated[str | None, typer.Option(help="edit: match subjects with all these words")] = None,
    revive: Annotated[bool, typer.Option("--revive", help="edit: bring back a retired rule")] = False,
    port: PortOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """List, add, edit or delete your rules: mail rules (in your words), sites, never send, grants, budgets."""
    client = server_client(load_settings(port, data_dir))
    if verb is None:
        listed = call(client, "GET", "/api/rules")
        if not listed:
            console.print("No rules yet. Kinds you can add:\n" + kinds_help())
            return
        for rule in listed:
            retired = (
                "  [dim](retired: you undid it twice; `--revive` brings it back)[/]"
                if rule["value"].get("retired")
                else ""
            )
            console.print(f"{rule['id']:>4}  {describe(rule['kind'], rule['value'])}  ({rule['kind']}){retired}")
    elif verb == "add" and kind and kind not in BY_KIND:
        said = " ".join([kind, *(value or [])])
        card = call(client, "POST", "/api/rules/plain", {"text": said})
        console.print(f"[bold]{short_id(card['id'])}[/]  {card['summary']}")
        for line in card.get("objects") or []:
            console.print(f"        - {line}")
        console.print(f"Nothing is saved yet: `deputy approvals approve {short_id(card['id'])}` saves it.")
    elif verb == "add" and kind:
        try:
            parsed = parse(kind, value or [])
        except ValueError as problem:
            fail(str(problem))
        made = call(client, "POST", "/api/rules", {"kind": kind, "value": parsed})
        console.print(f"Added rule {made['id']}: {describe(made['kind'], made['value'])}.")
    elif verb == "edit" and kind and kind.isdigit():
        current = call(client, "GET", f"/api/rules/{kind}")
        change: dict[str, Any] = {k: v for k, v in {"action": action, "label": label}.items() if v is not None}
        matched = {k: v for k, v in {"sender": sender, "domain": domain}.items() if v is not None}
        if subject is not None:
            matched["subject_words"] = subject.split()
        if matched:
            change["match"] = {**(current["value"].get("match") or {}), **matched}
        if revive:
            change["retired"] = False
        if not change:
            fail("Say what to change: --action, --label, --from, --domain, --subject or --revive.")
        edited = call(client, "PATCH", f"/api/rules/{kind}", change)
        console.print(f"Rule {edited['id']} is now: {describe(edited['kind'], edited['value'])}.")
    elif verb in ("rm", "delete") and kind and kind.isdigit():
        call(client, "DELETE", f"/api/rules/{kind}")
        console.print(f"Deleted rule {kind}.")
    else:
        fail(RULES_USAGE)


@app.command("run")
def run_task(
    instruction: Annotated[str, typer.Argument(help="What Deputy should do, in your words.")],
    url: Annotated[str | None, typer.Option("--url", help="The page to start on.")] = None,
    budget: Annotated[float | None, typer.Option("--budget", help="The most this task may spend, in dollars.")] = None,
    port: PortOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Run a task in the terminal: live steps and costs, approvals answered inline."""
    body = {"instruction": instruction, "url": url, "budget_usd": budget}
    follow(load_settings(port, data_dir), "/api/tasks", {k: v for k, v in body.items() if v is not None})


def follow(settings: "Settings", path: str, body: dict[str, Any]) -> None:
    """Start a task with POST `path` (starting a server if none runs) and follow it in the terminal: live steps
    and costs, approvals answered inline, Ctrl-C cancels it; exits non-zero unless it finished."""
    from backend.cli.server import start_background_server
    from backend.terminal import run_in_terminal

    client = local_client(settings)
    with ExitStack() as stack:
        if client.health() is None:
            start_background_server(settings, stack)
        task = call(client, "POST", path, body)
        try:
            status = run_in_terminal(console, client, task)
        except KeyboardInterrupt:
            client.request("POST", f"/api/tasks/{task['id']}/cancel")
            err.print("Cancelled.")
            raise typer.Exit(130) from None
        except ConnectionError as error:
            fail(f"Lost the connection to Deputy: {error}")
    if status != "finished":
        raise typer.Exit(1)


@app.command()
def costs(
    period: Annotated[str, typer.Option("--period", help="day, week or month")] = "day",
    port: PortOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Spend, tokens, outcomes and cost per outcome, and waste."""
    from rich.table import Table

    from backend.clock import SystemClock
    from backend.ledger.report import PERIOD_DAYS, usage_report

    if period not in PERIOD_DAYS:
        fail(f"--period must be day, week or month, not {period!r}.")
    settings = load_settings(port, data_dir)
    with database(settings) as session:
        report = usage_report(session, period, SystemClock().now())  # type: ignore[arg-type]
    tokens = report["tokens"]
    console.print(f"[bold]Spend this {period}[/]: ${report['spend_usd']:.4f} in {report['calls']} model calls")
    if report["price_unknown_calls"]:
        console.print(
            f"[yellow]{report['price_unknown_calls']} calls used a model whose price is unknown (not counted).[/]"
        )
    console.print(
        f"Tokens: input {tokens['input']}, output {tokens['output']}, cache read {tokens['cache_read']}, "
        f"cache write {tokens['cache_write']}"
    )
    budget = report["budget"]
    if budget["day_usd"] is not None:
        console.print(f"Daily budget: ${budget['day_usd']:.2f}, ${budget['day_left_usd']:.4f} left today")
    table = Table("outcome", "count", "cost per outcome")
    for name, count in report["outcomes"].items():
        per = report["cost_per_outcome"][name]
        table.add_row(name.replace("_", " "), str(count), f"${per:.4f}" if per is not None else "-")
    console.print(table)
    waste = report["waste"]
    console.print(
        f"Waste: ${waste['usd']:.4f} ({waste['tokens']} tokens) on {len(waste['tasks'])} tasks that got nothing done; "
        f"{waste['loops']} loops stopped"
    )
    recipes = report["recipes"]
    if recipes["runs"]:
        console.print(
            f"Recipes: {recipes['runs']} replays for ${recipes['spend_usd']:.4f} "
            f"({recipes['model_calls']} model calls); the model runs they replace cost "
            f"${recipes['last_model_run_usd']:.4f}, so ${recipes['saved_usd']:.4f} saved"
        )
    if report["top_tasks"]:
        top = Table("task", "status", "spend", "instruction")
        for task in report["top_tasks"]:
            top.add_row(short_id(task["id"]), task["status"], f"${task['spend_usd']:.4f}", task["instruction"][:60])
        console.print(top)
