"""The scripted model server, exercised end to end through the real anthropic SDK."""

from typing import Any

import anthropic
import pytest

from backend.clock import ManualClock
from tests import web
from tests.model_server import IMAGE_TOKENS, ModelRequest, ModelServer, Reply, error, forever, text, tool_use

MODEL = "claude-sonnet-4-6"
TOOLS: list[Any] = [
    {
        "name": "open_page",
        "description": "Open a page in the agent's browser and return its snapshot.",
        "input_schema": {"type": "object", "properties": {"url": {"type": "string"}}, "required": ["url"]},
    },
    {
        "name": "click",
        "description": "Click an element from the page snapshot.",
        "input_schema": {"type": "object", "properties": {"ref": {"type": "string"}}, "required": ["ref"]},
    },
]
# About 1,600 tokens by the server's estimate: above Sonnet's minimum cacheable prefix, below Haiku's.
LONG_SYSTEM = "You are Deputy, a careful web agent. Ask before anything consequential. " * 90
INBOX_URL = "http://mail.test/inbox"


def client(server: ModelServer) -> anthropic.Anthropic:
    return anthropic.Anthropic(base_url=server.base_url, api_key="test", max_retries=0)


def cached_system(text_: str = LONG_SYSTEM) -> list[Any]:
    return [{"type": "text", "text": text_, "cache_control": {"type": "ephemeral"}}]


def ask(instruction: str = "Triage my inbox.") -> list[Any]:
    return [{"role": "user", "content": instruction}]


def react_to_snapshot(request: ModelRequest) -> Reply:
    """A model that reads the page snapshot Deputy sent back before deciding."""
    (result,) = request.tool_results
    return text("The inbox has 3 unread messages.") if "Inbox" in result.text else text("I could not open the inbox.")


TOOL_ROUND_TRIP = [tool_use("open_page", {"url": INBOX_URL}), react_to_snapshot]


def answer_tool_uses(message: Any, snapshot: str) -> list[Any]:
    results = [{"type": "tool_result", "tool_use_id": block.id, "content": snapshot} for block in message.content]
    return [message.to_param(), {"role": "user", "content": results}]


def test_plain_text_reply_echoes_the_model_and_reports_usage() -> None:
    with ModelServer(text("Hello from the scripted model.")) as server:
        message = client(server).messages.create(model=MODEL, max_tokens=64, messages=ask("Say hello."))
    assert message.content[0].type == "text"
    assert message.content[0].text == "Hello from the scripted model."
    assert message.model == MODEL
    assert message.id.startswith("msg_")
    assert (message.stop_reason, message.stop_sequence) == ("end_turn", None)
    assert message.usage.input_tokens > 0
    assert message.usage.output_tokens == 8
    assert (message.usage.cache_creation_input_tokens, message.usage.cache_read_input_tokens) == (0, 0)


def test_tool_use_round_trip_as_json() -> None:
    with ModelServer(TOOL_ROUND_TRIP) as server:
        sdk = client(server)
        first = sdk.messages.create(model=MODEL, max_tokens=256, tools=TOOLS, messages=ask())
        assert first.stop_reason == "tool_use"
        (use,) = first.content
        assert use.type == "tool_use"
        assert (use.name, use.input) == ("open_page", {"url": INBOX_URL})
        assert use.id.startswith("toolu_")
        conversation = ask() + answer_tool_uses(first, "Inbox (3 unread)")
        final = sdk.messages.create(model=MODEL, max_tokens=256, tools=TOOLS, messages=conversation)
        sent = server.message_requests[-1].body
    assert final.stop_reason == "end_turn"
    assert final.content[0].type == "text"
    assert final.content[0].text == "The inbox has 3 unread messages."
    assert sent["messages"][2]["content"][0]["tool_use_id"] == use.id


