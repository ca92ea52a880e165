"""The traveller profile through the API and the CLI: stored encrypted with mode 0600, shown masked, bad input
refused with reasons and nothing half saved."""

import json
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import web
from tests.cli import Result, deputy_cli
from tests.live import Deputy, start_deputy

ANA = {
    "first_name": "Ana",
    "last_name": "Ruiz",
    "date_of_birth": "1988-04-23",
    "nationality": "es",
    "passport_number": "XK 4471 902",
    "passport_country": "ES",
    "passport_expiry": "2034-05-01",
    "seat_preference": "window",
    "frequent_flyer": {"Demo Air": "DA0099123"},
}
BEN = {"first_name": "Ben", "last_name": "Ruiz", "date_of_birth": "2016-09-30", "passport_number": "XK5550001",
       "passport_expiry": "2029-01-31"}  # fmt: skip


@pytest.fixture
def deputy(tmp_path: Path) -> Iterator[Deputy]:
    with start_deputy(tmp_path / "data") as server:
        yield server


def put(deputy: Deputy, body: object) -> object:
    return web.put(f"{deputy.url}/api/profile", json=body, headers={"Authorization": f"Bearer {deputy.local_token}"})


def test_profile_is_stored_encrypted_private_and_shown_masked(deputy: Deputy) -> None:
    saved = put(deputy, {"traveller": ANA, "companions": [BEN]})
    assert saved.status_code == 200, saved.text
    shown = deputy.get("/api/profile", token=deputy.local_token).json()
    assert shown["traveller"]["first_name"] == "Ana" and shown["traveller"]["nationality"] == "ES"
    assert shown["traveller"]["passport_number"] == "•••••••02"
    assert shown["companions"][0]["date_of_birth"] == "••••-••-••"
    data = deputy.settings.data_dir
    stored = (data / "traveller.json").read_text()
    for secret in ("XK4471902", "1988-04-23", "2034-05-01", "DA0099123", "XK5550001", "2016-09-30"):
        assert secret not in stored and secret not in json.dumps(shown)
    assert "Ruiz" in stored  # names are not identifying on their own: kept readable
    for name in ("traveller.json", "traveller.key"):
        assert stat.S_IMODE((data / name).stat().st_mode) == 0o600
    # The options page sends masked values back unchanged: what is stored stays.
    again = put(
        deputy, {"traveller": {**shown["traveller"], "seat_preference": "aisle"}, "companions": shown["companions"]}
    )
    assert again.status_code == 200, again.text
    from backend.traveller.vault import Vault

    kept = Vault(data).load()
    assert kept.traveller is not None and kept.traveller.passport_number == "XK4471902"
    assert kept.traveller.seat_preference == "aisle" and kept.traveller.frequent_flyer == {"Demo Air": "DA0099123"}


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"passport_expiry": "2001-01-01"}, "traveller.passport_expiry: the passport expired on 2001-01-01"),
        ({"date_of_birth": "1990-02-30"}, "traveller.date_of_birth: 1990-02-30 is not a real date"),
        ({"date_of_birth": "23/04/1988"}, "must be written YYYY-MM-DD"),
        ({"nationality": "Spain"}, "traveller.nationality: 'Spain' is not a country code"),
        ({"passport_number": "12"}, "a passport number has 5 to 12 letters and digits"),
    ],
)
def test_bad_input_gets_422_with_the_reason_and_saves_nothing(deputy: Deputy, change: dict, reason: str) -> None:
    assert put(deputy, {"traveller": ANA}).status_code == 200
    before = (deputy.settings.data_dir / "traveller.json").read_bytes()
    refused = put(deputy, {"traveller": {**ANA, **change}})
    assert refused.status_code == 422
    assert reason in refused.json()["detail"], refused.json()
    assert refused.json()["errors"][0]["loc"][0] == "body"
    assert (deputy.settings.data_dir / "traveller.json").read_bytes() == before


def cli(data: Path, *args: str) -> Result:
    return deputy_cli(*args, "--data-dir", str(data))


def test_cli_sets_shows_masked_and_refuses_bad_dates(tmp_path: Path) -> None:
    data = tmp_path / "data"
    done = cli(data, "profile", "set", "first_name=Ana", "last_name=Ruiz", "passport_number=XK4471902",
               "passport_expiry=2034-05-01", "date_of_birth=1988-04-23")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert cli(data, "profile", "add-companion", "first_name=Ben", "last_name=Ruiz").returncode == 0
    shown = cli(data, "profile", "show").stdout
    assert "Ana Ruiz" in shown and "Companion 1: Ben Ruiz" in shown and "•••••••02" in shown
    assert "XK4471902" not in shown and "1988-04-23" not in shown
    bad = cli(data, "profile", "set", "date_of_birth=1988-13-01")
    assert bad.returncode == 1 and "1988-13-01 is not a real date" in bad.stderr and "Traceback" not in bad.stderr
    expired = cli(data, "profile", "set", "--companion", "1", "passport_number=AB12345", "passport_expiry=2020-02-02")
    assert expired.returncode == 1 and "expired on 2020-02-02" in expired.stderr
    assert cli(data, "profile", "rm", "1").returncode == 0
    assert "Ben" not in cli(data, "profile", "show").stdout
