"""The request checks of the Messages API, so a conversation Deputy builds wrong fails here as it would there.

Messages quoted from the real API: missing fields ("max_tokens: Field required"), turn order, non-empty
text, the tool_use/tool_result pairing and the limit of 4 cache_control blocks. Checks whose real wording
is not known use the same `path: problem` form.

One deliberate strictness: the API now merges consecutive turns of the same role, but this server rejects
them with the API's older error, because Deputy's loop should never produce them.
"""

import itertools
import re
from typing import Any

from .tokens import Block, cache_controls, content_blocks

MAX_BREAKPOINTS = 4
TOOL_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
BLOCK_TYPES = {
    "user": {"text", "image", "document", "tool_result"},
    "assistant": {"text", "tool_use", "thinking", "redacted_thinking"},
}


class InvalidRequest(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_messages_request(body: Any) -> dict[str, Any]:
    """The body of a valid POST /v1/messages, or InvalidRequest saying what is wrong."""
    prompt = _check_prompt(body)
    if "max_tokens" not in prompt:
        raise InvalidRequest("max_tokens: Field required")
    max_tokens = prompt["max_tokens"]
    if not isinstance(max_tokens, int) or isinstance(max_tokens, bool):
        raise InvalidRequest("max_tokens: Input should be a valid integer")
    if max_tokens < 1:
        raise InvalidRequest("max_tokens: Input should be greater than or equal to 1")
    if not isinstance(prompt.get("stream", False), bool):
        raise InvalidRequest("stream: Input should be a valid boolean")
    return prompt


def check_count_request(body: Any) -> dict[str, Any]:
    """The body of a valid POST /v1/messages/count_tokens."""
    return _check_prompt(body)


def _check_prompt(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise InvalidRequest("The request body must be a JSON object.")
    if not isinstance(body.get("model"), str) or not body["model"]:
        raise InvalidRequest("model: Field required")
    tool_names = _check_tools(body.get("tools"))
    _check_system(body.get("system"))
    _check_messages(body.get("messages"), has_tools=bool(tool_names))
    _check_cache_control(body)
    return body


def _check_tools(tools: Any) -> set[str]:
    if tools is None:
        return set()
    if not isinstance(tools, list):
        raise InvalidRequest("tools: Input should be a valid list")
    names: set[str] = set()
    for i, tool in enumerate(tools):
        if not isinstance(tool, dict) or not isinstance(tool.get("name"), str):
            raise InvalidRequest(f"tools.{i}.name: Field required")
        if not TOOL_NAME.match(tool["name"]):
            raise InvalidRequest(f"tools.{i}.name: String should match pattern '{TOOL_NAME.pattern}'")
        if tool.get("type", "custom") == "custom" and not isinstance(tool.get("input_schema"), dict):
            raise InvalidRequest(f"tools.{i}.input_schema: Field required")
        if tool["name"] in names:
            raise InvalidRequest("tools: Tool names must be unique.")
        names.add(tool["name"])
    return names


def _check_system(system: Any) -> None:
    if system is None or isinstance(system, str):
        return
    if not isinstance(system, list):
        raise InvalidRequest("system: Input should be a valid string or list")
    for i, block in enumerate(system):
        if not isinstance(block, dict) or block.get("type") != "text" or not isinstance(block.get("text"), str):
            raise InvalidRequest(f"system.{i}: Input should be a text block")
        if not block["text"]:
            raise InvalidRequest("system: text content blocks must be non-empty")


def _check_messages(messages: Any, *, has_tools: bool) -> None:
    if messages is None:
        raise InvalidRequest("messages: Field required")
    if not isinstance(messages, list):
        raise InvalidRequest("messages: Input should be a valid list")
    if not messages:
        raise InvalidRequest("messages: at least one message is required")
    for i, message in enumerate(messages):
        _check_message(i, message, last=i == len(messages) - 1)
    if messages[0]["role"] != "user":
        raise InvalidRequest('messages: first message must use the "user" role')
    for previous, message in itertools.pairwise(messages):
        if previous["role"] == message["role"]:
            raise InvalidRequest(
                'messages: roles must alternate between "user" and "assistant", '
                f'but found multiple "{message["role"]}" roles in a row'
            )
    _check_tool_pairing(messages, has_tools=has_tools)


def _check_message(i: int, message: Any, *, last: bool) -> None:
    if not isinstance(message, dict):
        raise InvalidRequest(f"messages.{i}: Input should be a valid dictionary")
    role = message.get("role")
    if role is None:
        raise InvalidRequest(f"messages.{i}.role: Field required")
    if role not in BLOCK_TYPES:
        raise InvalidRequest(f"messages.{i}.role: Input should be 'user' or 'assistant'")
    content = message.get("content")
    if content is None:
        raise InvalidRequest(f"messages.{i}.content: Field required")
    if not isinstance(content, str | list):
        raise InvalidRequest(f"messages.{i}.content: Input should be a valid string or list")
    if not content:
        if last and role == "assistant":
            return
        raise InvalidRequest(
            f"messages.{i}: all messages must have non-empty content except for the optional final assistant message"
        )
    for j, block in enumerate(content_blocks(content)):
        _check_block(f"messages.{i}.content.{j}", role, block)
    final = content_blocks(content)[-1]
    if last and role == "assistant" and final.get("type") == "text" and final["text"] != final["text"].rstrip():
        raise InvalidRequest("messages: final assistant content cannot end with trailing whitespace")


def _check_block(path: str, role: str, block: Any) -> None:
    if not isinstance(block, dict) or not isinstance(block.get("type"), str):
        raise InvalidRequest(f"{path}.type: Field required")
    kind = block["type"]
    if kind not in BLOCK_TYPES[role]:
        raise InvalidRequest(f"{path}: `{kind}` blocks are not allowed in `{role}` messages")
    if kind == "text":
        if not isinstance(block.get("text"), str):
            raise InvalidRequest(f"{path}.text: Field required")
        if not block["text"]:
            raise InvalidRequest("messages: text content blocks must be non-empty")
        if not block["text"].strip():
            raise InvalidRequest("messages: text content blocks must contain non-whitespace text")
    elif kind == "tool_use":
        for field, expected in (("id", str), ("name", str), ("input", dict)):
            if not isinstance(block.get(field), expected):
                raise InvalidRequest(f"{path}.{field}: Field required")
    elif kind == "tool_result" and not isinstance(block.get("tool_use_id"), str):
        raise InvalidRequest(f"{path}.tool_use_id: Field required")


def _check_tool_pairing(messages: list[dict[str, Any]], *, has_tools: bool) -> None:
    seen: set[str] = set()
    expected: list[str] = []
    for i, message in enumerate(messages):
        blocks = content_blocks(message["content"])
        if any(block["type"] in ("tool_use", "tool_result") for block in blocks) and not has_tools:
            raise InvalidRequest("Requests which include `tool_use` or `tool_result` blocks must define tools.")
        if message["role"] == "assistant":
            expected = []
            for j, block in enumerate(blocks):
                if block["type"] != "tool_use":
                    continue
                if block["id"] in seen:
                    raise InvalidRequest(f"messages.{i}.content.{j}: `tool_use` ids must be unique")
                seen.add(block["id"])
                expected.append(block["id"])
            if expected and i == len(messages) - 1:
                _raise_missing_results(i, expected)
            continue
        _check_results(i, blocks, expected)
        expected = []


def _check_results(i: int, blocks: list[Block], expected: list[str]) -> None:
    for j, block in enumerate(blocks):
        if block["type"] == "tool_result" and block["tool_use_id"] not in expected:
            raise InvalidRequest(
                f"messages.{i}.content.{j}: unexpected `tool_use_id` found in `tool_result` blocks: "
                f"{block['tool_use_id']}. Each `tool_result` block must have a corresponding `tool_use` block "
                "in the previous message."
            )
    answered = {block["tool_use_id"] for block in blocks if block["type"] == "tool_result"}
    missing = [tool_id for tool_id in expected if tool_id not in answered]
    if missing:
        _raise_missing_results(i - 1, missing)
    leading = 0
    while leading < len(blocks) and blocks[leading]["type"] == "tool_result":
        leading += 1
    if leading < len(answered):
        raise InvalidRequest(
            f"messages.{i}: Did not find {len(expected)} tool_result block(s) at the beginning of this message. "
            "Messages following tool_use blocks must begin with a matching number of tool_result blocks."
        )


def _raise_missing_results(i: int, missing: list[str]) -> None:
    raise InvalidRequest(
        f"messages.{i}: `tool_use` ids were found without `tool_result` blocks immediately after: "
        f"{', '.join(missing)}. Each `tool_use` block must have a corresponding `tool_result` block "
        "in the next message."
    )


def _check_cache_control(body: dict[str, Any]) -> None:
    markers = [tool.get("cache_control") for tool in body.get("tools") or [] if "cache_control" in tool]
    for block in content_blocks(body.get("system") or []):
        markers += list(cache_controls(block))
    for message in body["messages"]:
        for block in content_blocks(message["content"]):
            markers += list(cache_controls(block))
    if "cache_control" in body and body["cache_control"] is not None:
        markers.append(body["cache_control"])
    for marker in markers:
        if not isinstance(marker, dict) or marker.get("type") != "ephemeral":
            raise InvalidRequest("cache_control.type: Input should be 'ephemeral'")
        if marker.get("ttl", "5m") not in ("5m", "1h"):
            raise InvalidRequest("cache_control.ttl: Input should be '5m' or '1h'")
    if len(markers) > MAX_BREAKPOINTS:
        raise InvalidRequest(
            f"A maximum of {MAX_BREAKPOINTS} blocks with cache_control may be provided. Found {len(markers)}."
        )
