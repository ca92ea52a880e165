"""The welcome `scripts/run` prints names the starter recipes that run with no model key, with the exact
command for each (example values filled in) and what to do first when one needs the traveller profile."""

from pathlib import Path

from backend.cli.app import console
from backend.cli.server import print_starters
from backend.config import Settings


def test_the_welcome_names_each_starter_and_its_exact_command(tmp_path: Path) -> None:
    with console.capture() as captured:
        print_starters(Settings(data_dir=tmp_path, port=8740))
    said = " ".join(captured.get().split())
    assert "no model key" in said
    assert "deputy recipes run deploy-status" in said
    assert "deputy recipes run demo-air-checkin --var booking_code=DQ7K2M --var last_name=Rivera" in said
    assert "deputy profile set" in said and "--port" not in said

    with console.capture() as elsewhere:
        print_starters(Settings(data_dir=tmp_path, port=9001))
    assert "deputy recipes run deploy-status --port 9001" in " ".join(elsewhere.get().split())
