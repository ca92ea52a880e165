"""Rules that learn and retire, on Demo Mail, judged by the webmail's change log and what the user is shown.

The reader (the real SDK against the scripted Messages API) suggests archiving LaunchList's newsletters; the
user approves that three times, in three triage runs; Deputy proposes one rule, with how many messages seen
so far it would have matched. Approved, the rule sorts the next inbox with no model call for that mail; the
user undoes what it did twice and the rule retires, saying so.

The approvals before the one a test is about are history, seeded through the approval lifecycle and the
learner (`tests.seeding.approved_before`) as copies of the batch the live triage proposes. The one it is about
is given live, through the real triage and the API: the third, which proposes the rule, or the one after a
rejection, which must not propose it again.
"""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from websockets.sync.client import connect

from backend.clock import ManualClock
from backend.demo.mail.app import create_app as demo_mail
from backend.servers import ThreadedServer
from tests import web
from tests.integration.agent.conftest import fresh_mailbox, mail_changes
from tests.integration.triage.conftest import batches, ended, task_of, triage
from tests.live import Deputy, start_deputy
from tests.model_server import ModelRequest, ModelServer, text
from tests.seeding import approved_before

pytestmark = pytest.mark.slow

LEARNT = "LaunchList Daily"


def newsletters_reader(request: ModelRequest) -> Any:
    """A small model that suggests archiving one sender's newsletters and flags a phisher; the rest it leaves."""
    items = []
    for line in request.last_text.splitlines():
        if not line.startswith("{"):
            continue
        message = json.loads(line)
        if message["from"] == LEARNT:
            items.append({"i": message["i"], "c": "newsletters", "a": "archive", "s": "A newsletter", "x": ""})
        elif "URGENT" in message["subject"]:
            items.append({"i": message["i"], "c": "security", "a": "archive", "s": "Alarm", "x": "asks for a code"})
        else:
            items.append({"i": message["i"], "c": "personal", "a": "none", "s": "Mail", "x": ""})
    return text(json.dumps({"m": items}))


@pytest.fixture
def model() -> Iterator[ModelServer]:
    with ModelServer([]) as server:
        server.set_script(newsletters_reader)
        yield server


@pytest.fixture
def deputy(tmp_path: Path, model: ModelServer) -> Iterator[Deputy]:
    with start_deputy(tmp_path / "data", anthropic_api_key="test-key", anthropic_base_url=model.base_url) as server:
        yield server


@pytest.fixture
def mail_clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def still_mail(mail_clock: ManualClock) -> Iterator[ThreadedServer]:
    """Demo Mail on a clock that moves only when told: every box made at one moment lists its mail alike."""
    with ThreadedServer(demo_mail(mail_clock)) as server:
        yield server


def rule_proposals(deputy: Deputy) -> list[dict[str, Any]]:
    return [a for a in deputy.get("/api/approvals", token=deputy.local_token).json() if a["kind"] == "rule"]


def proposed_archive(deputy: Deputy, box: str) -> tuple[str, dict[str, Any]]:
    """A triage of `box` and the one batch it proposes: archive LaunchList's mail, and nothing the reader flagged."""
    task_id = triage(deputy, box)
    (batch,) = batches(deputy, task_id, 1)
    assert batch["action"] == "archive"
    assert {i["sender"] for i in batch["params"]["items"]} == {LEARNT}
    return task_id, batch


def approve_archive(deputy: Deputy, task_id: str, batch: dict[str, Any]) -> None:
    answer = deputy.post(f"/api/approvals/{batch['id']}/approve", {}, token=deputy.local_token)
    assert answer.status_code == 200, answer.text
    assert ended(deputy, task_id)["status"] == "finished"


def inbox_of(box: str) -> list[dict[str, Any]]:
    messages, page = [], 1
    while True:
        listed = web.get(f"{box}api/messages", params={"view": "inbox", "page": page}).json()
        messages += listed["messages"]
        if page >= listed["pages"]:
            return messages
        page += 1


