"""Attacks on Deputy's local API from a hostile web page's point of view, against a real uvicorn server."""

import json
import stat
from datetime import timedelta

import pytest

from tests import web
from tests.live import EXTENSION_ORIGIN, Deputy, raw_request


@pytest.mark.parametrize(
    "host",
    [
        "evil.example:{port}",
        "127.0.0.1.evil.com:{port}",
        "localhost.evil.com:{port}",
        "127.0.0.1",
        "localhost",
        "127.0.0.1:1",
        "0.0.0.0:{port}",
        "[::1]:{port}",
        "",
    ],
)
def test_foreign_host_is_refused_before_any_route(deputy: Deputy, host: str) -> None:
    head = f"GET /api/health HTTP/1.1\r\nHost: {host.format(port=deputy.port)}\r\nConnection: close\r\n"
    status, body = raw_request(deputy.port, head)
    assert status in (400, 403)
    if status == 403:
        assert "host" in body["detail"].lower()


def test_missing_host_is_refused(deputy: Deputy) -> None:
    status, _ = raw_request(deputy.port, "GET /api/health HTTP/1.0\r\nConnection: close\r\n")
    assert status in (400, 403)


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}"])
def test_own_host_is_answered(deputy: Deputy, host: str) -> None:
    head = f"GET /api/health HTTP/1.1\r\nHost: {host.format(port=deputy.port)}\r\nConnection: close\r\n"
    status, body = raw_request(deputy.port, head)
    assert status == 200
    assert body["status"] == "ok"


def test_foreign_host_cannot_pair_even_with_a_good_code(deputy: Deputy) -> None:
    body = json.dumps({"code": deputy.new_code(), "client": "evil"}).encode()
    head = (
        f"POST /api/pair HTTP/1.1\r\nHost: rebind.evil.example:{deputy.port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n"
    )
    status, _ = raw_request(deputy.port, head, body)
    assert status == 403


def test_every_route_but_health_and_pair_needs_a_token(deputy: Deputy) -> None:
    assert deputy.get("/api/health").status_code == 200
    for path in ("/api/state", "/api/clients"):
        response = deputy.get(path)
        assert response.status_code == 401
        assert "Bearer" in response.json()["detail"]
    assert deputy.post("/api/state", {"paused": True}).status_code == 401
    assert deputy.post("/api/clients/chrome/revoke").status_code == 401


def test_wrong_and_malformed_tokens_are_refused(deputy: Deputy) -> None:
    token = deputy.local_token
    assert deputy.get("/api/state", token="not-a-real-token").status_code == 401
    assert deputy.get("/api/state", Authorization=f"Basic {token}").status_code == 401
    assert deputy.get("/api/state", Authorization=token).status_code == 401
    assert deputy.get("/api/state", Authorization="Bearer").status_code == 401
    assert deputy.get("/api/state", token=token).status_code == 200


def test_token_in_the_url_is_ignored(deputy: Deputy) -> None:
    token = deputy.local_token
    for query in (f"token={token}", f"access_token={token}", f"authorization=Bearer%20{token}"):
        assert web.get(f"{deputy.url}/api/state?{query}").status_code == 401


def test_revoked_token_stops_working_at_once(deputy: Deputy) -> None:
    extension = deputy.pair("chrome")
    assert deputy.get("/api/state", token=extension, Origin=EXTENSION_ORIGIN).status_code == 200
    revoked = deputy.post("/api/clients/chrome/revoke", token=deputy.local_token)
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    assert deputy.get("/api/state", token=extension, Origin=EXTENSION_ORIGIN).status_code == 403  # origin unpinned
    refused = deputy.get("/api/state", token=extension)
    assert refused.status_code == 401
    assert refused.json()["detail"].startswith("This browser was unpaired from Deputy.")
    unknown = deputy.get("/api/state", token="x" * 43)
    assert unknown.status_code == 401
    assert unknown.json()["detail"].startswith("That token is not valid or was revoked.")


def test_revoking_an_unknown_client_is_a_clear_404(deputy: Deputy) -> None:
    response = deputy.post("/api/clients/nobody/revoke", token=deputy.local_token)
    assert response.status_code == 404
    assert "nobody" in response.json()["detail"]


@pytest.mark.parametrize("origin", ["http://evil.example", "null", "https://127.0.0.1", "chrome-extension://otherid"])
def test_foreign_origin_is_refused_even_with_a_valid_token(deputy: Deputy, origin: str) -> None:
    deputy.pair("chrome")
    for token in (deputy.local_token, None):
        assert deputy.get("/api/state", token=token, Origin=origin).status_code == 403
        assert deputy.get("/api/health", Origin=origin).status_code == 403
    response = deputy.post("/api/state", {"paused": True}, token=deputy.local_token, Origin=origin)
    assert response.status_code == 403
    assert deputy.get("/api/state", token=deputy.local_token).json()["paused"] is False


def test_a_token_works_only_from_the_origin_it_paired_from(deputy: Deputy) -> None:
    extension = deputy.pair("chrome")
    assert deputy.get("/api/state", token=extension, Origin=EXTENSION_ORIGIN).status_code == 200
    # A GET from the extension carries no Origin: still fine.
    assert deputy.get("/api/state", token=extension).status_code == 200
    # The CLI's token used from the extension's origin is not.
    assert deputy.get("/api/state", token=deputy.local_token, Origin=EXTENSION_ORIGIN).status_code == 403


