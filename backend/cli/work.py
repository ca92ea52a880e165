"""Deputy's work from the terminal: run a task, answer approvals, edit rules, see costs."""

from contextlib import ExitStack
from typing import Annotated

import typer
from rich.table import Table

from backend.api_client import LocalClient
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
    server_client,
)
from backend.cli.server import start_background_server
from backend.clock import SystemClock


@app.command()
def approvals(
    verb: Annotated[str | None, typer.Argument(help="approve or reject; omit to list pending approvals")] = None,
    approval_id: Annotated[str | None, typer.Argument(help="The approval's id, as listed")] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Why you reject it (told to the agent).")] = None,
    port: PortOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """List pending approvals, or approve / reject one."""
    client = server_client(load_settings(port, data_dir))
    if verb is None:
        pending = call(client, "GET", "/api/approvals?status=pending")
        assert isinstance(pending, list)
        if not pending:
            console.print("No approvals are waiting.")
            return
        table = Table("id", "risk", "action", "target", "why", "expires")
        for item in pending:
            table.add_row(
                item["id"],
                item["risk"],
                item["action"],
                item["target"] or "",
                item["policy_reason"],
                item["expires_at"],
            )
        console.print(table)
        return
    if verb not in ("approve", "reject") or not approval_id:
        fail("Use `deputy approvals`, `deputy approvals approve ID` or `deputy approvals reject ID [--reason TEXT]`.")
    body = {"reason": reason} if verb == "reject" else {}
    answer = call(client, "POST", f"/api/approvals/{approval_id}/{verb}", body)
    assert isinstance(answer, dict)
    console.print(f"{answer['id']}: {answer['status']} ({answer['action']} {answer['target'] or ''})")


@app.command()
def rules(
    verb: Annotated[str | None, typer.Argument(help="add or delete; omit to list")] = None,
    kind: Annotated[
        str | None, typer.Argument(help="for add: the rule kind, e.g. site_block; for delete: the id")
    ] = None,
    value: Annotated[str | None, typer.Argument(help='for add: the value as JSON, e.g. \'{"host": "x.com"}\'')] = None,
    port: PortOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """List, add or delete your rules (site allow/block lists, never send, grants, quiet hours, budgets)."""
    import json

    client = server_client(load_settings(port, data_dir))
    if verb is None:
        table = Table("id", "kind", "value")
        listed = call(client, "GET", "/api/rules")
        assert isinstance(listed, list)
        for rule in listed:
            table.add_row(str(rule["id"]), rule["kind"], json.dumps(rule["value"]))
        console.print(table)
    elif verb == "add" and kind:
        try:
            parsed = json.loads(value) if value else {}
        except ValueError:
            fail(f'The value must be JSON, e.g. \'{{"host": "example.com"}}\'; got {value!r}.')
        made = call(client, "POST", "/api/rules", {"kind": kind, "value": parsed})
        assert isinstance(made, dict)
        console.print(f"Added rule {made['id']}: {made['kind']} {json.dumps(made['value'])}")
    elif verb == "delete" and kind and kind.isdigit():
        call(client, "POST", f"/api/rules/{kind}/delete")
        console.print(f"Deleted rule {kind}.")
    else:
        fail("Use `deputy rules`, `deputy rules add KIND '{JSON}'` or `deputy rules delete ID`.")


@app.command("run")
def run_task(
    instruction: Annotated[str, typer.Argument(help="What Deputy should do, in your words.")],
    url: Annotated[str | None, typer.Option("--url", help="The page to start on.")] = None,
    budget: Annotated[float | None, typer.Option("--budget", help="The most this task may spend, in dollars.")] = None,
    port: PortOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Run a task in the terminal: live steps and costs, approvals answered inline (y/n/e)."""
    from backend.terminal import run_in_terminal

    settings = load_settings(port, data_dir)
    client = LocalClient(settings)
    body = {"instruction": instruction, "url": url, "budget_usd": budget}
    with ExitStack() as stack:
        if client.health() is None:
            start_background_server(settings, stack)
        task = call(client, "POST", "/api/tasks", {k: v for k, v in body.items() if v is not None})
        assert isinstance(task, dict)
        token = settings.local_token_path.read_text().strip()
        try:
            status = run_in_terminal(console, client, token, settings.port, task)
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
    if report["top_tasks"]:
        top = Table("task", "status", "spend", "instruction")
        for task in report["top_tasks"]:
            top.add_row(task["id"], task["status"], f"${task['spend_usd']:.4f}", task["instruction"][:60])
        console.print(top)
