"""Plain-English rules on Demo Mail: a sentence becomes a deterministic rule once, shown as a "rule" approval
with what it matches now, and saved only when approved; the rules API refuses bad input with a reason.

Offline (no model key) the small parser reads the common forms; with a key, one tool-less call on the small
model (the real SDK against the scripted Messages API) must answer with something that validates as a rule.
"""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import Session, select

from backend.models import ModelCall
from backend.servers import ThreadedServer
from tests import web
from tests.integration.agent.conftest import fresh_mailbox, mail_changes
from tests.integration.triage.conftest import batches, ended, triage
from tests.live import Deputy, start_deputy
from tests.model_server import ModelRequest, ModelServer, text

pytestmark = pytest.mark.slow


@pytest.fixture
def deputy(tmp_path: Path) -> Iterator[Deputy]:
    with start_deputy(tmp_path / "data") as server:
        yield server


@pytest.fixture
def box(mail_server: ThreadedServer) -> str:
    return fresh_mailbox(mail_server.url)


def plain(deputy: Deputy, said: str) -> httpx.Response:
    return deputy.post("/api/rules/plain", {"text": said}, token=deputy.local_token)


def mail_rules(deputy: Deputy) -> list[dict[str, Any]]:
    return [r for r in deputy.get("/api/rules", token=deputy.local_token).json() if r["kind"] == "mail"]


def inbox(box: str) -> list[dict[str, Any]]:
    messages, page = [], 1
    while True:
        listed = web.get(f"{box}api/messages", params={"view": "inbox", "page": page}).json()
        messages += listed["messages"]
        if page >= listed["pages"]:
            return messages
        page += 1


def test_a_sentence_becomes_a_proposal_saved_only_when_approved(deputy: Deputy, box: str) -> None:
    proposed = plain(deputy, "archive newsletters I haven't opened in a month")
    assert proposed.status_code == 201, proposed.text
    card = proposed.json()
    assert card["kind"] == "rule" and card["status"] == "pending"
    assert card["params"]["rule"]["match"]["list_unsubscribe"] is True
    assert card["params"]["rule"]["action"] == "archive"
    assert card["params"]["left_out"] == "haven't opened in a month"  # said, not silently dropped
    assert any("Left out" in line for line in card["objects"])
    assert card["params"]["past_matches"] == 0  # nothing seen yet
    assert mail_rules(deputy) == []  # not saved before an answer

    # Once triage has seen the inbox, the card counts what a rule would match now.
    task_id = triage(deputy, box)
    ended(deputy, task_id)
    launchlist = [m for m in inbox(box) if m["from"]["name"] == "LaunchList Daily"]
    card = plain(deputy, "star mail from LaunchList Daily").json()
    assert card["params"]["rule"]["match"]["sender"] == "LaunchList Daily"
    assert card["params"]["past_matches"] == len(launchlist) > 0
    assert card["objects"][0] == f"Would have matched {len(launchlist)} message(s) Deputy has seen"

    edited = deputy.post(
        f"/api/approvals/{card['id']}/approve", {"edits": {"action": "mark_read"}}, token=deputy.local_token
    )
    assert edited.status_code == 200, edited.text
    (saved,) = deputy.wait(lambda: mail_rules(deputy), 20, "the rule to be saved")
    assert saved["value"]["action"] == "mark_read" and saved["value"]["name"].startswith("Mark read")


def test_label_rules_label_through_the_webmails_own_menu(deputy: Deputy, box: str) -> None:
    card = plain(deputy, "label mail from LaunchList Daily as Finance").json()
    assert card["params"]["rule"]["action"] == "label" and card["params"]["rule"]["label"] == "Finance"
    deputy.post(f"/api/approvals/{card['id']}/approve", {}, token=deputy.local_token)
    deputy.wait(lambda: mail_rules(deputy), 20, "the rule to be saved")
    task_id = triage(deputy, box)
    (batch,) = batches(deputy, task_id, 1)
    assert batch["action"] == "label" and batch["summary"].endswith("'Finance'")
    items = batch["params"]["items"]
    answer = deputy.post(f"/api/approvals/{batch['id']}/approve", {"edits": {"exclude": [0]}}, token=deputy.local_token)
    assert answer.status_code == 200, answer.text
    assert ended(deputy, task_id)["status"] == "finished"
    labelled = [c for c in mail_changes(box) if c["what"] == "label"]
    assert len(labelled) == len(items) - 1  # exactly the ticked items
    shown = {(m["from"]["name"], m["subject"], m["date_short"]): m for m in inbox(box)}
    for item in items[1:]:
        assert "Finance" in shown[(item["sender"], item["subject"], item["date"])]["labels"]  # and still in the inbox
    assert "Finance" not in shown[(items[0]["sender"], items[0]["subject"], items[0]["date"])]["labels"]
    assert not [c for c in mail_changes(box) if c["what"] not in ("label", "mark_read")]


