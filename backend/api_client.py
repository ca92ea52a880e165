"""How the CLI and the tray talk to a running Deputy server: HTTP on loopback with the local token."""

from typing import Any

import httpx

from backend.config import Settings


class ServerUnavailable(Exception):
    """No Deputy server answers on the configured port."""


class LocalClient:
    def __init__(self, settings: Settings, timeout: float = 5.0) -> None:
        self.base_url = f"http://127.0.0.1:{settings.port}"
        self._token_path = settings.local_token_path
        self._timeout = timeout

    def health(self) -> dict[str, Any] | None:
        """The server's health answer, or None if nothing that answers as Deputy is there."""
        try:
            response = httpx.get(f"{self.base_url}/api/health", timeout=self._timeout)
            body = response.json()
        except (httpx.HTTPError, ValueError):
            return None
        return body if isinstance(body, dict) and body.get("app") == "deputy" else None

    def request(self, method: str, path: str, json: Any = None) -> httpx.Response:
        token = self._token_path.read_text().strip() if self._token_path.exists() else ""
        try:
            return httpx.request(
                method,
                f"{self.base_url}{path}",
                json=json,
                headers={"Authorization": f"Bearer {token}"},
                timeout=self._timeout,
            )
        except httpx.HTTPError as error:
            raise ServerUnavailable(f"Deputy is not answering on {self.base_url}: {error}") from None