def test_pairing_pins_the_extension_origin(deputy: Deputy) -> None:
    code = deputy.new_code()
    response = deputy.post("/api/pair", {"code": code, "client": "chrome"}, Origin=EXTENSION_ORIGIN)
    assert response.status_code == 200
    assert response.json()["origin"] == EXTENSION_ORIGIN
    assert len(response.json()["token"]) >= 40
    clients = deputy.get("/api/clients", token=deputy.local_token).json()
    assert [c["origin"] for c in clients if c["name"] == "chrome"] == [EXTENSION_ORIGIN]


@pytest.mark.parametrize("origin", ["http://evil.example", "null", "chrome-extension://"])
def test_web_pages_cannot_pair(deputy: Deputy, origin: str) -> None:
    response = deputy.post("/api/pair", {"code": deputy.new_code(), "client": "evil"}, Origin=origin)
    assert response.status_code == 403


def test_pairing_codes_are_single_use_and_expire(deputy: Deputy) -> None:
    code = deputy.new_code()
    assert deputy.post("/api/pair", {"code": code.lower().replace("-", ""), "client": "cli2"}).status_code == 200
    again = deputy.post("/api/pair", {"code": code, "client": "cli3"})
    assert again.status_code == 400
    assert "already used" in again.json()["detail"]
    stale = deputy.new_code()
    deputy.clock.advance(timedelta(minutes=10, seconds=1).total_seconds())
    expired = deputy.post("/api/pair", {"code": stale, "client": "cli4"})
    assert expired.status_code == 400
    assert "expired" in expired.json()["detail"]


def test_brute_forcing_pairing_codes_locks_pairing_out(deputy: Deputy) -> None:
    for attempt in range(10):
        response = deputy.post("/api/pair", {"code": f"AAAA-{attempt:04d}", "client": "guess"})
        assert response.status_code == 400
    good = deputy.new_code()
    locked = deputy.post("/api/pair", {"code": good, "client": "guess"})
    assert locked.status_code == 429
    assert "try again" in locked.json()["detail"]
    deputy.clock.advance(5 * 60 + 1)
    assert deputy.post("/api/pair", {"code": good, "client": "guess"}).status_code == 200


def test_guessing_tokens_is_locked_out_but_the_owner_keeps_working(deputy: Deputy) -> None:
    for attempt in range(10):
        assert deputy.get("/api/state", token=f"guess-{attempt}").status_code == 401
    assert deputy.get("/api/state", token="guess-11").status_code == 429
    # Tokens are 256 random bits, so a valid one keeps working; only guessing is stopped.
    assert deputy.get("/api/state", token=deputy.local_token).status_code == 200
    deputy.clock.advance(5 * 60 + 1)
    assert deputy.get("/api/state", token="guess-12").status_code == 401


def test_requests_without_a_token_cannot_lock_the_user_out(deputy: Deputy) -> None:
    for _ in range(30):
        assert deputy.get("/api/state").status_code == 401
    assert deputy.get("/api/state", token="one-wrong-guess").status_code == 401


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"{not json", "application/json"),
        (b'{"paused": "maybe"}', "application/json"),
        (b'{"paused": true, "delete_everything": true}', "application/json"),
        (b"[1, 2, 3]", "application/json"),
        (b"paused=true", "application/x-www-form-urlencoded"),
        (b"", "application/json"),
    ],
)
def test_malformed_bodies_get_422_and_change_nothing(deputy: Deputy, body: bytes, content_type: str) -> None:
    headers = {"Authorization": f"Bearer {deputy.local_token}", "Content-Type": content_type}
    response = web.post(f"{deputy.url}/api/state", content=body, headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"].startswith("Invalid request")
    assert deputy.get("/api/state", token=deputy.local_token).json()["paused"] is False


@pytest.mark.parametrize(
    "body",
    [{"code": "", "client": "x"}, {"code": "ABCD-EFGH"}, {"code": "x" * 500, "client": "x"}, {"code": 1, "client": []}],
)
def test_malformed_pairing_requests_get_422(deputy: Deputy, body: dict) -> None:
    assert deputy.post("/api/pair", body).status_code == 422


def test_reserved_client_names_cannot_be_paired(deputy: Deputy) -> None:
    response = deputy.post("/api/pair", {"code": deputy.new_code(), "client": "local"})
    assert response.status_code == 422
    assert "reserved" in response.json()["detail"]


def test_oversized_body_is_refused(deputy: Deputy) -> None:
    headers = {"Authorization": f"Bearer {deputy.local_token}", "Content-Type": "application/json"}
    response = web.post(f"{deputy.url}/api/state", content=b" " * 2_000_000, headers=headers)
    assert response.status_code == 413


def test_gets_do_not_change_state(deputy: Deputy) -> None:
    assert deputy.get("/api/pair").status_code == 405
    assert web.get(f"{deputy.url}/api/state?paused=true", headers={"Authorization": f"Bearer {deputy.local_token}"})
    assert deputy.get("/api/state", token=deputy.local_token).json()["paused"] is False
    assert deputy.get("/api/clients/local/revoke", token=deputy.local_token).status_code == 405


def test_unknown_route_is_json_404(deputy: Deputy) -> None:
    response = deputy.get("/api/nothing-here", token=deputy.local_token)
    assert response.status_code == 404
    assert "detail" in response.json()


def test_local_token_file_is_owner_only(deputy: Deputy) -> None:
    mode = stat.S_IMODE(deputy.settings.local_token_path.stat().st_mode)
    assert mode == 0o600
    assert stat.S_IMODE(deputy.settings.data_dir.stat().st_mode) == 0o700