def test_three_approvals_propose_one_rule_that_then_runs_free_and_retires_after_two_undos(
    deputy: Deputy, model: ModelServer, still_mail: ThreadedServer, mail_clock: ManualClock
) -> None:
    # One moment: today's mail shows its time of day, so boxes made minutes apart would list it differently.
    boxes = [fresh_mailbox(still_mail.url) for _ in range(2)]
    learnt = [m for m in inbox_of(boxes[0]) if m["from"]["name"] == LEARNT]
    assert len(learnt) >= 2

    # The third triage is live; the two approvals before it are history, of the batch it proposes.
    task_id, batch = proposed_archive(deputy, boxes[0])
    for _ in range(2):
        assert approved_before(deputy, batch["id"]) is None
        assert rule_proposals(deputy) == []  # twice is not yet a habit
    approve_archive(deputy, task_id, batch)

    (proposal,) = rule_proposals(deputy)
    assert proposal["status"] == "pending"
    rule = proposal["params"]["rule"]
    assert rule["match"] == {"sender": LEARNT, "subject_words": []} and rule["action"] == "archive"
    assert proposal["params"]["past_matches"] == len(learnt)
    assert proposal["objects"][0] == f"Would have matched {len(learnt)} message(s) Deputy has seen"
    assert proposal["editable"] == ["match", "action", "label"]
    assert "3 times" in proposal["policy_reason"]
    assert [r for r in deputy.get("/api/rules", token=deputy.local_token).json() if r["kind"] == "mail"] == []

    answer = deputy.post(f"/api/approvals/{proposal['id']}/approve", {}, token=deputy.local_token)
    assert answer.status_code == 200, answer.text
    saved = deputy.wait(
        lambda: [r for r in deputy.get("/api/rules", token=deputy.local_token).json() if r["kind"] == "mail"],
        20,
        "the approved rule to be saved",
    )
    assert len(saved) == 1 and saved[0]["value"]["match"]["sender"] == LEARNT
    rule_id = saved[0]["id"]
    told = deputy.get(f"/api/approvals/{proposal['id']}", token=deputy.local_token).json()
    assert told["status"] == "executed" and f"rule {rule_id}" in told["outcome"]

    # The next inbox, the same mail listed alike: the rule sorts LaunchList's mail, and none of it goes to the
    # model. (Seen again, a message is the same message: one SeenMail row per key, or this triage would fail.)
    box = boxes[1]
    before = len(model.requests)
    task_id = triage(deputy, box)
    (batch,) = batches(deputy, task_id, 1)
    items = batch["params"]["items"]
    assert {i["sender"] for i in items} == {LEARNT} and {i["rule_id"] for i in items} == {rule_id}
    for request in model.requests[before:]:
        assert LEARNT not in json.dumps(request.body)
    assert rule_proposals(deputy) == [told]  # a rule's own doing proposes nothing more
    deputy.post(f"/api/approvals/{batch['id']}/approve", {}, token=deputy.local_token)
    assert ended(deputy, task_id)["status"] == "finished"
    assert len([c for c in mail_changes(box) if c["what"] == "archive"]) == len(items)

    audit = deputy.get(f"/api/audit?task_id={task_id}", token=deputy.local_token).json()
    done = [r for r in audit if r["kind"] == "executed" and r["approval_id"] == batch["id"] and r["undoable"]]
    assert len(done) == len(items)
    with connect(f"ws://127.0.0.1:{deputy.port}/api/events", open_timeout=5) as ws:
        ws.send(json.dumps({"type": "auth", "token": deputy.local_token}))
        assert json.loads(ws.recv(timeout=5))["type"] == "hello"
        for record in done[:2]:
            undone = deputy.post(f"/api/audit/{record['id']}/undo", {}, token=deputy.local_token)
            assert undone.status_code == 200, undone.text
            value = deputy.get(f"/api/rules/{rule_id}", token=deputy.local_token).json()["value"]
            assert value["retired"] is (record is done[1])
        retired = None
        while retired is None:
            event = json.loads(ws.recv(timeout=10))
            retired = event if event["type"] == "rule.retired" else None
    said = f"rule {rule_id} retired: you undid it twice"
    assert retired["data"]["id"] == rule_id and retired["data"]["message"] == said
    audit = deputy.get(f"/api/audit?task_id={task_id}", token=deputy.local_token).json()
    assert [r["reason"] for r in audit if r["kind"] == "rule_retired"] == [said]
    assert "Rule " + said.removeprefix("rule ") in task_of(deputy, task_id)["summary"]

    # Retired, it sorts nothing: the next inbox goes to the reader again. A day later, so every message is
    # dated anew: mail the reader has read before (same sender, subject and date) is not read again.
    mail_clock.advance(24 * 3600)
    before = len(model.requests)
    task_id = triage(deputy, fresh_mailbox(still_mail.url))
    (batch,) = batches(deputy, task_id, 1)
    assert {i["rule_id"] for i in batch["params"]["items"]} == {None}
    assert any(LEARNT in json.dumps(r.body) for r in model.requests[before:])
    deputy.post(f"/api/approvals/{batch['id']}/reject", {}, token=deputy.local_token)
    ended(deputy, task_id)


