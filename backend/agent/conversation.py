"""The conversation sent to the model, shaped for the prompt cache.

The prefix (tools, system, the person's instruction) never changes, and each request moves one cache
breakpoint to its last block, so from the second call on nearly all input is read from the cache. Pages
are sent only when they changed, as a diff of the previous snapshot when that is smaller, and old
snapshots are dropped in batches (each drop costs one cache rebuild, so not every step).
"""

import copy
import difflib
import json
from dataclasses import dataclass, field
from typing import Any

from backend.browser.snapshot import UNTRUSTED_CLOSE, UNTRUSTED_OPEN, Snapshot

SNAPSHOT_MARK = "[page snapshot]"
DROPPED = "[An earlier page snapshot was here; it was dropped to save tokens.]"
KEEP_SNAPSHOTS = 2  # full snapshots kept when old ones are dropped
DROP_AFTER = 5  # drop old snapshots once this many full ones are in the history
DIFF_SHARE = 0.4  # send a diff when fewer than this share of the page's lines changed


def cached(block: dict[str, Any]) -> dict[str, Any]:
    return {**block, "cache_control": {"type": "ephemeral"}}


def page_view(snapshot: Snapshot, previous: Snapshot | None) -> str:
    """What the model is told about the page: nothing new, a diff, or the whole snapshot."""
    if previous is not None and previous.fingerprint == snapshot.fingerprint:
        return f"{SNAPSHOT_MARK} The page did not change ({snapshot.url})."
    if previous is not None and previous.url == snapshot.url:
        old, new = _page_lines(previous.text), _page_lines(snapshot.text)
        changed = [
            line
            for line in difflib.unified_diff(old, new, lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))
        ]
        if changed and len(changed) < DIFF_SHARE * max(len(new), 1):
            body = "\n".join(changed)
            return (
                f"{SNAPSHOT_MARK} The page changed ({snapshot.url}); lines removed (-) and added (+) since the "
                f"last snapshot:\n{UNTRUSTED_OPEN}\n{body}\n{UNTRUSTED_CLOSE}"
            )
    return f"{SNAPSHOT_MARK}\n{snapshot.text}"


def _page_lines(text: str) -> list[str]:
    lines = text.splitlines()
    if UNTRUSTED_OPEN in lines and UNTRUSTED_CLOSE in lines:
        return lines[lines.index(UNTRUSTED_OPEN) + 1 : lines.index(UNTRUSTED_CLOSE)]
    return lines


@dataclass
class Conversation:
    system: str
    tools: list[dict[str, Any]]
    messages: list[dict[str, Any]] = field(default_factory=list)

    def start(self, instruction: str, url: str | None, page: str) -> None:
        task = f"The task, from the person you work for:\n{instruction}"
        if url:
            task += f"\n(Start page: {url})"
        self.messages.append(
            {"role": "user", "content": [{"type": "text", "text": task}, {"type": "text", "text": page}]}
        )

    def add_reply(self, content: list[dict[str, Any]]) -> None:
        self.messages.append({"role": "assistant", "content": content})

    def add_results(self, results: list[dict[str, Any]], page: str | None, note: str | None = None) -> None:
        content = list(results)
        for text in (page, note):
            if text:
                content.append({"type": "text", "text": text})
        self.messages.append({"role": "user", "content": content})
        self._drop_old_snapshots()

    def _page_blocks(self) -> list[dict[str, Any]]:
        return [
            block
            for message in self.messages
            if message["role"] == "user"
            for block in message["content"]
            if block.get("type") == "text" and block["text"].startswith(SNAPSHOT_MARK)
        ]

    def _drop_old_snapshots(self) -> None:
        """Once DROP_AFTER full snapshots are in the history, keep the last KEEP_SNAPSHOTS and what follows."""
        pages = self._page_blocks()
        full = [i for i, block in enumerate(pages) if block["text"].startswith(SNAPSHOT_MARK + "\n")]
        if len(full) < DROP_AFTER:
            return
        for block in pages[: full[-KEEP_SNAPSHOTS]]:
            block["text"] = DROPPED

    def request(self) -> dict[str, Any]:
        """System, tools and messages with cache breakpoints: end of tools, end of system, last block."""
        tools = [*self.tools[:-1], cached(self.tools[-1])] if self.tools else []
        messages = copy.deepcopy(self.messages)
        last = messages[-1]["content"]
        last[-1] = cached(last[-1])
        return {"system": [cached({"type": "text", "text": self.system})], "tools": tools, "messages": messages}


def size_bytes(request: dict[str, Any]) -> int:
    return len(json.dumps(request, ensure_ascii=False).encode())