def test_streaming_gives_the_same_message_and_usage_as_json() -> None:
    def run_json() -> list[anthropic.types.Message]:
        with ModelServer(TOOL_ROUND_TRIP) as server:
            sdk = client(server)
            first = sdk.messages.create(model=MODEL, max_tokens=256, tools=TOOLS, messages=ask())
            conversation = ask() + answer_tool_uses(first, "Inbox (3 unread)")
            return [first, sdk.messages.create(model=MODEL, max_tokens=256, tools=TOOLS, messages=conversation)]

    def run_stream() -> tuple[list[anthropic.types.Message], list[str]]:
        events: list[str] = []
        with ModelServer(TOOL_ROUND_TRIP) as server:
            sdk = client(server)
            with sdk.messages.stream(model=MODEL, max_tokens=256, tools=TOOLS, messages=ask()) as stream:
                events += [event.type for event in stream]
                first = stream.get_final_message()
            conversation = ask() + answer_tool_uses(first, "Inbox (3 unread)")
            with sdk.messages.stream(model=MODEL, max_tokens=256, tools=TOOLS, messages=conversation) as stream:
                final = stream.get_final_message()
            return [first, final], events

    as_json = run_json()
    streamed, events = run_stream()
    assert events[0] == "message_start"
    assert {"content_block_start", "input_json", "content_block_stop", "message_delta", "message_stop"} <= set(events)
    for plain, stream_message in zip(as_json, streamed, strict=True):
        assert stream_message.stop_reason == plain.stop_reason
        assert stream_message.usage.model_dump() == plain.usage.model_dump()
    assert streamed[0].content[0].type == "tool_use"
    assert streamed[0].content[0].input == {"url": INBOX_URL}
    assert streamed[1].content[0].type == "text"
    assert streamed[1].content[0].text == "The inbox has 3 unread messages."


async def test_async_client_streams_a_tool_use_round_trip() -> None:
    with ModelServer(TOOL_ROUND_TRIP) as server:
        sdk = anthropic.AsyncAnthropic(base_url=server.base_url, api_key="test", max_retries=0)
        async with sdk.messages.stream(model=MODEL, max_tokens=256, tools=TOOLS, messages=ask()) as stream:
            first = await stream.get_final_message()
        conversation = ask() + answer_tool_uses(first, "Inbox (3 unread)")
        final = await sdk.messages.create(model=MODEL, max_tokens=256, tools=TOOLS, messages=conversation)
        await sdk.close()
    assert first.stop_reason == "tool_use"
    assert final.content[0].type == "text"
    assert final.content[0].text == "The inbox has 3 unread messages."


def test_several_tool_uses_in_one_turn_each_get_their_own_id() -> None:
    turn = text("Opening the inbox, then the first mail.") + tool_use("open_page", {"url": INBOX_URL})
    turn += tool_use("click", {"ref": "e12"})
    with ModelServer(turn) as server:
        message = client(server).messages.create(model=MODEL, max_tokens=256, tools=TOOLS, messages=ask())
    assert [block.type for block in message.content] == ["text", "tool_use", "tool_use"]
    assert message.content[1].id != message.content[2].id
    assert message.stop_reason == "tool_use"


def test_a_model_that_loops_forever_uses_fresh_ids_every_turn() -> None:
    with ModelServer([forever(tool_use("click", {"ref": "e1"}))]) as server:
        sdk = client(server)
        conversation = ask()
        ids = []
        for _ in range(3):
            message = sdk.messages.create(model=MODEL, max_tokens=64, tools=TOOLS, messages=conversation)
            ids.append(message.content[0].id)
            conversation += answer_tool_uses(message, "Nothing changed.")
    assert len(set(ids)) == 3


def test_second_call_reads_the_cached_prefix() -> None:
    with ModelServer(forever(text("ok"))) as server:
        sdk = client(server)
        first = sdk.messages.create(model=MODEL, max_tokens=64, system=cached_system(), messages=ask("One"))
        second = sdk.messages.create(model=MODEL, max_tokens=64, system=cached_system(), messages=ask("Two"))
    assert first.usage.cache_creation_input_tokens > 1024
    assert first.usage.cache_read_input_tokens == 0
    assert second.usage.cache_read_input_tokens == first.usage.cache_creation_input_tokens
    assert second.usage.cache_creation_input_tokens == 0
    assert second.usage.input_tokens < first.usage.input_tokens + first.usage.cache_creation_input_tokens


