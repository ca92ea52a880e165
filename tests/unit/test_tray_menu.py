"""The tray's menu and icon as data, for each state the tray can be in (no display needed)."""

import os

import pytest

from tray.icons import draw
from tray.menu import Do, Entry, build_menu
from tray.state import Look, Pending, TrayState, look_of, summary_of, tooltip


def by_action(entries: list[Entry]) -> dict[Do, Entry]:
    return {entry.do: entry for entry in entries if entry.do is not None}


def test_idle_menu_offers_everything_and_pause_is_unchecked() -> None:
    state = TrayState(connected=True, spend_usd=0.1234, budget_usd=5.0, port=8740)
    entries = build_menu(state)
    items = by_action(entries)
    assert entries[0].label == "Idle" and not entries[0].enabled
    assert items[Do.PAUSE].checked is False
    assert items[Do.APPROVALS].label == "Pending approvals (0)"
    assert items[Do.COSTS].label == "Today $0.12 of $5.00"
    assert items[Do.SHOW_BROWSER].enabled
    assert [e.do for e in entries if e.do] == [
        Do.PAUSE,
        Do.APPROVALS,
        Do.COSTS,
        Do.PAIR,
        Do.SHOW_BROWSER,
        Do.DATA_FOLDER,
        Do.QUIT,
    ]
    assert look_of(state) is Look.IDLE


def test_waiting_shows_the_count_and_the_approvals_item_is_the_default() -> None:
    pending = (Pending("ap_1", "Archive 'Invoice #4711' from Billing", "t_1"), Pending("ap_2", "Send it", "t_1"))
    state = TrayState(connected=True, pending=pending, running=1)
    items = by_action(build_menu(state))
    assert items[Do.APPROVALS].label == "Pending approvals (2)"
    assert items[Do.APPROVALS].default
    assert not items[Do.SHOW_BROWSER].enabled  # a task holds the agent's browser
    assert look_of(state) is Look.WAITING
    assert "2 waiting for you" in tooltip(state)


def test_paused_is_checked_and_shown() -> None:
    state = TrayState(connected=True, paused=True)
    entries = build_menu(state)
    assert by_action(entries)[Do.PAUSE].checked is True
    assert entries[0].label.startswith("Paused")
    assert look_of(state) is Look.PAUSED
    assert "(paused)" in tooltip(state)


def test_working_counts_tasks() -> None:
    state = TrayState(connected=True, running=2, spend_usd=1.5)
    assert look_of(state) is Look.WORKING
    assert build_menu(state)[0].label == "Working on 2 tasks"
    assert "Today $1.50" in tooltip(state)
    assert "2 tasks running" in tooltip(state)


def test_server_down_greys_out_what_needs_it() -> None:
    state = TrayState(connected=False, problem="Deputy is not answering on http://127.0.0.1:8740")
    items = by_action(build_menu(state))
    assert look_of(state) is Look.ERROR
    for needs_server in (Do.PAUSE, Do.APPROVALS, Do.COSTS, Do.PAIR, Do.SHOW_BROWSER):
        assert not items[needs_server].enabled
    assert items[Do.QUIT].enabled and items[Do.DATA_FOLDER].enabled
    assert "not answering" in tooltip(state)


def test_browser_down_is_an_error_with_its_reason() -> None:
    state = TrayState(connected=True, problem="No Chromium is installed, so tasks cannot run.")
    assert look_of(state) is Look.ERROR
    assert build_menu(state)[0].label.startswith("No Chromium")


def test_toggles_from_the_server_state_become_check_items() -> None:
    state = TrayState(connected=True, toggles={"dreaming": True, "mail_triage": False})
    toggles = [e for e in build_menu(state) if e.do is Do.TOGGLE]
    assert [(e.label, e.arg, e.checked) for e in toggles] == [
        ("Dreaming", "dreaming", True),
        ("Mail triage", "mail_triage", False),
    ]


def test_summaries_prefer_the_servers_sentence_and_never_show_refs() -> None:
    assert summary_of({"summary": "Archive 'Invoice' from Billing", "target": "x"}) == "Archive 'Invoice' from Billing"
    plain = summary_of(
        {"kind": "action", "action": "click", "params": {"ref": "e105"}, "target": "the 'Archive' button"}
    )
    assert plain == "Click the 'Archive' button" and "e105" not in plain
    assert summary_of({"kind": "question", "params": {"question": "Which flight?"}}) == "Which flight?"
    assert summary_of({"kind": "navigation", "params": {"url": "https://other.example/p"}}).startswith("Open https://")


@pytest.mark.parametrize("look", list(Look))
def test_every_look_has_an_icon(look: Look) -> None:
    image = draw(look, 3)
    assert image.size == (64, 64)
    assert image.getpixel((32, 8))[3] == 255  # drawn, not transparent


def test_the_menu_converts_to_pystray_items_that_run_their_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(os.environ, "PYSTRAY_BACKEND", "dummy")
    from tray.app import as_pystray

    chosen: list[Entry] = []
    state = TrayState(connected=True, paused=True, pending=(Pending("ap_1", "Send it", "t_1"),))
    menu = as_pystray(build_menu(state), chosen.append)
    items = [item for item in menu.items if item.text]
    pause = next(item for item in items if item.text == "Pause")
    assert pause.checked is True
    pending = next(item for item in items if item.text.startswith("Pending approvals"))
    pending(None)
    assert chosen and chosen[0].do is Do.APPROVALS
    headline = items[0]
    assert not headline.enabled


def test_the_recipes_submenu_runs_only_recipes_without_variables() -> None:
    from tray.state import RecipeItem

    state = TrayState(
        connected=True,
        recipes=(RecipeItem("tide-table", "Read the tide table"), RecipeItem("pin", "Pin {{name}}", ("name",))),
    )
    recipes = next(e for e in build_menu(state) if e.label == "Recipes")
    run, needs = recipes.submenu
    assert run.do is Do.RUN_RECIPE and run.arg == "tide-table" and run.enabled
    assert needs.do is None and not needs.enabled and "deputy recipes run pin --var name=..." in needs.label
    empty = next(e for e in build_menu(TrayState(connected=True)) if e.label == "Recipes")
    assert [e.label for e in empty.submenu] == ["No recipes yet: a task the model finishes becomes one"]
    assert not next(e for e in build_menu(TrayState()) if e.label == "Recipes").enabled
