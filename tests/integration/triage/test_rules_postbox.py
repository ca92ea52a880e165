"""Rules that learn, and plain-English rules, on Postbox: a server-rendered webmail with no profile, no
labels and forms instead of a JSON API. The same habits make the same proposals; a label it cannot apply
is listed as not done, never faked.
"""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from backend.servers import ThreadedServer
from tests.integration.triage.conftest import batches, ended, triage
from tests.live import Deputy, start_deputy
from tests.model_server import ModelRequest, ModelServer, text
from tests.seeding import approved_before
from tests.sites.postbox import client

pytestmark = pytest.mark.slow

LEARNT = "Riverside Library"


def library_reader(request: ModelRequest) -> Any:
    items = []
    for line in request.last_text.splitlines():
        if not line.startswith("{"):
            continue
        message = json.loads(line)
        if message["from"] == LEARNT:
            items.append({"i": message["i"], "c": "newsletters", "a": "archive", "s": "Library events", "x": ""})
        elif "ASSISTANT" in message["preview"] or "Account Services" in message["from"]:
            items.append({"i": message["i"], "c": "security", "a": "archive", "s": "Orders", "x": "orders"})
        else:
            items.append({"i": message["i"], "c": "personal", "a": "none", "s": "Mail", "x": ""})
    return text(json.dumps({"m": items}))


@pytest.fixture
def model() -> Iterator[ModelServer]:
    with ModelServer([]) as server:
        server.set_script(library_reader)
        yield server


@pytest.fixture
def postbox(postbox_server: ThreadedServer) -> str:
    client.reset(postbox_server.url)
    return postbox_server.url


def mail_rules(deputy: Deputy) -> list[dict[str, Any]]:
    return [r for r in deputy.get("/api/rules", token=deputy.local_token).json() if r["kind"] == "mail"]


def rule_proposals(deputy: Deputy) -> list[dict[str, Any]]:
    return [a for a in deputy.get("/api/approvals", token=deputy.local_token).json() if a["kind"] == "rule"]


def test_three_approvals_on_postbox_propose_one_rule_that_sorts_the_next_inbox(
    tmp_path: Path, model: ModelServer, postbox: str
) -> None:
    library = [
        m
        for m in client.messages(postbox)
        if m["folder"] == "inbox" and m["sender"].endswith("@riverside-library.example")
    ]
    with start_deputy(tmp_path / "data", anthropic_api_key="test-key", anthropic_base_url=model.base_url) as deputy:
        # The third triage is live; the two approvals before it are history, of the batch it proposes.
        client.reset(postbox)
        task_id = triage(deputy, f"{postbox}/folder/inbox")
        (batch,) = batches(deputy, task_id, 1)
        assert {i["sender"] for i in batch["params"]["items"]} == {LEARNT}
        for _ in range(2):
            assert approved_before(deputy, batch["id"]) is None
            assert rule_proposals(deputy) == []
        deputy.post(f"/api/approvals/{batch['id']}/approve", {}, token=deputy.local_token)
        assert ended(deputy, task_id)["status"] == "finished"
        (proposal,) = rule_proposals(deputy)
        assert proposal["params"]["rule"]["match"]["sender"] == LEARNT
        assert proposal["params"]["past_matches"] == len(library)
        deputy.post(f"/api/approvals/{proposal['id']}/approve", {}, token=deputy.local_token)
        (saved,) = deputy.wait(lambda: mail_rules(deputy), 20, "the rule to be saved")

        client.reset(postbox)
        before = len(model.requests)
        task_id = triage(deputy, f"{postbox}/folder/inbox")
        (batch,) = batches(deputy, task_id, 1)
        assert {i["rule_id"] for i in batch["params"]["items"]} == {saved["id"]}
        assert all(LEARNT not in json.dumps(r.body) for r in model.requests[before:])
        deputy.post(f"/api/approvals/{batch['id']}/approve", {}, token=deputy.local_token)
        assert ended(deputy, task_id)["status"] == "finished"
        moved = [c for c in client.changes(postbox) if c["what"] == "move"]
        assert len(moved) == len(library)
        # The phisher's mail was flagged every time: no rule was ever learnt from it.
        assert len(rule_proposals(deputy)) == 1


def test_plain_rules_on_postbox_and_a_label_it_cannot_apply_is_listed(tmp_path: Path, postbox: str) -> None:
    with start_deputy(tmp_path / "data") as deputy:
        ended(deputy, triage(deputy, f"{postbox}/folder/inbox"))  # triage has seen the inbox once
        card = deputy.post("/api/rules/plain", {"text": "flag mail from Priya Nair"}, token=deputy.local_token)
        assert card.status_code == 201, card.text
        priya = [
            m
            for m in client.messages(postbox)
            if m["sender"] == "priya@harbourlane-studio.example" and m["folder"] == "inbox"
        ]
        assert card.json()["params"]["past_matches"] == len(priya) > 0
        label = deputy.post(
            "/api/rules/plain", {"text": "label mail from Riverside Library as Events"}, token=deputy.local_token
        ).json()
        for proposal in (card.json(), label):
            deputy.post(f"/api/approvals/{proposal['id']}/approve", {}, token=deputy.local_token)
        deputy.wait(lambda: len(mail_rules(deputy)) == 2, 20, "both rules to be saved")

        task_id = triage(deputy, f"{postbox}/folder/inbox")
        found = batches(deputy, task_id, 2)
        for batch in found:
            deputy.post(f"/api/approvals/{batch['id']}/approve", {}, token=deputy.local_token)
        assert ended(deputy, task_id)["status"] == "finished"
        labelled = next(b for b in found if b["action"] == "label")
        told = deputy.get(f"/api/approvals/{labelled['id']}", token=deputy.local_token).json()
        assert "this site shows no control to label mail" in told["outcome"]
        assert told["outcome"].startswith("Partly done: Label: 0 of")
        changes = client.changes(postbox)
        assert [c["what"] for c in changes] == ["flag"] * len(priya)  # the flags; nothing made up for the label