def test_a_changed_prefix_is_written_again_not_read() -> None:
    with ModelServer(forever(text("ok"))) as server:
        sdk = client(server)
        sdk.messages.create(model=MODEL, max_tokens=64, system=cached_system(), messages=ask())
        changed = cached_system(LONG_SYSTEM + "Today is Tuesday.")
        second = sdk.messages.create(model=MODEL, max_tokens=64, system=changed, messages=ask())
        other_tools = sdk.messages.create(
            model=MODEL, max_tokens=64, tools=TOOLS, system=cached_system(), messages=ask()
        )
    assert second.usage.cache_read_input_tokens == 0
    assert second.usage.cache_creation_input_tokens > 1024
    # Tools come first in the prefix, so adding them invalidates the cached system prompt too.
    assert other_tools.usage.cache_read_input_tokens == 0


def test_cache_entries_expire_after_five_minutes_unless_used() -> None:
    clock = ManualClock()
    with ModelServer(forever(text("ok")), clock=clock) as server:
        sdk = client(server)

        def usage() -> anthropic.types.Usage:
            return sdk.messages.create(model=MODEL, max_tokens=64, system=cached_system(), messages=ask()).usage

        written = usage().cache_creation_input_tokens
        clock.advance(299)
        assert usage().cache_read_input_tokens == written
        clock.advance(299)  # the read above refreshed the entry
        assert usage().cache_read_input_tokens == written
        clock.advance(301)
        expired = usage()
    assert expired.cache_read_input_tokens == 0
    assert expired.cache_creation_input_tokens == written


def test_prefixes_under_the_minimum_length_are_not_cached() -> None:
    with ModelServer(forever(text("ok"))) as server:
        sdk = client(server)
        short = cached_system("You are Deputy.")
        for _ in range(2):
            tiny = sdk.messages.create(model=MODEL, max_tokens=64, system=short, messages=ask())
            assert (tiny.usage.cache_creation_input_tokens, tiny.usage.cache_read_input_tokens) == (0, 0)
        # LONG_SYSTEM is long enough for a Sonnet-class model but not for a Haiku-class one.
        for _ in range(2):
            haiku = sdk.messages.create(model="claude-haiku-4-5", max_tokens=64, system=cached_system(), messages=ask())
            assert (haiku.usage.cache_creation_input_tokens, haiku.usage.cache_read_input_tokens) == (0, 0)


def with_breakpoint_on_last_block(conversation: list[Any]) -> list[Any]:
    *earlier, last = conversation
    content = [*last["content"][:-1], {**last["content"][-1], "cache_control": {"type": "ephemeral"}}]
    return [*earlier, {**last, "content": content}]


def test_an_agent_loop_moving_its_breakpoint_reads_the_previous_turn() -> None:
    """Deputy's pattern: tools and system cached, plus a breakpoint on the newest tool_result each turn."""
    script = [tool_use("open_page", {"url": INBOX_URL}), tool_use("click", {"ref": "e3"}), text("Done.")]
    tools = [*TOOLS[:-1], {**TOOLS[-1], "cache_control": {"type": "ephemeral"}}]
    with ModelServer(script) as server:
        sdk = client(server)
        conversation = ask()
        usages = []
        for snapshot in ("Inbox page " * 50, "Mail page " * 50, None):
            sent = with_breakpoint_on_last_block(conversation) if len(conversation) > 1 else conversation
            message = sdk.messages.create(
                model=MODEL, max_tokens=64, tools=tools, system=cached_system(), messages=sent
            )
            usages.append(message.usage)
            if snapshot is not None:
                conversation += answer_tool_uses(message, snapshot)
    total = [u.input_tokens + u.cache_creation_input_tokens + u.cache_read_input_tokens for u in usages]
    assert usages[0].cache_read_input_tokens == 0
    assert usages[1].cache_read_input_tokens == total[0] - usages[0].input_tokens
    assert usages[2].cache_read_input_tokens == total[1] - usages[1].input_tokens
    assert all(u.cache_creation_input_tokens > 0 for u in usages)