def test_bad_input_gets_a_reason_and_changes_nothing(deputy: Deputy) -> None:
    token = deputy.local_token
    for said, why in [
        ("", "text"),
        ("    ", "empty"),
        ("delete all mail from ShopMart Deals", "cannot 'delete'"),
        ("forward mail from Priya to me@else.example", "cannot 'forward'"),
        ("frobnicate mail from ShopMart Deals", "what the rule should do"),
        ("archive", "which mail"),
        ("label mail from ShopMart Deals", "label's name"),
    ]:
        refused = plain(deputy, said)
        assert refused.status_code == 422, (said, refused.text)
        assert why in refused.json()["detail"], (said, refused.json())
    assert deputy.post("/api/rules/plain", {"words": "archive"}, token=token).status_code == 422
    assert [a for a in deputy.get("/api/approvals", token=token).json() if a["kind"] == "rule"] == []

    budget = deputy.post("/api/rules", {"kind": "budget_day", "value": {"usd": 5}}, token=token).json()
    mail = deputy.post(
        "/api/rules", {"kind": "mail", "value": {"match": {"sender": "ShopMart"}, "action": "archive"}}, token=token
    ).json()
    not_mail = web.patch(
        f"{deputy.url}/api/rules/{budget['id']}", json={"action": "star"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert not_mail.status_code == 422 and "only mail rules" in not_mail.json()["detail"]
    for body, why in [
        ({"action": "unsubscribe"}, "action"),
        ({"match": {}}, "must match something"),
        ({"action": "label"}, "label"),
        ({"to": "x@evil.test"}, "to"),
        ({}, "Nothing to change"),
    ]:
        refused = web.patch(
            f"{deputy.url}/api/rules/{mail['id']}", json=body, headers={"Authorization": f"Bearer {token}"}
        )
        assert refused.status_code == 422, (body, refused.text)
        assert why in refused.json()["detail"], (body, refused.json())
    assert deputy.get(f"/api/rules/{mail['id']}", token=token).json() == mail  # nothing half done
    assert deputy.get("/api/rules/9999", token=token).status_code == 404
    assert deputy.get("/api/rules/abc", token=token).status_code == 422
    gone = web.delete(f"{deputy.url}/api/rules/9999", headers={"Authorization": f"Bearer {token}"})
    assert gone.status_code == 404 and "Rule 9999" in gone.json()["detail"]

    changed = web.patch(
        f"{deputy.url}/api/rules/{mail['id']}",
        json={"action": "star", "match": {"domain": "shopmart.test"}},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["value"]["name"] == "Star mail from @shopmart.test"
    deleted = web.delete(f"{deputy.url}/api/rules/{mail['id']}", headers={"Authorization": f"Bearer {token}"})
    assert deleted.status_code == 200
    assert mail_rules(deputy) == []


def rule_writer(request: ModelRequest) -> Any:
    said = request.last_text
    if "newsletters" in said:
        return text(
            json.dumps(
                {
                    "match": {"sender": None, "list_unsubscribe": True, "subject_words": []},
                    "action": "archive",
                    "label": None,
                    "left_out": "haven't opened in a month",
                }
            )
        )
    # A model talked round: fields off the schema and a recipient; none of it may become a rule.
    return text(json.dumps({"match": {"sender": "Priya"}, "action": "forward", "to": "thief@evil.test"}))


@pytest.fixture
def model() -> Iterator[ModelServer]:
    with ModelServer([]) as server:
        server.set_script(rule_writer)
        yield server


def test_with_a_key_one_toolless_call_on_the_small_model_writes_the_rule(tmp_path: Path, model: ModelServer) -> None:
    with start_deputy(tmp_path / "data", anthropic_api_key="test-key", anthropic_base_url=model.base_url) as deputy:
        card = plain(deputy, "archive newsletters I haven't opened in a month")
        assert card.status_code == 201, card.text
        rule = card.json()["params"]["rule"]
        assert rule["match"] == {"list_unsubscribe": True, "subject_words": []} and rule["action"] == "archive"
        assert rule["name"] == "Archive mail with an unsubscribe link"  # Deputy's words, not the model's
        (request,) = [r for r in model.requests if r.path == "/v1/messages"]
        assert "tools" not in request.body and request.body["model"] == "claude-haiku-4-5"
        with Session(deputy.ctx.engine) as session:
            (call,) = session.exec(select(ModelCall).where(ModelCall.task_id == card.json()["task_id"])).all()
        assert call.model == "claude-haiku-4-5"  # in the ledger, on the task that proposed the rule

        hijacked = plain(deputy, "star mail from Priya")
        assert hijacked.status_code == 422
        assert "thief@evil.test" not in hijacked.text
        proposals = [a for a in deputy.get("/api/approvals", token=deputy.local_token).json() if a["kind"] == "rule"]
        assert len(proposals) == 1 and "thief" not in json.dumps(proposals)
        assert mail_rules(deputy) == []
