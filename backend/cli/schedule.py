"""`deputy schedule`: list, add, remove and run now the jobs Deputy runs on its own (prepare-only)."""

from typing import Annotated, Any

import typer

from backend.cli.app import DataDirOption, PortOption, app, call, console, fail, load_settings, server_client

USAGE = (
    "Use `deputy schedule` to list, `deputy schedule add KIND [URL] [--at HH:MM | --every SECONDS | --cron EXPR]`, "
    "`deputy schedule rm ID`, `deputy schedule run ID`, `deputy schedule on ID` or `deputy schedule off ID`."
)


def _when(job: dict[str, Any]) -> str:
    when = job.get("when") or {}
    if "cron" in when:
        return f"cron {when['cron']}"
    if "every_seconds" in when:
        return f"every {when['every_seconds']} s"
    return f"once at {when.get('at')}"


def _resolve(client: Any, typed: str) -> str:
    found = [j["id"] for j in call(client, "GET", "/api/schedules") if j["id"].startswith(typed)]
    if len(found) != 1:
        fail(f"{'No' if not found else 'More than one'} scheduled job matches {typed!r}; `deputy schedule` lists them.")
    return found[0]


@app.command()
def schedule(
    verb: Annotated[str | None, typer.Argument(help="add, rm, run, on or off; omit to list")] = None,
    target: Annotated[
        str | None, typer.Argument(help="for add: the kind (triage, deploy_watch, ...); else the id")
    ] = None,
    url: Annotated[str | None, typer.Argument(help="for add: the page the job works on")] = None,
    at: Annotated[str | None, typer.Option("--at", help="Daily at HH:MM (local time).")] = None,
    every: Annotated[int | None, typer.Option("--every", help="Every this many seconds (5 or more).")] = None,
    cron: Annotated[str | None, typer.Option("--cron", help='Five cron fields, e.g. "0 6 * * 1-5".')] = None,
    instruction: Annotated[str | None, typer.Option("--instruction", help="For a task job: what to do.")] = None,
    budget: Annotated[str | None, typer.Option("--budget", help="Most one run may spend, in dollars.")] = None,
    port: PortOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Scheduled jobs. They run unattended: they read and prepare, and what they would change waits for you."""
    client = server_client(load_settings(port, data_dir))
    if verb is None:
        jobs = call(client, "GET", "/api/schedules")
        if not jobs:
            console.print("No scheduled jobs. Add one: `deputy schedule add triage URL` (06:00 daily).")
            return
        for job in jobs:
            state = "on" if job["enabled"] else "off"
            last = job.get("last_run") or {}
            console.print(f"[bold]{job['id']}[/]  {job['title']}  ({_when(job)}, {state})")
            if job["next_run_at"]:
                console.print(f"        next: {job['next_run_at']}", style="dim")
            if last:
                console.print(f"        last: {last['status']}: {last.get('summary') or ''}", style="dim")
        return
    if verb == "add":
        if not target:
            fail(USAGE)
        body: dict[str, Any] = {"kind": target, "params": {}}
        if url:
            body["params"]["url"] = url
        if instruction:
            body["params"]["instruction"] = instruction
        if budget:
            body["params"]["budget_usd"] = budget
        if at:
            from backend.models.schedule import daily_cron

            try:
                body["cron"] = daily_cron(at)
            except ValueError as error:
                fail(str(error))
        if every is not None:
            body["every_seconds"] = every
        if cron:
            body["cron"] = cron
        job = call(client, "POST", "/api/schedules", body)
        console.print(f"Added {job['id']}: {job['title']} ({_when(job)}); next run {job['next_run_at']}.")
        return
    if verb not in ("rm", "remove", "run", "on", "off") or not target:
        fail(USAGE)
    schedule_id = _resolve(client, target)
    if verb in ("rm", "remove"):
        job = call(client, "DELETE", f"/api/schedules/{schedule_id}")
        console.print(f"Removed {job['id']}: {job['title']}.")
    elif verb == "run":
        job = call(client, "POST", f"/api/schedules/{schedule_id}/run")
        console.print(f"Started {job['title']} now; `deputy schedule` shows how it ended.")
    else:
        job = call(client, "POST", f"/api/schedules/{schedule_id}", {"enabled": verb == "on"})
        console.print(f"{job['title']} is {'on' if job['enabled'] else 'off'}.")
