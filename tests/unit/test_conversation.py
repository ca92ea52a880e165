"""How the conversation keeps the prompt cacheable and small, without ever losing the instruction or the page."""

from backend.agent.conversation import DROPPED, Conversation, page_view
from backend.browser.snapshot import UNTRUSTED_CLOSE, UNTRUSTED_OPEN, Snapshot


def snapshot(url: str, lines: list[str], fingerprint: str) -> Snapshot:
    text = "\n".join([UNTRUSTED_OPEN, f"URL: {url}", *lines, UNTRUSTED_CLOSE])
    return Snapshot(url=url, title="t", text=text, elements={}, fingerprint=fingerprint)


def test_unchanged_page_is_not_sent_again() -> None:
    page = snapshot("http://a/", ['[e1] button "Archive"'], "f1")
    assert "did not change" in page_view(page, page)


def test_small_changes_are_sent_as_a_diff_inside_the_untrusted_wrapper() -> None:
    rows = [f'- [e{n}] checkbox "Select" | row {n}' for n in range(20)]
    before = snapshot("http://a/", rows, "f1")
    after = snapshot("http://a/", [*rows[:3], '- [e3] checkbox "Select" checked | row 3', *rows[4:]], "f2")
    view = page_view(after, before)
    assert "changed" in view
    assert '+- [e3] checkbox "Select" checked | row 3' in view
    assert view.index(UNTRUSTED_OPEN) < view.index("+- [e3]") < view.index(UNTRUSTED_CLOSE)
    assert "row 10" not in view


def test_a_new_page_is_sent_whole() -> None:
    before = snapshot("http://a/", ["one"], "f1")
    after = snapshot("http://b/", ["two"], "f2")
    assert page_view(after, before).endswith(after.text)


def test_old_snapshots_are_dropped_in_batches_and_the_instruction_and_latest_page_stay() -> None:
    convo = Conversation("system", [{"name": "t", "description": "d", "input_schema": {"type": "object"}}])
    convo.start("Archive the newsletters", None, page_view(snapshot("http://a/", ["p0"], "f0"), None))
    for n in range(1, 9):
        convo.add_reply([{"type": "tool_use", "id": f"u{n}", "name": "t", "input": {}}])
        convo.add_results(
            [{"type": "tool_result", "tool_use_id": f"u{n}", "content": "ok"}],
            page_view(snapshot(f"http://a/{n}", [f"p{n}"], f"f{n}"), None),
        )
        convo.add_reply([{"type": "tool_use", "id": f"v{n}", "name": "t", "input": {}}])
        convo.add_results(
            [{"type": "tool_result", "tool_use_id": f"v{n}", "content": "ok"}],
            "[page snapshot] The page did not change (x).",
        )
    texts = [b["text"] for m in convo.messages if m["role"] == "user" for b in m["content"] if b.get("type") == "text"]
    assert texts[0].startswith("The task, from the person you work for:\nArchive the newsletters")
    assert any("p8" in t for t in texts)
    assert any("p7" in t for t in texts)
    assert not any("p2" in t for t in texts)
    assert DROPPED in texts
    request = convo.request()
    assert request["messages"][-1]["content"][-1]["cache_control"] == {"type": "ephemeral"}
    assert sum("cache_control" in b for m in request["messages"] for b in m["content"]) == 1
    assert "cache_control" not in convo.messages[-1]["content"][-1]  # the stored history stays unmarked
