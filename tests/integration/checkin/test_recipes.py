"""A check-in the model does once becomes the airline site's recipe, with exactly the booking code and the last
name as its variables; the next check-in there replays it with zero model calls and still asks before the
declaration and the final button. On Demo Air a renamed final button heals with one call and a new version is
kept beside the old; on Skylark, which looks nothing like it, the second check-in replays just the same, and
Demo Air's recipe is never used there. One Deputy and one scripted model serve the whole module."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from backend.models import ModelCall
from backend.servers import ThreadedServer
from backend.traveller.profile import Profile
from backend.traveller.vault import Vault
from tests import web
from tests.databases import copy_database, own_database
from tests.integration.agent.conftest import MODEL, find_ref, wait_ended, wait_pending
from tests.integration.checkin.conftest import kept_passes
from tests.integration.checkin.pilot import Pilot
from tests.integration.checkin.test_demo_air import REN, YUKI
from tests.integration.checkin.test_skylark import ANA, BEN, CARLA
from tests.live import Deputy, start_deputy
from tests.model_server import ModelServer, tool_use
from tests.sites.skylark.app import create_app as create_skylark

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def model() -> Iterator[ModelServer]:
    with ModelServer([]) as server:
        yield server


@pytest.fixture(scope="module")
def deputy(
    tmp_path_factory: pytest.TempPathFactory, model: ModelServer, postgres_database: str | None
) -> Iterator[Deputy]:
    # A database of its own: the PostgreSQL pass empties its shared one after each test, and this Deputy's
    # recipes must outlive one test.
    folder = Path(tmp_path_factory.mktemp("checkin-recipes"))
    with (
        own_database(folder, postgres_database) as url,
        start_deputy(
            folder / "data",
            anthropic_api_key="test-key",
            anthropic_base_url=model.base_url,
            model=MODEL,
            database_url=url,
        ) as server,
    ):
        yield server


@pytest.fixture(scope="module")
def skylark() -> Iterator[ThreadedServer]:
    with ThreadedServer(create_skylark()) as server:
        yield server


def check_in(
    deputy: Deputy, site: ThreadedServer, code: str, last_name: str, profile: Profile, final_label: str = ""
) -> str:
    web.post(f"{site.url}/_test/reset").raise_for_status()
    if final_label:
        web.post(f"{site.url}/_test/final-label", json={"label": final_label}).raise_for_status()
    Vault(deputy.settings.data_dir).save(profile)
    body = {"url": f"{site.url}/", "booking_code": code, "last_name": last_name}
    started = deputy.post("/api/checkins", body, token=deputy.local_token)
    assert started.status_code == 201, started.text
    return str(started.json()["task_id"])


def approve(deputy: Deputy, task_id: str) -> dict[str, Any]:
    pending = wait_pending(deputy, task_id, within=90)
    answered = deputy.post(f"/api/approvals/{pending['id']}/approve", {}, token=deputy.local_token)
    assert answered.status_code == 200, answered.text
    return pending


def finish(deputy: Deputy, task_id: str, final: str) -> dict[str, Any]:
    """Approve the declaration and the final button, in that order; the ended task."""
    assert approve(deputy, task_id)["action"] == "check"
    asked = approve(deputy, task_id)
    assert asked["action"] == "click" and final in asked["target"], asked
    ended = wait_ended(deputy, task_id, within=180)
    assert ended["status"] == "finished", ended
    assert len(deputy.get(f"/api/approvals?task_id={task_id}", token=deputy.local_token).json()) == 2
    return ended


def checked_in(site: ThreadedServer, code: str) -> int:
    changes = web.get(f"{site.url}/_test/changes", params={"scope": code}).json()["changes"]
    return [c["what"] for c in changes].count("checked in")


def model_calls(deputy: Deputy) -> int:
    with Session(deputy.ctx.engine) as session:
        return int(session.exec(select(func.count()).select_from(ModelCall)).one())


def recorded(deputy: Deputy, site: ThreadedServer) -> dict[str, Any]:
    """The recipe learned on `site`: it is learned just after the task ends, so a look at once may be early."""
    host = site.url.split("://", 1)[1]

    def learned() -> list[dict[str, Any]]:
        listed = deputy.get("/api/recipes", token=deputy.local_token).json()
        return [r for r in listed if r["origin"] == "recorded" and r["site"] == host]

    [recipe] = deputy.wait(learned, 20, f"a recipe learned on {host}")
    return dict(recipe)


@pytest.fixture(scope="module")
def demo_air_recipe(deputy: Deputy, model: ModelServer, air_server: ThreadedServer) -> dict[str, Any]:
    """The recipe that Demo Air's first check-in, done by the model, leaves behind."""
    model.set_script(Pilot("FM5W6C", passengers=2, last_name="Nakamura"))
    task_id = check_in(deputy, air_server, "FM5W6C", "Nakamura", Profile(traveller=YUKI, companions=[REN]))
    assert finish(deputy, task_id, "Check in")["model_calls"] > 0
    recipe = recorded(deputy, air_server)
    assert recipe["instruction"] == "Check in booking {{booking_code}} for {{last_name}}"
    assert recipe["variables"] == ["booking_code", "last_name"]
    assert recipe["source_task_id"] == task_id
    return recipe