def test_count_tokens_equals_the_input_a_real_call_reports() -> None:
    with ModelServer(forever(text("ok"))) as server:
        sdk = client(server)
        conversation = ask("Archive the newsletters.")
        sdk.messages.create(model=MODEL, max_tokens=64, tools=TOOLS, system=cached_system(), messages=conversation)
        usage = sdk.messages.create(
            model=MODEL, max_tokens=64, tools=TOOLS, system=cached_system(), messages=conversation
        ).usage
        counted = sdk.messages.count_tokens(model=MODEL, tools=TOOLS, system=cached_system(), messages=conversation)
    assert usage.cache_read_input_tokens > 0
    assert (
        counted.input_tokens == usage.input_tokens + usage.cache_creation_input_tokens + usage.cache_read_input_tokens
    )


def test_an_image_costs_a_flat_estimate_not_its_base64_size() -> None:
    image = {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "A" * 400_000}}
    with ModelServer() as server:
        sdk = client(server)
        plain = sdk.messages.count_tokens(model=MODEL, messages=ask("What is on the page?"))
        content: list[Any] = [image, {"type": "text", "text": "What is on the page?"}]
        with_image = sdk.messages.count_tokens(model=MODEL, messages=[{"role": "user", "content": content}])
    assert with_image.input_tokens - plain.input_tokens == IMAGE_TOKENS


def test_a_long_reply_is_cut_at_max_tokens() -> None:
    with ModelServer(text("word " * 200)) as server:
        message = client(server).messages.create(model=MODEL, max_tokens=10, messages=ask())
    assert message.stop_reason == "max_tokens"
    assert message.usage.output_tokens == 10
    assert message.content[0].type == "text"
    assert len(message.content[0].text) == 40


def test_rate_limit_and_overload_surface_as_the_sdk_errors() -> None:
    script = [error(429, retry_after=7), error(529), error(500, "Boom")]
    with ModelServer(script) as server:
        sdk = client(server)
        with pytest.raises(anthropic.RateLimitError) as limited:
            sdk.messages.create(model=MODEL, max_tokens=64, messages=ask())
        with pytest.raises(anthropic.OverloadedError) as overloaded:
            sdk.messages.create(model=MODEL, max_tokens=64, messages=ask())
        with pytest.raises(anthropic.InternalServerError) as failed:
            sdk.messages.create(model=MODEL, max_tokens=64, messages=ask())
    assert limited.value.status_code == 429
    assert limited.value.type == "rate_limit_error"
    assert limited.value.response.headers["retry-after"] == "7"
    assert limited.value.request_id is not None
    assert overloaded.value.status_code == 529
    assert overloaded.value.type == "overloaded_error"
    assert isinstance(overloaded.value, anthropic.InternalServerError)
    assert (failed.value.status_code, failed.value.api_message) == (500, "Boom")


def test_overload_in_the_middle_of_a_stream_raises_from_the_stream() -> None:
    with ModelServer(error(529, in_stream=True)) as server:
        sdk = client(server)
        with (
            pytest.raises(anthropic.APIStatusError) as broken,
            sdk.messages.stream(model=MODEL, max_tokens=64, messages=ask()) as stream,
        ):
            stream.get_final_message()
    assert broken.value.type == "overloaded_error"


