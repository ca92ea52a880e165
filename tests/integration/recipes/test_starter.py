"""The starter recipe a newcomer runs with no model key: Demo Deploy's status check, from the CLI and the
API, end to end at zero tokens; and what the recipes API and CLI say about bad input."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, select

from backend.clock import ManualClock
from backend.db import create_schema, make_engine
from backend.models import Recipe
from backend.recipes.library import Library
from tests import web
from tests.cli import Result, deputy_cli
from tests.integration.recipes.conftest import wait_ended
from tests.live import Deputy, start_deputy

pytestmark = pytest.mark.browser
VALUES = {"booking_code": "DQ7K2M", "last_name": "Rivera"}


@pytest.fixture
def keyless(tmp_path: Path) -> Iterator[Deputy]:
    with start_deputy(tmp_path / "data", anthropic_api_key="") as server:
        yield server


def cli(deputy: Deputy, args: list[str]) -> Result:
    common = ["--port", str(deputy.port), "--data-dir", str(deputy.settings.data_dir)]
    return deputy_cli(*args, *common, env={"COLUMNS": "160"})


def test_the_starter_status_check_runs_without_a_model_key(keyless: Deputy, deploy_server) -> None:
    web.post(f"{deploy_server.url}/_test/reset").raise_for_status()
    listed = cli(keyless, ["recipes"])
    assert listed.returncode == 0, listed.stderr
    assert "deploy-status" in listed.stdout and "Check the status of checkout-api" in listed.stdout

    ran = cli(keyless, ["recipes", "run", "deploy-status", "--url", deploy_server.url + "/"])
    output = ran.stdout + ran.stderr
    assert ran.returncode == 0, output
    assert "finished" in output and "Production" in output and "Traceback" not in output

    token = keyless.local_token
    started = keyless.post("/api/recipes/deploy-status/run", {"url": deploy_server.url + "/"}, token=token)
    assert started.status_code == 201, started.text
    ended = wait_ended(keyless, started.json()["id"])
    assert ended["status"] == "finished" and ended["model_calls"] == 0
    assert "2.13.2" in ended["claim"]  # checkout-api's production version, read from the page


def test_bad_recipe_requests_get_reasons(keyless: Deputy) -> None:
    token = keyless.local_token
    missing = keyless.get("/api/recipes/no-such-recipe", token=token)
    assert missing.status_code == 404 and "no-such-recipe" in missing.json()["detail"]
    unknown = keyless.post("/api/recipes/deploy-status/run", {"variables": {"colour": "red"}}, token=token)
    assert unknown.status_code == 422 and "colour" in unknown.json()["detail"]
    bad_url = keyless.post("/api/recipes/deploy-status/run", {"url": "ftp://x"}, token=token)
    assert bad_url.status_code == 422 and "Invalid" in bad_url.json()["detail"]
    assert web.delete(f"{keyless.url}/api/recipes/deploy-status").status_code == 401

    shown = cli(keyless, ["recipes", "show", "nothing-here"])
    assert shown.returncode != 0 and "not found" in shown.stdout + shown.stderr
    assert "Traceback" not in shown.stdout + shown.stderr
    bad_var = cli(keyless, ["recipes", "run", "deploy-status", "--var", "oops"])
    assert bad_var.returncode != 0 and "NAME=VALUE" in bad_var.stdout + bad_var.stderr

    removed = cli(keyless, ["recipes", "rm", "deploy-status"])
    assert removed.returncode == 0 and "Deleted recipe deploy-status" in removed.stdout
    assert [r["name"] for r in keyless.get("/api/recipes", token=token).json()] == ["demo-air-checkin"]


def test_a_starter_stored_by_an_older_deputy_is_said_as_the_shipped_one(scratch_url: str) -> None:
    engine = make_engine(scratch_url)
    try:
        create_schema(engine)
        library = Library(engine, ManualClock())
        library.load_starters()
        with Session(engine) as session:
            stored = session.exec(select(Recipe).where(Recipe.name == "demo-air-checkin")).one()
            stored.instruction = "Check in booking {{booking_code}} on Demo Air for {{last_name}}"
            session.add(stored)
            session.commit()
        assert library.load_starters() == []
        recipe, versions = library.get("demo-air-checkin")
        assert recipe.instruction == "Check in booking {{booking_code}} for {{last_name}}"
        assert [v.version for v in versions] == [1]
        assert library.for_template("http://127.0.0.1:8752/", recipe.instruction, VALUES) is not None
        assert library.for_template("http://127.0.0.1:8753/", recipe.instruction, VALUES) is None
    finally:
        engine.dispose()
