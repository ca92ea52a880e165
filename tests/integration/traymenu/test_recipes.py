"""The tray's Recipes submenu against a real Deputy with no model key: the starters are listed, one without
variables runs from a click (a replay, no model call), and one that needs values says the exact command."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from backend.api_client import LocalClient
from tests.live import Deputy, start_deputy
from tray.commands import Commands
from tray.menu import Do, build_menu


@pytest.fixture
def keyless(tmp_path: Path) -> Iterator[Deputy]:
    with start_deputy(tmp_path / "data", anthropic_api_key="") as server:
        yield server


def test_the_recipes_submenu_runs_a_starter_without_variables(keyless: Deputy) -> None:
    commands = Commands(LocalClient(keyless.port, keyless.settings.local_token_path), keyless.settings.data_dir)
    state = keyless.wait(lambda: (s := commands.fetch()).recipes and s, 30, "the tray to see the recipes")
    recipes = next(e for e in build_menu(state) if e.label == "Recipes")
    assert recipes.enabled
    runnable = next(e for e in recipes.submenu if e.arg == "deploy-status")
    assert runnable.do is Do.RUN_RECIPE and runnable.enabled
    assert "Check the status of checkout-api" in runnable.label
    needs = next(e for e in recipes.submenu if e.label.startswith("demo-air-checkin"))
    assert needs.do is None and not needs.enabled
    assert "deputy recipes run demo-air-checkin --var booking_code=... --var last_name=..." in needs.label

    said = commands.run(runnable, state)
    assert "Started recipe deploy-status" in said
    tasks = keyless.get("/api/tasks", token=keyless.local_token).json()
    assert [t["instruction"] for t in tasks] == ["Check the status of checkout-api on Demo Deploy"]
    assert tasks[0]["model_calls"] == 0
