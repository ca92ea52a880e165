"""How a scripted reply goes on the wire: the Message JSON and the SSE event sequence of the Messages API."""

import json
from collections.abc import Callable, Iterator
from typing import Any

from .cache import CacheUsage
from .script import Failure, Reply, TextPart
from .tokens import Block, output_block_tokens, output_tokens

TEXT_CHUNK = 24
JSON_CHUNK = 16


def error_body(error_type: str, message: str, request_id: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": error_type, "message": message}, "request_id": request_id}


def _blocks(reply: Reply, new_id: Callable[[str], str]) -> list[Block]:
    return [
        {"type": "text", "text": part.text}
        if isinstance(part, TextPart)
        else {"type": "tool_use", "id": part.id or new_id("toolu"), "name": part.name, "input": part.input}
        for part in reply.parts
    ]


def _fit(blocks: list[Block], max_tokens: int) -> tuple[list[Block], bool]:
    """The blocks that fit in max_tokens, a text cut at the limit, and whether anything was cut."""
    kept: list[Block] = []
    used = 0
    for block in blocks:
        cost = output_block_tokens(block)
        if used + cost <= max_tokens:
            kept.append(block)
            used += cost
            continue
        room = (max_tokens - used) * 4
        if block["type"] == "text" and room > 0:
            kept.append({"type": "text", "text": block["text"].encode()[:room].decode("utf-8", "ignore")})
        return kept, True
    return kept, False


def usage_json(cache: CacheUsage, output: int) -> dict[str, Any]:
    return {
        "input_tokens": cache.uncached,
        "cache_creation_input_tokens": cache.written,
        "cache_read_input_tokens": cache.read,
        "cache_creation": {
            "ephemeral_5m_input_tokens": cache.written_5m,
            "ephemeral_1h_input_tokens": cache.written_1h,
        },
        "output_tokens": output,
        "service_tier": "standard",
    }


def message_json(
    reply: Reply, *, model: str, max_tokens: int, cache: CacheUsage, new_id: Callable[[str], str]
) -> dict[str, Any]:
    content, cut = _fit(_blocks(reply, new_id), max_tokens)
    stop_reason = reply.stop_reason or ("tool_use" if any(b["type"] == "tool_use" for b in content) else "end_turn")
    return {
        "id": new_id("msg"),
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": "max_tokens" if cut else stop_reason,
        "stop_sequence": None,
        "usage": usage_json(cache, max_tokens if cut else output_tokens(content)),
    }


def _frame(event: str, data: dict[str, Any]) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def _chunks(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


def sse_frames(message: dict[str, Any], failure: Failure | None, request_id: str) -> Iterator[str]:
    """The stream of one message; with a failure, the stream breaks off with an `error` event after the start."""
    usage = message["usage"]
    start_usage = {**usage, "output_tokens": 1}
    start = {**message, "content": [], "stop_reason": None, "stop_sequence": None, "usage": start_usage}
    yield _frame("message_start", {"type": "message_start", "message": start})
    yield _frame("ping", {"type": "ping"})
    if failure is not None:
        yield _frame("error", error_body(failure.error_type, failure.message, request_id))
        return
    for index, block in enumerate(message["content"]):
        if block["type"] == "text":
            opening: Block = {"type": "text", "text": ""}
            deltas = [{"type": "text_delta", "text": piece} for piece in _chunks(block["text"], TEXT_CHUNK)]
        else:
            opening = {**block, "input": {}}
            pieces = ["", *_chunks(json.dumps(block["input"], ensure_ascii=False), JSON_CHUNK)]
            deltas = [{"type": "input_json_delta", "partial_json": piece} for piece in pieces]
        yield _frame("content_block_start", {"type": "content_block_start", "index": index, "content_block": opening})
        for delta in deltas:
            yield _frame("content_block_delta", {"type": "content_block_delta", "index": index, "delta": delta})
        yield _frame("content_block_stop", {"type": "content_block_stop", "index": index})
    cumulative = {key: usage[key] for key in ("input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens")}
    yield _frame(
        "message_delta",
        {
            "type": "message_delta",
            "delta": {"stop_reason": message["stop_reason"], "stop_sequence": message["stop_sequence"]},
            "usage": {**cumulative, "output_tokens": usage["output_tokens"]},
        },
    )
    yield _frame("message_stop", {"type": "message_stop"})
