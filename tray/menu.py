"""The tray's menu as data: a pure function of the state, so it is tested without a display."""

from dataclasses import dataclass
from enum import StrEnum

from tray.state import Job, RecipeItem, TrayState, money


class Do(StrEnum):
    """What a menu item does; `tray.commands.Commands.run` carries each one out."""

    PAUSE = "pause"  # toggles pause/resume
    TOGGLE = "toggle"  # a switch from /api/state; the entry's `arg` names it
    RUN_JOB = "run_job"  # runs the scheduled job named by `arg` now
    RUN_RECIPE = "run_recipe"  # replays the recipe named by `arg` now (only recipes without variables)
    WATCH = "watch"  # switches every deploy-watch job on or off
    APPROVALS = "approvals"
    COSTS = "costs"
    PAIR = "pair"
    SHOW_BROWSER = "show_browser"
    DATA_FOLDER = "data_folder"
    QUIT = "quit"


@dataclass(frozen=True)
class Entry:
    label: str
    do: Do | None = None  # None: a line of text or a separator
    arg: str = ""
    checked: bool | None = None  # None: not a check item
    enabled: bool = True
    default: bool = False  # what a click on the icon itself does
    submenu: tuple["Entry", ...] = ()

    @property
    def separator(self) -> bool:
        return self.label == "-"


SEPARATOR = Entry("-")


def headline(state: TrayState) -> str:
    if not state.connected:
        return "Deputy is not answering"
    if state.problem:
        return state.problem
    if state.pending:
        return f"Waiting for you ({len(state.pending)})"
    if state.paused:
        return "Paused: nothing runs"
    if state.running:
        return f"Working on {state.running} task{'s' if state.running != 1 else ''}"
    return "Idle"


def job_menu(job: Job, up: bool) -> Entry:
    state = "running now" if job.running else f"next {job.next_run}" if job.enabled else "off"
    return Entry(
        f"{job.title} ({state})",
        submenu=(
            Entry(f"Next run: {job.next_run}", enabled=False),
            Entry("Run now", Do.RUN_JOB, arg=job.id, enabled=up and not job.running),
        ),
        enabled=up,
    )


def schedule_entries(state: TrayState) -> list[Entry]:
    up = state.connected
    jobs = tuple(job_menu(job, up) for job in state.jobs) or (
        Entry("No scheduled jobs: add one with `deputy schedule add`", enabled=False),
    )
    watch = (
        Entry("Watch deploys", Do.WATCH, checked=state.watching, enabled=up)
        if state.watches
        else Entry("Watch deploys (add a deploy watch first)", checked=False, enabled=False)
    )
    return [Entry("Schedules", submenu=jobs, enabled=up), watch]


def recipe_entry(recipe: RecipeItem, up: bool) -> Entry:
    if recipe.variables:
        # A click cannot ask for values; the terminal can.
        needs = " ".join(f"--var {name}=..." for name in recipe.variables)
        return Entry(f"{recipe.name} (needs values: deputy recipes run {recipe.name} {needs})", enabled=False)
    return Entry(f"{recipe.name}: {recipe.instruction}", Do.RUN_RECIPE, arg=recipe.name, enabled=up)


def recipes_entry(state: TrayState) -> Entry:
    up = state.connected
    items = tuple(recipe_entry(r, up) for r in state.recipes) or (
        Entry("No recipes yet: a task the model finishes becomes one", enabled=False),
    )
    return Entry("Recipes", submenu=items, enabled=up)


def build_menu(state: TrayState) -> list[Entry]:
    up = state.connected
    entries = [
        Entry(headline(state), enabled=False),
        SEPARATOR,
        Entry("Pause", Do.PAUSE, checked=state.paused, enabled=up),
    ]
    for name, on in sorted(state.toggles.items()):
        entries.append(Entry(name.replace("_", " ").capitalize(), Do.TOGGLE, arg=name, checked=on, enabled=up))
    spend = f"Today {money(state.spend_usd)}"
    if state.budget_usd is not None:
        spend += f" of {money(state.budget_usd)}"
    entries += [
        *schedule_entries(state),
        recipes_entry(state),
        SEPARATOR,
        Entry(f"Pending approvals ({len(state.pending)})", Do.APPROVALS, enabled=up, default=True),
        Entry(spend, Do.COSTS, enabled=up),
        SEPARATOR,
        Entry("Pair browser extension…", Do.PAIR, enabled=up),
        Entry("Show agent browser", Do.SHOW_BROWSER, enabled=up and state.running == 0 and not state.pending),
        Entry("Open data folder", Do.DATA_FOLDER),
        SEPARATOR,
        Entry("Quit Deputy", Do.QUIT),
    ]
    return entries
