"""`deputy` as a user runs it: readable errors, never a traceback.

Most tests run the command in this process (tests/cli.py). Three run a real process: the doctor's two, since
on a desktop the doctor imports GTK and pystray and opens the session bus, which would stay in this process
after the call (one of them starts the installed `deputy` script, proving the entry point works); and the
corrupt database's, since only a real process shows that nothing prints a traceback on the way out either.
"""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests import web
from tests.cli import Result, deputy_cli
from tests.live import Deputy

INSTALLED = [str(Path(sys.executable).with_name("deputy"))]
MODULE = [sys.executable, "-m", "backend.cli"]


def run(args: list[str], env: dict[str, str] | None = None) -> Result:
    return deputy_cli(*args, env={"COLUMNS": "200", **(env or {})})


def run_process(command: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "COLUMNS": "200", **(env or {})}
    return subprocess.run(command, capture_output=True, text=True, env=full_env, timeout=60)


def assert_friendly(result: Result | subprocess.CompletedProcess[str]) -> str:
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output
    return output


def test_doctor_without_chromium_says_how_to_fix_it(tmp_path: Path) -> None:
    env = {"DEPUTY_CHROMIUM": str(tmp_path / "no-chromium"), "DEPUTY_DATA_DIR": str(tmp_path)}
    result = run_process([*INSTALLED, "doctor"], env)
    output = assert_friendly(result)
    assert "No Chromium found" in output
    assert "apt-get install chromium" in output


def test_doctor_reports_every_check(tmp_path: Path) -> None:
    command = [*MODULE, "doctor", "--data-dir", str(tmp_path / "data"), "--port", "1"]
    result = run_process(command, {"ANTHROPIC_API_KEY": ""})
    output = result.stdout
    for name in ("Chromium", "Display", "Data folder", "Port", "Model key"):
        assert name in output
    assert "ANTHROPIC_API_KEY" in output


def test_bad_setting_is_named(tmp_path: Path) -> None:
    output = assert_friendly(run(["pair"], {"DEPUTY_PORT": "eighty", "DEPUTY_DATA_DIR": str(tmp_path)}))
    assert "DEPUTY_PORT" in output
    assert "'eighty'" in output


