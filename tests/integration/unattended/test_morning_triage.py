"""The 06:00 triage with a fake clock: it runs unattended on Demo Mail, the rules sort what they cover,
every change waits as a batch approval (nothing is done while nobody watches), the digest lists them, and
approving the group runs them, judged by the webmail's own change log."""

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from backend.clock import ManualClock
from backend.servers import ThreadedServer
from tests.integration.agent.conftest import fresh_mailbox, mail_changes
from tests.integration.triage.conftest import add_rule
from tests.live import Deputy, start_deputy

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def five_to_six() -> datetime:
    local = datetime.now().astimezone()
    return (local + timedelta(days=1)).replace(hour=5, minute=55, second=0, microsecond=0)


@pytest.fixture
def deputy(tmp_path: Path) -> Iterator[Deputy]:
    with start_deputy(tmp_path / "data", clock=ManualClock(five_to_six())) as server:
        yield server


def runs_of(deputy: Deputy, schedule_id: str) -> dict | None:
    found = deputy.get(f"/api/schedules/{schedule_id}", token=deputy.local_token).json()
    last = found["last_run"]
    return found if last and last["status"] != "running" else None


def test_the_six_oclock_triage_prepares_and_the_digest_batch_runs_it(
    deputy: Deputy, mail_server: ThreadedServer
) -> None:
    box = fresh_mailbox(mail_server.url)
    token = deputy.local_token
    add_rule(deputy, {"match": {"sender": "ShopMart"}, "action": "archive"})
    add_rule(deputy, {"match": {"sender": "CodeHub"}, "action": "mark_read"})
    added = deputy.post("/api/schedules", {"kind": "triage", "params": {"url": box}}, token=token)
    assert added.status_code == 201, added.text
    job = added.json()
    assert job["title"] == "Triage my inbox at 06:00"
    assert datetime.fromisoformat(job["next_run_at"]).astimezone().strftime("%H:%M") == "06:00"

    deputy.ctx.schedules.wakeup()  # 05:55: nothing is due yet
    assert deputy.get(f"/api/schedules/{job['id']}", token=token).json()["last_run"] is None

    deputy.clock.advance(5 * 60 + 1)
    deputy.ctx.schedules.wakeup()
    ran = deputy.wait(lambda: runs_of(deputy, job["id"]), 120, "the 06:00 triage to run")
    assert ran["last_run"]["status"] == "done", ran
    assert "wait for you" in ran["last_run"]["summary"]
    task = deputy.get(f"/api/tasks/{ran['last_run']['task_id']}", token=token).json()
    assert task["unattended"] is True and task["status"] == "finished"
    assert mail_changes(box) == []  # nothing was done while nobody watched

    digest = deputy.get("/api/digest", token=token).json()
    assert digest["ran"][0]["title"] == "Triage my inbox at 06:00"
    assert digest["rules"]["sorted_by_rules"] >= 2
    groups = {g["action"]: g for g in digest["waiting"]}
    assert set(groups) == {"archive", "mark_read"}
    assert all(g["kind"] == "batch" for g in groups.values())
    archive = groups["archive"]
    assert archive["items"] >= 1
    assert digest["cost"]["spend_usd"] == 0

    # An hour later the user is back and approves the archive group with one click.
    deputy.clock.advance(3600)
    answered = deputy.post("/api/digest/answer", {"ids": archive["ids"]}, token=token)
    assert answered.status_code == 200, answered.text
    deputy.wait(
        lambda: deputy.get(f"/api/approvals/{archive['ids'][0]}", token=token).json()["status"] == "executed",
        120,
        "the archive batch to run",
    )
    outcome = deputy.get(f"/api/approvals/{archive['ids'][0]}", token=token).json()["outcome"]
    assert outcome.startswith("Done:"), outcome
    done = [c for c in mail_changes(box) if c["what"] == "archive"]
    assert len(done) == archive["items"]
    assert not [c for c in mail_changes(box) if c["what"] not in ("archive",)]  # mark_read still waits

    # A group with something not pending is refused whole.
    again = deputy.post("/api/digest/answer", {"ids": [*groups["mark_read"]["ids"], *archive["ids"]]}, token=token)
    assert again.status_code == 409, again.text
    assert "nothing in the group was" in again.json()["detail"]


def test_a_grant_covers_unattended_runs_only_when_it_says_so() -> None:
    from backend.actions.registry import Risk
    from backend.actions.risk import Assessment
    from backend.models import UserRule
    from backend.policy.engine import PolicyContext, Proposal, Verdict, decide

    proposal = Proposal("click", {"ref": "e1"}, Assessment(Risk.WRITE, "a click"), "mail.test", "archive")
    grant = UserRule(kind="grant", value={"action": "click", "kind": "archive"}, created_at=datetime.now())
    explicit = UserRule(kind="grant", value={"action": "click", "kind": "archive", "unattended": True})
    explicit.created_at = datetime.now()

    def ctx(rules: list[UserRule], unattended: bool) -> PolicyContext:
        return PolicyContext(datetime.now(), False, rules, [], 0, "", unattended=unattended)

    assert decide(proposal, ctx([grant], False)).verdict is Verdict.ALLOW
    queued = decide(proposal, ctx([grant], True))
    assert queued.verdict is Verdict.ASK and "nobody is watching" in queued.reason
    assert decide(proposal, ctx([explicit], True)).verdict is Verdict.ALLOW
