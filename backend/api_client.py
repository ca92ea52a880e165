"""How the CLI and the tray talk to a running Deputy server: HTTP on loopback with the local token.

Built on the standard library's http.client: a `deputy` command starts in a fraction of the time an
HTTP library with TLS and HTTP/2 support takes to import, and loopback needs neither.
"""

import http.client
import json as jsonlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from backend.config import Settings


class ServerUnavailable(Exception):
    """No Deputy server answers on the configured port."""


@dataclass(frozen=True)
class Reply:
    """One answer from the server: its status and body."""

    status_code: int
    body: bytes

    def json(self) -> Any:
        """The body as JSON; raises ValueError when it is not JSON."""
        return jsonlib.loads(self.body or b"null")

    def detail(self) -> str:
        """The server's explanation of a refusal, or the bare status when it sent none."""
        try:
            payload = self.json()
        except ValueError:
            payload = None
        detail = payload.get("detail") if isinstance(payload, dict) else None
        return str(detail) if detail else f"Deputy answered {self.status_code}."


# Whether Deputy is there at all is known at once; a busy Deputy (a triage, a model call) may take longer to
# answer a request, which `timeout` allows for.
PROBE_S = 5.0


class LocalClient:
    def __init__(self, port: int, token_path: Path, timeout: float = 5.0) -> None:
        self.port = port
        self.base_url = f"http://127.0.0.1:{port}"
        self._token_path = token_path
        self._timeout = timeout

    @classmethod
    def for_settings(cls, settings: "Settings", timeout: float = 5.0) -> "LocalClient":
        return cls(settings.port, settings.local_token_path, timeout)

    def token(self) -> str:
        try:
            return self._token_path.read_text().strip()
        except OSError:
            return ""

    def _send(self, method: str, path: str, body: Any, headers: dict[str, str], timeout: float) -> Reply:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        payload = None if body is None else jsonlib.dumps(body).encode()
        if payload is not None:
            headers = {**headers, "Content-Type": "application/json"}
        try:
            connection.request(method, path, body=payload, headers=headers)
            response = connection.getresponse()
            return Reply(response.status, response.read())
        except (OSError, http.client.HTTPException) as error:
            raise ServerUnavailable(f"Deputy is not answering on {self.base_url}: {error}") from None
        finally:
            connection.close()

    def health(self) -> dict[str, Any] | None:
        """The server's health answer, or None if nothing that answers as Deputy is there."""
        try:
            body = self._send("GET", "/api/health", None, {}, min(self._timeout, PROBE_S)).json()
        except (ServerUnavailable, ValueError):
            return None
        return body if isinstance(body, dict) and body.get("app") == "deputy" else None

    def request(self, method: str, path: str, json: Any = None) -> Reply:
        return self._send(method, path, json, {"Authorization": f"Bearer {self.token()}"}, self._timeout)
