"""The model client: one AsyncAnthropic for the whole server, and the only place that calls the API.

The SDK is imported when the first client is made, not with this module: it takes seconds to import, and a
Deputy with no key (or a command that only reads the ledger) never needs it.
"""

import time
from dataclasses import dataclass
from typing import Any

from backend.ledger.pricing import Usage

NO_KEY_MESSAGE = (
    "Deputy needs an Anthropic API key to run tasks with the model. Set it and restart Deputy: "
    "export ANTHROPIC_API_KEY=sk-ant-... (mail rules, approvals and the rest work without it)."
)


class ModelUnavailable(Exception):
    """The model cannot be reached or refused the call; the message says what happened."""


@dataclass(frozen=True)
class Reply:
    content: list[dict[str, Any]]  # text and tool_use blocks, as the API returned them
    usage: Usage
    stop_reason: str | None
    latency_ms: int
    model: str


class ModelClient:
    def __init__(self, api_key: str, model: str, base_url: str | None = None, max_retries: int = 2) -> None:
        import anthropic

        self.model = model
        self._sdk = anthropic
        self._client = anthropic.AsyncAnthropic(api_key=api_key, base_url=base_url, max_retries=max_retries)

    async def create(
        self, system: list[dict[str, Any]], tools: list[dict[str, Any]], messages: list[dict[str, Any]], max_tokens: int
    ) -> Reply:
        anthropic = self._sdk
        started = time.monotonic()
        try:
            message = await self._client.messages.create(
                model=self.model,
                max_tokens=max_tokens,
                system=system,  # type: ignore[arg-type]
                # A call with no tools (the mail reader's) sends none, rather than an empty list.
                tools=tools or anthropic.NOT_GIVEN,  # type: ignore[arg-type]
                messages=messages,  # type: ignore[arg-type]
            )
        except anthropic.AuthenticationError:
            raise ModelUnavailable("The Anthropic API refused the key: check ANTHROPIC_API_KEY.") from None
        except anthropic.RateLimitError:
            raise ModelUnavailable("The Anthropic API is rate limiting Deputy; try again in a minute.") from None
        except anthropic.APIStatusError as error:
            raise ModelUnavailable(f"The Anthropic API answered {error.status_code}: {error.message}") from None
        except anthropic.APIConnectionError as error:
            raise ModelUnavailable(f"Cannot reach the Anthropic API: {error}") from None
        usage = message.usage
        return Reply(
            content=[block.model_dump(exclude_none=True) for block in message.content],
            usage=Usage(
                input_tokens=usage.input_tokens,
                output_tokens=usage.output_tokens,
                cache_creation_input_tokens=usage.cache_creation_input_tokens or 0,
                cache_read_input_tokens=usage.cache_read_input_tokens or 0,
            ),
            stop_reason=message.stop_reason,
            latency_ms=int((time.monotonic() - started) * 1000),
            model=message.model,
        )

    async def count_tokens(
        self, system: list[dict[str, Any]], tools: list[dict[str, Any]], messages: list[dict[str, Any]]
    ) -> int | None:
        """The exact input tokens of a request (a free API call); None if it cannot be counted now."""
        anthropic = self._sdk
        try:
            counted = await self._client.messages.count_tokens(
                model=self.model,
                system=system,  # type: ignore[arg-type]
                tools=tools,  # type: ignore[arg-type]
                messages=messages,  # type: ignore[arg-type]
            )
        except anthropic.APIError:
            return None
        return counted.input_tokens

    async def close(self) -> None:
        await self._client.close()
