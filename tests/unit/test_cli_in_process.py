"""`deputy` run in the test process (tests/cli.py): each call has its own environment, arguments and width,
and a failing call leaves none of them behind for the next."""

import os
import sys
from pathlib import Path

from tests.cli import deputy_cli


def test_a_failing_call_leaves_the_environment_and_arguments_as_they_were(tmp_path: Path) -> None:
    environment, argv = dict(os.environ), list(sys.argv)
    refused = deputy_cli("pair", env={"DEPUTY_PORT": "eighty", "DEPUTY_DATA_DIR": str(tmp_path)})
    assert refused.returncode == 1 and refused.stdout == ""
    assert "DEPUTY_PORT" in refused.stderr and "Traceback" not in refused.stderr
    assert dict(os.environ) == environment and sys.argv == argv


def test_each_call_wraps_at_its_own_columns(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    folder = str(blocker / ("x" * 120))
    told = [deputy_cli("pair", "--data-dir", folder, env={"COLUMNS": str(n)}).stderr for n in (80, 200, 80)]
    assert "not writable" in told[0]
    assert told[0] == told[2] and len(told[0].splitlines()) > len(told[1].splitlines())
    assert max(len(line) for line in told[1].splitlines()) > 80
