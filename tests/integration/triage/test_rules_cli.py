"""`deputy rules` for mail rules, as a user types it: real processes, readable errors, never a traceback."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.api.test_cli import assert_friendly, run
from tests.live import Deputy, start_deputy


@pytest.fixture
def deputy(tmp_path: Path) -> Iterator[Deputy]:
    with start_deputy(tmp_path / "data") as server:
        yield server


def test_mail_rules_in_plain_words_then_edited_and_removed(deputy: Deputy) -> None:
    args = ["--data-dir", str(deputy.settings.data_dir), "--port", str(deputy.port)]
    proposed = run(["rules", "add", "archive newsletters from shopmart.example", *args])
    assert proposed.returncode == 0, proposed.stdout + proposed.stderr
    assert "Save the rule: Archive mail from @shopmart.example and with an unsubscribe link" in proposed.stdout
    assert "Would have matched 0 message(s)" in proposed.stdout
    assert deputy.get("/api/rules", token=deputy.local_token).json() == []  # nothing saved yet
    short = proposed.stdout.split()[0]
    assert run(["approvals", "approve", short, *args]).returncode == 0
    deputy.wait(lambda: deputy.get("/api/rules", token=deputy.local_token).json(), 20, "the rule to be saved")
    (rule,) = deputy.get("/api/rules", token=deputy.local_token).json()
    rule_id = str(rule["id"])

    listing = run(["rules", *args]).stdout
    assert f"{rule_id}  Archive mail from @shopmart.example" in listing
    edited = run(["rules", "edit", rule_id, "--action", "star", "--from", "ShopMart Deals", *args])
    assert edited.returncode == 0, edited.stdout + edited.stderr
    assert "Star mail from ShopMart Deals and from @shopmart.example" in edited.stdout

    refused = assert_friendly(run(["rules", "edit", rule_id, "--action", "unsubscribe", *args]))
    assert "action" in refused
    assert "Say what to change" in assert_friendly(run(["rules", "edit", rule_id, *args]))
    assert "Rule 999 not found" in assert_friendly(run(["rules", "edit", "999", "--action", "star", *args]))
    assert "cannot 'delete'" in assert_friendly(run(["rules", "add", "delete everything from shopmart.example", *args]))
    budget = run(["rules", "add", "budget_day", "5", *args])
    budget_id = budget.stdout.split("Added rule ")[1].split(":")[0]
    assert "only mail rules" in assert_friendly(run(["rules", "edit", budget_id, "--action", "star", *args]))
    assert "deputy rules edit ID" in assert_friendly(run(["rules", "frob", *args]))

    assert run(["rules", "rm", rule_id, *args]).returncode == 0
    assert [r["kind"] for r in deputy.get("/api/rules", token=deputy.local_token).json()] == ["budget_day"]