def test_unwritable_data_folder_is_explained(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    output = assert_friendly(run(["pair", "--data-dir", str(blocker / "data")]))
    assert "not writable" in output
    assert "DEPUTY_DATA_DIR" in output


def test_port_in_use_is_explained(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        output = assert_friendly(run(["serve", "--port", str(port), "--data-dir", str(tmp_path)]))
    assert f"Port {port}" in output
    assert "--port" in output


def test_pair_prints_a_code_that_pairs(deputy: Deputy) -> None:
    result = run(["pair", "--data-dir", str(deputy.settings.data_dir), "--port", str(deputy.port)])
    assert result.returncode == 0, result.stderr
    code = result.stdout.split("Pairing code:")[1].split()[0]
    assert len(code) == 9
    paired = web.post(f"{deputy.url}/api/pair", json={"code": code, "client": "laptop"})
    assert paired.status_code == 200


def test_revoke_through_the_cli_takes_effect_on_the_running_server(deputy: Deputy) -> None:
    token = deputy.pair("chrome")
    args = ["--data-dir", str(deputy.settings.data_dir), "--port", str(deputy.port)]
    result = run(["pair", "--revoke", "chrome", *args])
    assert result.returncode == 0, result.stdout + result.stderr
    assert deputy.get("/api/state", token=token).status_code == 401
    listing = run(["pair", "--list", *args])
    assert "chrome" in listing.stdout
    unknown = assert_friendly(run(["pair", "--revoke", "nobody", *args]))
    assert "nobody" in unknown


def test_rules_and_approvals_from_the_cli(deputy: Deputy) -> None:
    args = ["--data-dir", str(deputy.settings.data_dir), "--port", str(deputy.port)]
    added = run(["rules", "add", "site_block", '{"host": "evil.example"}', *args])
    assert added.returncode == 0, added.stdout + added.stderr
    assert "site_block" in run(["rules", *args]).stdout
    bad = assert_friendly(run(["rules", "add", "site_block", "{not json", *args]))
    assert "JSON" in bad
    refused = assert_friendly(run(["rules", "add", "quiet_hours", '{"start": "9"}', *args]))
    assert "HH:MM" in refused
    rule_id = deputy.get("/api/rules", token=deputy.local_token).json()[0]["id"]
    assert run(["rules", "delete", str(rule_id), *args]).returncode == 0
    assert "No approvals are waiting" in run(["approvals", *args]).stdout
    missing = assert_friendly(run(["approvals", "approve", "ap_nope", *args]))
    assert "ap_nope" in missing


def test_cli_says_when_deputy_is_not_running(tmp_path: Path) -> None:
    output = assert_friendly(run(["approvals", "--data-dir", str(tmp_path), "--port", "1"]))
    assert "not running" in output


def test_approvals_show_short_ids_and_sentences_and_accept_a_prefix(deputy: Deputy) -> None:
    from tests.seeding import pending_approval

    args = ["--data-dir", str(deputy.settings.data_dir), "--port", str(deputy.port)]
    first = pending_approval(deputy)
    listing = run(["approvals", *args], {"COLUMNS": "80"}).stdout
    short = first.removeprefix("ap_")[:6]
    assert short in listing
    assert "Click the button 'Archive' in the toolbar" in listing
    assert "e105" not in listing and '"ref"' not in listing
    assert "in 15 min" in listing
    answered = run(["approvals", "reject", short[:4], "--reason", "not now", *args])
    assert answered.returncode == 0, answered.stdout + answered.stderr
    assert "Rejected" in answered.stdout
    decided = deputy.get(f"/api/approvals/{first}", token=deputy.local_token).json()
    assert decided["status"] == "rejected" and decided["decision_reason"] == "not now"


def test_an_ambiguous_prefix_is_refused_with_the_candidates(deputy: Deputy) -> None:
    from tests.seeding import pending_approval

    args = ["--data-dir", str(deputy.settings.data_dir), "--port", str(deputy.port)]
    ids = [pending_approval(deputy) for _ in range(2)]
    output = assert_friendly(run(["approvals", "approve", "ap_", *args]))
    assert "matches 2 approvals" in output
    for full in ids:
        assert full.removeprefix("ap_")[:6] in output


def test_rules_take_the_plain_forms_people_type(deputy: Deputy) -> None:
    args = ["--data-dir", str(deputy.settings.data_dir), "--port", str(deputy.port)]
    for typed in (
        ["budget_day", "5"],
        ["site_allow", "https://mail.example.com/inbox"],
        ["quiet_hours", "22:00-07:00"],
        ["grant", "click", "archive"],
        ["never_send"],
    ):
        added = run(["rules", "add", *typed, *args])
        assert added.returncode == 0, added.stdout + added.stderr
    stored = {r["kind"]: r["value"] for r in deputy.get("/api/rules", token=deputy.local_token).json()}
    assert stored["budget_day"]["usd"] == 5.0 and stored["budget_day"]["micro_usd"] == 5_000_000
    assert stored["site_allow"] == {"host": "mail.example.com"}
    assert stored["quiet_hours"] == {"start": "22:00", "end": "07:00"}
    assert stored["grant"] == {"action": "click", "kind": "archive"}
    listing = run(["rules", *args]).stdout
    assert "At most $5.00 a day" in listing and "Act on mail.example.com" in listing
    wrong = assert_friendly(run(["rules", "add", "budget_day", "lots", *args]))
    assert "deputy rules add budget_day 5" in wrong
    helped = run(["rules", "--help"]).stdout
    for kind in ("site_allow", "site_block", "always_ask", "never_send", "grant", "quiet_hours", "budget_day"):
        assert kind in helped


@pytest.mark.sqlite_only
def test_a_corrupt_database_gets_one_line_naming_the_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "deputy.db").write_bytes(b"this is not a database, just some bytes" * 200)
    output = assert_friendly(run_process([*MODULE, "pair", "--data-dir", str(data)]))
    assert str(data / "deputy.db") in output
    assert "Move" in output and "report" not in output
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    import sqlite3

    with sqlite3.connect(foreign / "deputy.db") as db:
        db.execute("CREATE TABLE task (id TEXT PRIMARY KEY, title TEXT)")
    output = assert_friendly(run_process([*MODULE, "pair", "--data-dir", str(foreign)]))
    assert "another program" in output and str(foreign / "deputy.db") in output
