"""Scripted models: what Deputy's model server replies, decided per request.

A script is a list of steps, one per /v1/messages request, or one function that answers every request.
A step is a reply (`text(...)`, `tool_use(...)`, or several joined with `+`), a failure (`error(...)`),
or a function of the request returning either; `forever(step)` as the last step repeats it for good.

    script = [
        tool_use("open_page", {"url": "https://mail.test"}),
        lambda request: text("Done") if "Inbox" in request.tool_results[0].text else error(500),
        forever(text("Nothing more to do.")),
    ]
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    500: "api_error",
    529: "overloaded_error",
}
DEFAULT_MESSAGES = {
    429: "Number of request tokens has exceeded your per-minute rate limit.",
    500: "Internal server error",
    529: "Overloaded",
}


@dataclass(frozen=True)
class TextPart:
    text: str


@dataclass(frozen=True)
class ToolUsePart:
    name: str
    input: dict[str, Any]
    id: str | None = None
    """None: the server gives each use a fresh `toolu_...` id, so a repeated step never repeats an id."""


@dataclass(frozen=True)
class Reply:
    parts: tuple[TextPart | ToolUsePart, ...]
    stop_reason: str | None = None
    """None: "tool_use" when the reply uses a tool, else "end_turn" ("max_tokens" if it had to be cut)."""

    def __add__(self, other: "Reply") -> "Reply":
        return Reply(self.parts + other.parts, other.stop_reason or self.stop_reason)


@dataclass(frozen=True)
class Failure:
    status: int
    message: str
    retry_after: int | None = None
    in_stream: bool = False
    """For a streaming request: answer 200, start the message, then send an `error` event, as the API
    does when it is overloaded mid-stream. A non-streaming request gets the plain HTTP error."""

    @property
    def error_type(self) -> str:
        return ERROR_TYPES.get(self.status, "api_error")


@dataclass(frozen=True)
class ToolResult:
    tool_use_id: str
    text: str
    """The text of the result: its string content, or its text parts joined by newlines."""
    is_error: bool


@dataclass(frozen=True)
class ModelRequest:
    """A valid /v1/messages request, as the script sees it."""

    body: dict[str, Any]
    headers: dict[str, str]
    index: int
    """0 for the first request the script answers."""

    @property
    def messages(self) -> list[dict[str, Any]]:
        return self.body["messages"]

    @property
    def tool_names(self) -> list[str]:
        return [tool["name"] for tool in self.body.get("tools") or []]

    @property
    def system_text(self) -> str:
        system = self.body.get("system") or ""
        return system if isinstance(system, str) else "\n".join(block["text"] for block in system)

    @property
    def tool_results(self) -> list[ToolResult]:
        """The tool_result blocks of the last message (empty unless it answers a tool use)."""
        content = self.messages[-1]["content"]
        if isinstance(content, str):
            return []
        return [
            ToolResult(block["tool_use_id"], _result_text(block.get("content", "")), bool(block.get("is_error")))
            for block in content
            if block.get("type") == "tool_result"
        ]

    @property
    def last_text(self) -> str:
        """The text blocks of the last message joined by newlines."""
        content = self.messages[-1]["content"]
        if isinstance(content, str):
            return content
        return "\n".join(block["text"] for block in content if block.get("type") == "text")


def _result_text(content: str | list[dict[str, Any]]) -> str:
    if isinstance(content, str):
        return content
    return "\n".join(part["text"] for part in content if part.get("type") == "text")


Responder = Callable[[ModelRequest], Reply | Failure]
Step = Reply | Failure | Responder


@dataclass(frozen=True)
class Forever:
    step: Step


def text(content: str, *, stop_reason: str | None = None) -> Reply:
    return Reply((TextPart(content),), stop_reason)


def tool_use(name: str, input: dict[str, Any] | None = None, *, id: str | None = None) -> Reply:
    return Reply((ToolUsePart(name, input or {}, id),))


def error(
    status: int, message: str | None = None, *, retry_after: int | None = None, in_stream: bool = False
) -> Failure:
    """A failure with the real error body; a 429 carries `retry-after` (1 second unless told)."""
    if status == 429 and retry_after is None:
        retry_after = 1
    wording = message or DEFAULT_MESSAGES.get(status, f"Scripted error {status}")
    return Failure(status, wording, retry_after, in_stream)


def forever(step: Step) -> Forever:
    return Forever(step)


class ScriptExhausted(Exception):
    """The script has no step left for a request: the test did not expect Deputy to call the model again."""


class Script:
    def __init__(self, steps: Sequence[Step | Forever] | Responder) -> None:
        if callable(steps):
            steps = [Forever(steps)]
        if any(isinstance(step, Forever) for step in steps[:-1]):
            raise ValueError("forever(...) repeats for good, so it must be the last step of a script.")
        self._steps = list(steps)
        self._position = 0

    def answer(self, request: ModelRequest) -> Reply | Failure:
        if self._position >= len(self._steps):
            raise ScriptExhausted(
                f"The scripted model has no reply left for request {request.index + 1}: "
                f"the script has {len(self._steps)} step(s)."
            )
        step = self._steps[self._position]
        if isinstance(step, Forever):
            step = step.step
        else:
            self._position += 1
        answer = step if isinstance(step, Reply | Failure) else step(request)
        if not isinstance(answer, Reply | Failure):
            raise TypeError(f"A script step must give a Reply or a Failure, not {answer!r}.")
        return answer


ScriptLike = Script | Sequence[Step | Forever] | Responder | Reply | Failure | Forever


def as_script(script: ScriptLike) -> Script:
    """A script from any accepted form; a single reply or failure is a one-step script."""
    if isinstance(script, Script):
        return script
    if isinstance(script, Reply | Failure | Forever):
        return Script([script])
    return Script(script)
