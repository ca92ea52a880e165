"""`deputy schedule` and /api/schedules as a user meets them: readable errors, nothing half added."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.api.test_cli import assert_friendly, run
from tests.live import Deputy, start_deputy


@pytest.fixture
def deputy(tmp_path: Path) -> Iterator[Deputy]:
    with start_deputy(tmp_path / "data") as server:
        yield server


def test_schedule_from_the_cli(deputy: Deputy) -> None:
    args = ["--data-dir", str(deputy.settings.data_dir), "--port", str(deputy.port)]
    added = run(["schedule", "add", "triage", "http://127.0.0.1:9/inbox/", "--at", "06:30", *args])
    assert added.returncode == 0, added.stdout + added.stderr
    assert "Triage my inbox" in added.stdout and "cron 30 6 * * *" in added.stdout
    job_id = added.stdout.split()[1].rstrip(":")
    listed = run(["schedule", *args]).stdout
    assert job_id in listed and "on)" in listed
    off = run(["schedule", "off", job_id[:5], *args])
    assert off.returncode == 0 and "is off" in off.stdout
    assert "off)" in run(["schedule", *args]).stdout

    assert "HH:MM" in assert_friendly(run(["schedule", "add", "triage", "http://x.test/", "--at", "6am", *args]))
    assert "needs url" in assert_friendly(run(["schedule", "add", "triage", *args]))
    assert "kinds are" in assert_friendly(run(["schedule", "add", "dance", *args]))
    assert "matches" in assert_friendly(run(["schedule", "rm", "s_nothing", *args]))
    removed = run(["schedule", "rm", job_id, *args])
    assert removed.returncode == 0 and "Removed" in removed.stdout
    assert "No scheduled jobs" in run(["schedule", *args]).stdout


def test_the_api_gives_reasons(deputy: Deputy) -> None:
    token = deputy.local_token
    cases = [
        ({"kind": "triage"}, 422, "needs url"),
        ({"kind": "triage", "params": {"url": "ftp://x"}}, 422, "http"),
        ({"kind": "digest", "cron": "61 * * * *"}, 422, "not a cron schedule"),
        ({"kind": "digest", "cron": "0 6 * *"}, 422, "five fields"),
        ({"kind": "digest", "every_seconds": 1}, 422, "every_seconds"),
        ({"kind": "digest", "at": "2001-01-01T00:00:00+00:00"}, 422, "has passed"),
        ({"kind": "digest", "cron": "0 6 * * *", "every_seconds": 60}, 422, "not cron and every_seconds"),
    ]
    for body, status, says in cases:
        answer = deputy.post("/api/schedules", body, token=token)
        assert answer.status_code == status, (body, answer.text)
        assert says in answer.json()["detail"], (body, answer.text)
    assert deputy.get("/api/schedules", token=token).json() == []  # nothing half added
    for method, path in (("post", "/api/schedules/s_none/run"), ("post", "/api/schedules/s_none")):
        answer = deputy.post(path, {"enabled": True} if path.endswith("none") else None, token=token)
        assert answer.status_code == 404, (method, answer.text)
    assert deputy.get("/api/schedules", token=None).status_code == 401
