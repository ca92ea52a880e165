"""The event stream over a real WebSocket: Origin checked before the upgrade, auth in the first frame."""

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from tests.live import EXTENSION_ORIGIN, Deputy, raw_request


def ws_url(deputy: Deputy, query: str = "") -> str:
    return f"ws://127.0.0.1:{deputy.port}/api/events{query}"


@contextmanager
def open_authenticated(deputy: Deputy, token: str, origin: str | None = None) -> Iterator[ClientConnection]:
    with connect(ws_url(deputy), origin=origin, open_timeout=5) as ws:  # type: ignore[arg-type]
        ws.send(json.dumps({"type": "auth", "token": token}))
        hello = json.loads(ws.recv(timeout=5))
        assert hello["type"] == "hello", hello
        yield ws


def expect_closed(ws: ClientConnection, code: int) -> None:
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            ws.recv(timeout=5)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == code


@pytest.mark.parametrize("origin", ["http://evil.example", "null", "chrome-extension://notpaired"])
def test_foreign_origin_handshake_is_refused_before_upgrade(deputy: Deputy, origin: str) -> None:
    with pytest.raises(InvalidStatus) as refused:
        connect(ws_url(deputy), origin=origin, open_timeout=5)  # type: ignore[arg-type]
    assert refused.value.response.status_code == 403


def test_foreign_host_handshake_is_refused(deputy: Deputy) -> None:
    head = (
        f"GET /api/events HTTP/1.1\r\nHost: evil.example:{deputy.port}\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
    )
    status, _ = raw_request(deputy.port, head)
    assert status == 403


def test_no_auth_frame_closes_the_socket(deputy: Deputy) -> None:
    deputy.ctx.ws_auth_timeout = 0.5  # the other tests keep Deputy's 5 s: a busy machine can take over 0.5 s
    with connect(ws_url(deputy), open_timeout=5) as ws:
        expect_closed(ws, 1008)


def test_token_in_the_url_does_not_authenticate(deputy: Deputy) -> None:
    deputy.ctx.ws_auth_timeout = 0.5
    with connect(ws_url(deputy, f"?token={deputy.local_token}"), open_timeout=5) as ws:
        expect_closed(ws, 1008)


@pytest.mark.parametrize(
    "frame",
    ['{"type": "auth", "token": "wrong"}', '{"type": "hello"}', "not json", '["auth"]', '{"type": "auth", "token": 5}'],
)
def test_bad_auth_frame_closes_the_socket(deputy: Deputy, frame: str) -> None:
    with connect(ws_url(deputy), open_timeout=5) as ws:
        ws.send(frame)
        error = json.loads(ws.recv(timeout=5))
        assert error["type"] == "error"
        expect_closed(ws, 1008)


def test_extension_token_from_another_origin_is_refused(deputy: Deputy) -> None:
    token = deputy.pair("chrome")
    with connect(ws_url(deputy), open_timeout=5) as ws:  # no Origin: fine for the CLI, fine for this token too
        ws.send(json.dumps({"type": "auth", "token": token}))
        assert json.loads(ws.recv(timeout=5))["type"] == "hello"
    with connect(ws_url(deputy), origin=EXTENSION_ORIGIN, open_timeout=5) as ws:  # type: ignore[arg-type]
        ws.send(json.dumps({"type": "auth", "token": deputy.local_token}))
        assert json.loads(ws.recv(timeout=5))["type"] == "error"
        expect_closed(ws, 1008)


def test_authenticated_clients_receive_events(deputy: Deputy) -> None:
    token = deputy.pair("chrome")
    with (
        open_authenticated(deputy, token, EXTENSION_ORIGIN) as extension,
        open_authenticated(deputy, deputy.local_token) as cli,
    ):
        assert deputy.post("/api/state", {"paused": True}, token=deputy.local_token).status_code == 200
        for ws in (extension, cli):
            event = json.loads(ws.recv(timeout=5))
            assert event["type"] == "state.changed"
            assert event["data"]["paused"] is True


def test_revoking_a_client_closes_its_open_socket_at_once(deputy: Deputy) -> None:
    token = deputy.pair("chrome")
    with (
        open_authenticated(deputy, token, EXTENSION_ORIGIN) as extension,
        open_authenticated(deputy, deputy.local_token) as cli,
    ):
        started = time.monotonic()
        assert deputy.post("/api/clients/chrome/revoke", token=deputy.local_token).status_code == 200
        expect_closed(extension, 1008)
        assert time.monotonic() - started < 5  # the recv timeout; revocation does not wait for a poll
        # Other clients stay connected and are told.
        assert json.loads(cli.recv(timeout=5))["type"] == "client.revoked"
