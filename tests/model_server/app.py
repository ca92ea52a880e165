"""The ASGI app of Deputy's scripted model server: POST /v1/messages and POST /v1/messages/count_tokens."""

import itertools
import json
import threading
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from starlette.exceptions import HTTPException

from .cache import PromptCache
from .render import error_body, message_json, sse_frames
from .script import Failure, ModelRequest, Reply, Script, ScriptExhausted
from .tokens import input_tokens, prompt_units
from .validate import InvalidRequest, check_count_request, check_messages_request


@dataclass
class RecordedRequest:
    """One request as the server received it, and what it answered."""

    path: str
    headers: dict[str, str]
    body: Any
    """The parsed JSON body, or None when it was not JSON."""
    status: int = 0
    response: dict[str, Any] | None = None
    """The JSON answered; for a stream, the whole message it carried (usage included)."""
    script_error: str | None = None
    """The traceback when the script itself raised: a bug in the test, not in Deputy."""


@dataclass
class ServerState:
    script: Script
    cache: PromptCache
    api_key: str | None = None
    """None: any non-empty key is accepted."""
    records: list[RecordedRequest] = field(default_factory=list)
    answered: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def new_id(self, prefix: str) -> str:
        # Counted rather than random, so a run is reproducible; the shape follows the API's ids.
        return f"{prefix}_01{next(self._ids):022d}"


class _Refusal(Exception):
    def __init__(self, status: int, error_type: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.error_type, self.message, self.headers = status, error_type, message, headers or {}


def create_app(state: ServerState) -> FastAPI:
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    @app.exception_handler(HTTPException)
    async def not_found(request: Request, exc: HTTPException) -> Response:
        kind = "not_found_error" if exc.status_code == 404 else "invalid_request_error"
        return JSONResponse(error_body(kind, str(exc.detail), state.new_id("req")), status_code=exc.status_code)

    @app.post("/v1/messages")
    async def messages(request: Request) -> Response:
        record, request_id = await _receive(state, request)
        try:
            body = check_messages_request(_authorized_body(state, request, record))
            return _answer(state, record, body, request_id)
        except InvalidRequest as exc:
            return _refuse(record, _Refusal(400, "invalid_request_error", exc.message), request_id)
        except _Refusal as refusal:
            return _refuse(record, refusal, request_id)

    @app.post("/v1/messages/count_tokens")
    async def count_tokens(request: Request) -> Response:
        record, request_id = await _receive(state, request)
        try:
            body = check_count_request(_authorized_body(state, request, record))
        except InvalidRequest as exc:
            return _refuse(record, _Refusal(400, "invalid_request_error", exc.message), request_id)
        except _Refusal as refusal:
            return _refuse(record, refusal, request_id)
        return _json(record, {"input_tokens": input_tokens(body)}, request_id)

    return app


async def _receive(state: ServerState, request: Request) -> tuple[RecordedRequest, str]:
    raw = await request.body()
    try:
        body = json.loads(raw)
    except ValueError:
        body = None
    record = RecordedRequest(request.url.path, dict(request.headers), body)
    with state.lock:
        state.records.append(record)
        return record, state.new_id("req")


def _authorized_body(state: ServerState, request: Request, record: RecordedRequest) -> Any:
    headers = request.headers
    bearer = headers.get("authorization", "")
    key = headers.get("x-api-key") or (bearer[len("Bearer ") :] if bearer.startswith("Bearer ") else "")
    if not key:
        raise _Refusal(401, "authentication_error", "x-api-key header is required")
    if state.api_key is not None and key != state.api_key:
        raise _Refusal(401, "authentication_error", "invalid x-api-key")
    if "anthropic-version" not in headers:
        raise _Refusal(400, "invalid_request_error", "anthropic-version: header is required")
    if record.body is None:
        raise _Refusal(400, "invalid_request_error", "The request body is not valid JSON.")
    return record.body


def _answer(state: ServerState, record: RecordedRequest, body: dict[str, Any], request_id: str) -> Response:
    with state.lock:
        view = ModelRequest(body, record.headers, state.answered)
        state.answered += 1
        try:
            step = state.script.answer(view)
        except ScriptExhausted as exc:
            raise _Refusal(500, "api_error", str(exc), {"x-should-retry": "false"}) from exc
        except Exception as exc:
            record.script_error = traceback.format_exc()
            raise _Refusal(500, "api_error", f"The script raised {exc!r}.", {"x-should-retry": "false"}) from exc
        streaming = bool(body.get("stream"))
        if isinstance(step, Failure) and not (step.in_stream and streaming):
            retryable = step.status == 429 or step.status >= 500
            headers = {"x-should-retry": "true" if retryable else "false"}
            if step.retry_after is not None:
                headers["retry-after"] = str(step.retry_after)
            raise _Refusal(step.status, step.error_type, step.message, headers)
        # A failure that breaks off a stream still starts a message, with no content.
        failure = step if isinstance(step, Failure) else None
        reply = step if isinstance(step, Reply) else Reply(())
        cache = state.cache.account(body["model"], prompt_units(body))
        message = message_json(
            reply, model=body["model"], max_tokens=body["max_tokens"], cache=cache, new_id=state.new_id
        )
    if not streaming:
        return _json(record, message, request_id)
    record.status, record.response = 200, message
    frames = list(sse_frames(message, failure, request_id))
    headers = {"request-id": request_id, "cache-control": "no-cache"}
    return StreamingResponse(iter(frames), media_type="text/event-stream", headers=headers)


def _json(record: RecordedRequest, payload: dict[str, Any], request_id: str) -> Response:
    record.status, record.response = 200, payload
    return JSONResponse(payload, headers={"request-id": request_id})


def _refuse(record: RecordedRequest, refusal: _Refusal, request_id: str) -> Response:
    payload = error_body(refusal.error_type, refusal.message, request_id)
    record.status, record.response = refusal.status, payload
    headers = {"request-id": request_id, "x-should-retry": "false", **refusal.headers}
    return JSONResponse(payload, status_code=refusal.status, headers=headers)
