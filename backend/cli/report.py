"""`deputy report`: what your Deputy (or, with --team, everyone's on this ledger) got done, and what it cost."""

from typing import Annotated, Any

import typer

from backend.cli.app import DataDirOption, app, console, database, fail, load_settings


def _money(value: float | None) -> str:
    return "-" if value is None else f"${value:.4f}"


def _row(entry: dict[str, Any]) -> list[str]:
    outcomes, per = entry["outcomes"], entry["cost_per_outcome"]
    cells = []
    for name in ("tasks_finished", "actions_done", "approvals_answered"):
        cells += [str(outcomes[name]), _money(per[name])]
    unknown = f" (+{entry['price_unknown_calls']} calls of unknown price)" if entry["price_unknown_calls"] else ""
    return [*cells, _money(entry["spend_usd"]) + unknown, _money(entry["wasted_usd"])]


HEADERS = ("tasks done", "per task", "actions done", "per action", "approvals", "per approval", "spend", "wasted")


@app.command()
def report(
    team: Annotated[bool, typer.Option("--team", help="Everyone writing to this ledger, per person and team.")] = False,
    period: Annotated[str, typer.Option("--period", help="day, week or month")] = "week",
    data_dir: DataDirOption = None,
) -> None:
    """Outcomes and cost per outcome, outcomes first: per person and per team with --team."""
    from rich.table import Table

    from backend.clock import SystemClock
    from backend.ledger.report import PERIOD_DAYS
    from backend.ledger.team import team_report

    if period not in PERIOD_DAYS:
        fail(f"--period must be day, week or month, not {period!r}.")
    settings = load_settings(data_dir=data_dir)
    with database(settings) as session:
        found = team_report(
            session,
            period,  # type: ignore[arg-type]
            SystemClock().now(),
            only_user=None if team else settings.user_id,
        )
    if not found["people"]:
        who = "anyone on this ledger" if team else settings.user_id
        console.print(f"Nothing recorded for {who} this {period}.")
        return
    people = Table("person", "team", *HEADERS, title=f"This {period}, per person (most done first)")
    for entry in found["people"]:
        people.add_row(entry["user_id"] or "(before user ids)", entry["team"] or "-", *_row(entry))
    console.print(people)
    if team:
        teams = Table("team", "people", *HEADERS, title=f"This {period}, per team")
        for entry in found["teams"]:
            teams.add_row(entry["team"] or "(no team)", str(entry["people"]), *_row(entry))
        teams.add_row("all", str(len(found["people"])), *_row(found["total"]))
        console.print(teams)