def _bad_requests() -> list[tuple[list[Any], str]]:
    tool_turn = {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_1", "name": "click", "input": {}}]}
    wrong_result = {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_2", "content": "ok"}]}
    late_result = {
        "role": "user",
        "content": [{"type": "text", "text": "Here:"}, {"type": "tool_result", "tool_use_id": "toolu_1"}],
    }
    return [
        (ask() + ask(), 'found multiple "user" roles in a row'),
        ([{"role": "assistant", "content": "Hi"}, *ask()], 'first message must use the "user" role'),
        ([*ask(), tool_turn, wrong_result], "unexpected `tool_use_id` found in `tool_result` blocks: toolu_2"),
        ([*ask(), tool_turn, *ask("Go on")], "`tool_use` ids were found without `tool_result` blocks"),
        ([*ask(), tool_turn, late_result], "Did not find 1 tool_result block(s) at the beginning"),
        ([{"role": "user", "content": [{"type": "text", "text": ""}]}], "text content blocks must be non-empty"),
    ]


@pytest.mark.parametrize(("messages", "complaint"), _bad_requests())
def test_an_invalid_conversation_is_a_bad_request(messages: list[Any], complaint: str) -> None:
    with ModelServer(text("unreachable")) as server:
        with pytest.raises(anthropic.BadRequestError) as rejected:
            client(server).messages.create(model=MODEL, max_tokens=64, tools=TOOLS, messages=messages)
        # A rejected request does not use up the script's step.
        assert client(server).messages.create(model=MODEL, max_tokens=64, messages=ask()).content
    assert rejected.value.status_code == 400
    assert rejected.value.type == "invalid_request_error"
    assert rejected.value.api_message is not None
    assert complaint in rejected.value.api_message


def test_more_than_four_cache_breakpoints_is_a_bad_request() -> None:
    marked = [{"type": "text", "text": f"Rule {i}.", "cache_control": {"type": "ephemeral"}} for i in range(5)]
    with ModelServer(text("unreachable")) as server, pytest.raises(anthropic.BadRequestError) as rejected:
        client(server).messages.create(model=MODEL, max_tokens=64, system=marked, messages=ask())
    assert rejected.value.api_message == "A maximum of 4 blocks with cache_control may be provided. Found 5."


def test_auth_accepts_either_header_and_rejects_a_missing_or_wrong_key() -> None:
    body = {"model": MODEL, "max_tokens": 64, "messages": ask()}
    version = {"anthropic-version": "2023-06-01"}
    with ModelServer(forever(text("ok")), api_key="right") as server:
        url = f"{server.base_url}/v1/messages"
        missing = web.post(url, json=body, headers=version)
        by_header = web.post(url, json=body, headers={**version, "x-api-key": "right"})
        with pytest.raises(anthropic.AuthenticationError):
            anthropic.Anthropic(base_url=server.base_url, api_key="wrong", max_retries=0).messages.create(**body)
        ok = anthropic.Anthropic(base_url=server.base_url, api_key="right", max_retries=0).messages.create(**body)
    assert missing.status_code == 401
    assert missing.json()["error"] == {"type": "authentication_error", "message": "x-api-key header is required"}
    assert by_header.status_code == 200
    assert ok.content[0].type == "text"


def test_missing_max_tokens_is_a_bad_request() -> None:
    body = {"model": MODEL, "messages": ask()}
    headers = {"anthropic-version": "2023-06-01", "authorization": "Bearer test"}
    with ModelServer(text("unreachable")) as server:
        answer = web.post(f"{server.base_url}/v1/messages", json=body, headers=headers)
    assert answer.status_code == 400
    assert answer.json()["error"] == {"type": "invalid_request_error", "message": "max_tokens: Field required"}


def test_requests_are_recorded_with_body_and_headers() -> None:
    tools = [*TOOLS[:-1], {**TOOLS[-1], "cache_control": {"type": "ephemeral"}}]
    with ModelServer(text("First script.")) as server:
        sdk = client(server)
        sdk.messages.create(model=MODEL, max_tokens=64, tools=tools, system=cached_system(), messages=ask())
        server.set_script(text("Second script."))
        second = sdk.messages.create(model=MODEL, max_tokens=64, messages=ask("Again."))
        sdk.messages.count_tokens(model=MODEL, messages=ask())
        records = server.requests
    assert [record.path for record in records] == ["/v1/messages", "/v1/messages", "/v1/messages/count_tokens"]
    first = records[0]
    assert first.headers["authorization"] == "Bearer test"
    assert "anthropic-version" in first.headers
    assert first.body["system"][-1]["cache_control"] == {"type": "ephemeral"}
    assert first.body["tools"][-1]["cache_control"] == {"type": "ephemeral"}
    assert first.body["messages"][0]["content"] == "Triage my inbox."
    assert first.response is not None
    assert first.response["usage"]["cache_creation_input_tokens"] > 0
    assert second.content[0].type == "text"
    assert second.content[0].text == "Second script."


def test_an_exhausted_script_fails_loudly() -> None:
    with ModelServer([text("Only once.")]) as server:
        sdk = client(server)
        sdk.messages.create(model=MODEL, max_tokens=64, messages=ask())
        with pytest.raises(anthropic.InternalServerError) as exhausted:
            sdk.messages.create(model=MODEL, max_tokens=64, messages=ask())
    assert exhausted.value.api_message is not None
    assert "no reply left for request 2" in exhausted.value.api_message