def test_a_rejected_proposal_is_not_made_again_and_flagged_mail_teaches_nothing(
    deputy: Deputy, mail_server: ThreadedServer
) -> None:
    # The fourth triage is live; the three approvals before it are history, and the third proposes the rule.
    task_id, batch = proposed_archive(deputy, fresh_mailbox(mail_server.url))
    proposed = [approved_before(deputy, batch["id"]) for _ in range(3)]
    (proposal,) = rule_proposals(deputy)
    assert proposed == [None, None, proposal["id"]]
    for edits in ({"action": "unsubscribe"}, {"match": {}}, {"to": "x@evil.test"}, {"action": "label"}):
        answer = deputy.post(f"/api/approvals/{proposal['id']}/approve", {"edits": edits}, token=deputy.local_token)
        assert answer.status_code == 422, answer.text
        assert answer.json()["detail"]
    rejected = deputy.post(f"/api/approvals/{proposal['id']}/reject", {"reason": "no"}, token=deputy.local_token)
    assert rejected.status_code == 200
    approve_archive(deputy, task_id, batch)
    assert [p["id"] for p in rule_proposals(deputy)] == [proposal["id"]]  # remembered: not proposed again
    assert [r for r in deputy.get("/api/rules", token=deputy.local_token).json() if r["kind"] == "mail"] == []


def labelling_reader(request: ModelRequest) -> Any:
    """The reader suggests labels: its category names the label, never words of its own."""
    items = []
    for line in request.last_text.splitlines():
        if not line.startswith("{"):
            continue
        message = json.loads(line)
        category = {"ParcelPoint": "receipts", "Jordan Lee": "personal"}.get(message["from"])
        action = "label" if category else "none"
        items.append({"i": message["i"], "c": category or "other", "a": action, "s": "Mail", "x": ""})
    return text(json.dumps({"m": items}))


def test_the_readers_labels_are_its_categories_and_a_missing_label_is_listed(
    deputy: Deputy, model: ModelServer, mail_server: ThreadedServer
) -> None:
    model.set_script(labelling_reader)
    box = fresh_mailbox(mail_server.url)
    task_id = triage(deputy, box)
    found = batches(deputy, task_id, 2)
    by_label = {b["params"]["label"]: b for b in found}
    assert set(by_label) == {"Receipts", "Personal"}
    assert {i["sender"] for i in by_label["Receipts"]["params"]["items"]} == {"ParcelPoint"}
    for batch in found:
        deputy.post(f"/api/approvals/{batch['id']}/approve", {}, token=deputy.local_token)
    assert ended(deputy, task_id)["status"] == "finished"
    parcels = [m for m in inbox_of(box) if m["from"]["name"] == "ParcelPoint"]
    assert parcels and all("Receipts" in m["labels"] for m in parcels)  # labelled, still in the inbox
    missing = deputy.get(f"/api/approvals/{by_label['Personal']['id']}", token=deputy.local_token).json()
    assert "this site has no label 'Personal'" in missing["outcome"]
    labelled = [c for c in mail_changes(box) if c["what"] == "label"]
    assert len(labelled) == len(parcels)  # Jordan Lee's mail got no label that does not exist
