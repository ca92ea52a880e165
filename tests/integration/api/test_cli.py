"""`deputy` as a user runs it: real processes, readable errors, never a traceback."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import httpx

from tests.live import Deputy

DEPUTY = [sys.executable, "-m", "backend.cli"]


def run(args: list[str], env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "COLUMNS": "200", **(env or {})}
    return subprocess.run(DEPUTY + args, capture_output=True, text=True, env=full_env, timeout=timeout)


def assert_friendly(result: subprocess.CompletedProcess[str]) -> str:
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output
    return output


def test_doctor_without_chromium_says_how_to_fix_it(tmp_path: Path) -> None:
    result = run(["doctor"], {"DEPUTY_CHROMIUM": str(tmp_path / "no-chromium"), "DEPUTY_DATA_DIR": str(tmp_path)})
    output = assert_friendly(result)
    assert "No Chromium found" in output
    assert "apt-get install chromium" in output


def test_doctor_reports_every_check(tmp_path: Path) -> None:
    result = run(["doctor", "--data-dir", str(tmp_path / "data"), "--port", "1"], {"ANTHROPIC_API_KEY": ""})
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
    paired = httpx.post(f"{deputy.url}/api/pair", json={"code": code, "client": "laptop"})
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
