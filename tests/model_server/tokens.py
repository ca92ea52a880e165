"""The offline token estimate that Deputy's scripted model server reports as usage.

Claude's tokenizer is not public, so the server uses one documented, deterministic estimate:

- The prompt is cut into units in the API's prefix order: each tool definition, then each system block
  (a system string is one text block), then each content block of each message (a string content is one
  text block).
- A unit costs ceil(UTF-8 bytes / 4) of its compact JSON (keys sorted, `cache_control` removed, because
  marking a breakpoint does not change the prompt). An image costs a flat IMAGE_TOKENS; a tool_result
  costs its own JSON without `content` plus the cost of each content part.
- The reply costs ceil(UTF-8 bytes / 4) of each text, and of `{"input": ..., "name": ...}` for each
  tool_use; at least 1 token, as the real API never reports 0.
"""

import hashlib
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

IMAGE_TOKENS = 1600
"""The API bills an image by its pixels (about width*height/750, capped near 1600), not its base64 size."""

Block = dict[str, Any]


@dataclass(frozen=True)
class Unit:
    """One unit of the prompt, with what the cache needs to know about the prefix it ends."""

    tokens: int
    prefix_tokens: int
    """Tokens from the start of the prompt through this unit."""
    digest: str
    """A hash of the whole prefix through this unit: equal digests mean an identical prefix."""
    cache_ttl: str | None
    """"5m" or "1h" when this unit carries a cache_control breakpoint."""


def estimate_text(text: str) -> int:
    return math.ceil(len(text.encode("utf-8")) / 4)


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_blocks(content: str | list[Block]) -> list[Block]:
    return [{"type": "text", "text": content}] if isinstance(content, str) else content


def cache_controls(block: Block) -> Iterator[Any]:
    """The cache_control markers a block carries: its own, and those of a tool_result's content parts."""
    if "cache_control" in block:
        yield block["cache_control"]
    if block.get("type") == "tool_result" and isinstance(block.get("content"), list):
        for part in block["content"]:
            if isinstance(part, dict) and "cache_control" in part:
                yield part["cache_control"]


def _strip(block: Block) -> Block:
    stripped = {key: value for key, value in block.items() if key != "cache_control"}
    if block.get("type") == "tool_result" and isinstance(block.get("content"), list):
        stripped["content"] = [_strip(part) if isinstance(part, dict) else part for part in block["content"]]
    return stripped


def block_tokens(block: Block) -> int:
    if block.get("type") == "image":
        return IMAGE_TOKENS
    content = block.get("content")
    if block.get("type") == "tool_result" and isinstance(content, list):
        shell = {key: value for key, value in block.items() if key != "content"}
        return block_tokens(shell) + sum(block_tokens(part) for part in content)
    return estimate_text(canonical(_strip(block)))


def prompt_units(body: dict[str, Any]) -> list[Unit]:
    """The prompt of a valid request as units in prefix order: tools, system, then messages."""
    labelled: list[tuple[str, Block]] = [(f"tools.{i}", tool) for i, tool in enumerate(body.get("tools") or [])]
    labelled += [(f"system.{i}", block) for i, block in enumerate(content_blocks(body.get("system") or []))]
    for i, message in enumerate(body["messages"]):
        blocks = content_blocks(message["content"])
        labelled += [(f"messages.{i}.{message['role']}.{j}", block) for j, block in enumerate(blocks)]
    # Top-level cache_control is automatic caching: a breakpoint on the last cacheable block.
    automatic = body.get("cache_control")
    units: list[Unit] = []
    digest, total = "", 0
    for position, (label, block) in enumerate(labelled):
        markers = list(cache_controls(block))
        if automatic and position == len(labelled) - 1:
            markers.append(automatic)
        tokens = block_tokens(block)
        total += tokens
        # The label carries position and role, so the same text as user or assistant is a different prefix.
        digest = hashlib.sha256(f"{digest}\x00{label}\x00{canonical(_strip(block))}".encode()).hexdigest()
        ttl = None
        if markers:
            ttl = "1h" if any(marker.get("ttl") == "1h" for marker in markers) else "5m"
        units.append(Unit(tokens=tokens, prefix_tokens=total, digest=digest, cache_ttl=ttl))
    return units


def input_tokens(body: dict[str, Any]) -> int:
    units = prompt_units(body)
    return units[-1].prefix_tokens if units else 0


def output_block_tokens(block: Block) -> int:
    if block["type"] == "text":
        return estimate_text(block["text"])
    return estimate_text(canonical({"input": block["input"], "name": block["name"]}))


def output_tokens(content: list[Block]) -> int:
    return max(1, sum(output_block_tokens(block) for block in content))
