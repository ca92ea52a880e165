"""The tray's schedule items against a real Deputy: jobs listed with their next run, run now, the deploy
watch switched on and off (the server's word is the check mark), and what a deploy alert or a ready digest
says as a tray notification, from the events the server really publishes."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from backend.api_client import LocalClient
from backend.servers import ThreadedServer
from tests.live import Deputy, start_deputy
from tests.sites.harbor.app import create_app as harbor_app
from tray.commands import Commands
from tray.menu import Do, Entry, build_menu
from tray.state import news_of


@pytest.fixture
def deputy(tmp_path: Path) -> Iterator[Deputy]:
    with start_deputy(tmp_path / "data") as server:
        yield server


@pytest.fixture
def harbor() -> Iterator[ThreadedServer]:
    with ThreadedServer(harbor_app()) as server:
        yield server


def commands_for(deputy: Deputy) -> Commands:
    return Commands(LocalClient(deputy.port, deputy.settings.local_token_path), deputy.settings.data_dir)


def add(deputy: Deputy, body: dict[str, Any]) -> dict[str, Any]:
    added = deputy.post("/api/schedules", body, token=deputy.local_token)
    assert added.status_code == 201, added.text
    return added.json()


def labelled(entries: list[Entry] | tuple[Entry, ...], start: str) -> Entry:
    return next(e for e in entries if e.label.startswith(start))


def news(deputy: Deputy, sub: Any, kind: str) -> str:
    """The tray's notification for the first event of `kind` the server publishes."""

    def seen() -> str | None:
        while not sub.queue.empty():
            event = sub.queue.get_nowait()
            if event["type"] == kind:
                return news_of(event)
        return None

    return deputy.wait(seen, 90, f"a {kind} event")


def test_schedules_lists_jobs_with_their_next_run_and_runs_one_now(deputy: Deputy) -> None:
    commands = commands_for(deputy)
    empty = labelled(build_menu(commands.fetch()), "Schedules")
    assert [e.label for e in empty.submenu] == ["No scheduled jobs: add one with `deputy schedule add`"]

    job = add(deputy, {"kind": "digest"})
    add(deputy, {"kind": "triage", "params": {"url": "http://127.0.0.1:9/mail/"}, "enabled": False})
    schedules = labelled(build_menu(commands.fetch()), "Schedules")
    digest = labelled(schedules.submenu, "Morning digest at 07:30")
    assert "07:30" in digest.label and ("today" in digest.label or "tomorrow" in digest.label)
    assert labelled(schedules.submenu, "Triage my inbox at 06:00").label.endswith("(off)")
    assert labelled(digest.submenu, "Next run:").enabled is False

    sub = deputy.ctx.bus.subscribe()
    run_now = labelled(digest.submenu, "Run now")
    assert run_now.do is Do.RUN_JOB
    said = commands.run(run_now, commands.fetch())
    assert said.startswith("Started Morning digest at 07:30")
    announced = news(deputy, sub, "digest.ready")
    assert announced.startswith("While you were away: ")
    assert "scheduled job(s) ran" in announced
    last = deputy.wait(
        lambda: deputy.get(f"/api/schedules/{job['id']}", token=deputy.local_token).json()["last_run"],
        30,
        "the digest job's run",
    )
    assert last["status"] in ("running", "done")


def test_watch_deploys_is_checked_by_the_server_and_switches_every_watch(
    deputy: Deputy, harbor: ThreadedServer
) -> None:
    commands = commands_for(deputy)
    none = labelled(build_menu(commands.fetch()), "Watch deploys")
    assert none.enabled is False and none.checked is False  # nothing to switch until a watch exists

    job = add(deputy, {"kind": "deploy_watch", "params": {"url": harbor.url + "/"}, "every_seconds": 3600})
    watch = labelled(build_menu(commands.fetch()), "Watch deploys")
    assert watch.do is Do.WATCH and watch.checked is True

    assert commands.run(watch, commands.fetch()) == "Stopped watching deploys."
    listed = deputy.get("/api/schedules", token=deputy.local_token).json()
    assert [(j["id"], j["enabled"], j["next_run_at"]) for j in listed] == [(job["id"], False, None)]
    watch = labelled(build_menu(commands.fetch()), "Watch deploys")
    assert watch.checked is False

    assert commands.run(watch, commands.fetch()) == "Watching deploys."
    listed = deputy.get("/api/schedules", token=deputy.local_token).json()
    assert listed[0]["enabled"] is True and listed[0]["next_run_at"]
    assert labelled(build_menu(commands.fetch()), "Watch deploys").checked is True


@pytest.mark.browser
def test_a_deploy_alert_becomes_a_tray_notification(deputy: Deputy, harbor: ThreadedServer) -> None:
    board = httpx.Client(base_url=harbor.url)
    job = add(deputy, {"kind": "deploy_watch", "params": {"url": harbor.url + "/"}, "every_seconds": 3600})
    commands = commands_for(deputy)
    run_now = labelled(labelled(labelled(build_menu(commands.fetch()), "Schedules").submenu, "Watch").submenu, "Run")
    commands.run(run_now, commands.fetch())
    deputy.wait(
        lambda: (
            (j := deputy.get(f"/api/schedules/{job['id']}", token=deputy.local_token).json())["last_run"]
            and not j["running"]
        ),
        90,
        "the first look",
    )

    sub = deputy.ctx.bus.subscribe()
    board.post("/_test/break").raise_for_status()
    commands.run(run_now, commands.fetch())
    said = news(deputy, sub, "watch.alert")
    assert said.startswith("Deploy alert: ")
    assert said.endswith("A rollback waits for your approval.")
    assert board.get("/_test/changes").json()["changes"] == []  # the tray's news changed nothing