def test_a_second_check_in_on_demo_air_replays_and_a_renamed_button_heals_with_one_call(
    deputy: Deputy, model: ModelServer, air_server: ThreadedServer, demo_air_recipe: dict[str, Any]
) -> None:
    yuki_and_ren = Profile(traveller=YUKI, companions=[REN])
    requests, calls = len(model.message_requests), model_calls(deputy)
    again = check_in(deputy, air_server, "FM5W6C", "Nakamura", yuki_and_ren)
    ended = finish(deputy, again, "Check in")
    assert ended["model_calls"] == 0 and model_calls(deputy) == calls
    assert len(model.message_requests) == requests
    assert ended["instruction"] == "Check in booking FM5W6C for Nakamura"
    assert checked_in(air_server, "FM5W6C") == 1
    passes = kept_passes(deputy, again, 2)
    assert len(passes) == 2 and all(p.endswith(".pdf") for p in passes)

    model.set_script(
        [lambda req: tool_use("pick_target", {"ref": find_ref(req, "button", "Complete check-in"), "why": "Renamed."})]
    )
    healing = check_in(deputy, air_server, "FM5W6C", "Nakamura", yuki_and_ren, final_label="Complete check-in")
    ended = finish(deputy, healing, "Complete check-in")  # the healed step is still irreversible: it asks
    assert ended["model_calls"] == 1 and model_calls(deputy) == calls + 1
    assert [t["name"] for t in model.message_requests[-1].body["tools"]] == ["pick_target"]
    assert checked_in(air_server, "FM5W6C") == 1

    shown = deputy.get(f"/api/recipes/{demo_air_recipe['id']}", token=deputy.local_token).json()
    newest, oldest = shown["versions"]
    assert shown["version"] == newest["version"] == 2 and newest["why"].startswith("healed step")
    final = [s["target"]["name"] for s in newest["steps"] if s["risk"] == "irreversible" and s["action"] == "click"]
    kept = [s["target"]["name"] for s in oldest["steps"] if s["risk"] == "irreversible" and s["action"] == "click"]
    assert final == ["Complete check-in"] and kept == ["Check in"]


def test_a_second_check_in_on_skylark_replays_and_demo_airs_recipe_is_not_used_there(
    deputy: Deputy, model: ModelServer, skylark: ThreadedServer, demo_air_recipe: dict[str, Any]
) -> None:
    ruiz = Profile(traveller=ANA, companions=[BEN, CARLA])
    # Demo Air's check-in recipe has the same template, but it belongs to Demo Air's site: the model does this.
    requests = len(model.message_requests)
    model.set_script(Pilot("K7MQ2X", passengers=3, seat="aisle", last_name="Ruiz"))
    first = check_in(deputy, skylark, "K7MQ2X", "Ruiz", ruiz)
    assert finish(deputy, first, "Complete check-in")["model_calls"] > 0
    assert len(model.message_requests) > requests
    learned = recorded(deputy, skylark)
    assert learned["id"] != demo_air_recipe["id"] and learned["variables"] == ["booking_code", "last_name"]

    requests, calls = len(model.message_requests), model_calls(deputy)
    again = check_in(deputy, skylark, "K7MQ2X", "Ruiz", ruiz)
    ended = finish(deputy, again, "Complete check-in")
    assert ended["model_calls"] == 0 and model_calls(deputy) == calls
    assert len(model.message_requests) == requests
    log = web.get(f"{skylark.url}/_test/changes", params={"scope": "K7MQ2X"}).json()["changes"]
    done = [c["after"] for c in log if c["what"] == "checked in"]
    assert len(done) == 1 and done[0]["passengers"] == ["Ana Ruiz", "Ben Ruiz", "Carla Ruiz"]
    assert not done[0]["extras"], done
    passes = kept_passes(deputy, again, 3)
    assert len(passes) == 3


def test_a_deputy_with_no_model_key_checks_in_by_the_recipe_and_says_why_it_cannot_without_one(
    deputy: Deputy,
    air_server: ThreadedServer,
    demo_air_recipe: dict[str, Any],
    tmp_path: Path,
    database_url: str | None,
) -> None:
    # The same Deputy's database with its model key gone.
    with own_database(tmp_path, database_url) as copy:
        copy_database(deputy.settings.sqlalchemy_url, copy)
        with start_deputy(tmp_path / "data", anthropic_api_key="", database_url=copy) as keyless:
            people = Profile(traveller=YUKI, companions=[REN])
            Vault(keyless.settings.data_dir).save(people)
            elsewhere = air_server.url.replace("127.0.0.1", "localhost")  # another site: no recipe there
            body = {"url": f"{elsewhere}/", "booking_code": "FM5W6C", "last_name": "Nakamura"}
            refused = keyless.post("/api/checkins", body, token=keyless.local_token)
            assert refused.status_code == 409 and "ANTHROPIC_API_KEY" in refused.json()["detail"]

            # The button's label as the recipe's newest version knows it (a test before may have healed it).
            steps = keyless.get(f"/api/recipes/{demo_air_recipe['id']}", token=keyless.local_token).json()["versions"]
            label = next(
                s["target"]["name"] for s in steps[0]["steps"] if s["risk"] == "irreversible" and s["action"] == "click"
            )
            task_id = check_in(keyless, air_server, "FM5W6C", "Nakamura", people, final_label=label)
            assert finish(keyless, task_id, label)["model_calls"] == 0
            assert checked_in(air_server, "FM5W6C") == 1
