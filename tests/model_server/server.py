"""ModelServer: Deputy's scripted model server on a free loopback port, for tests and benchmarks."""

from collections.abc import Callable
from types import TracebackType

from backend.clock import Clock, SystemClock
from backend.servers import ThreadedServer

from .app import RecordedRequest, ServerState, create_app
from .cache import PromptCache, min_cacheable_tokens
from .script import ScriptLike, as_script


class ModelServer:
    """Speaks the Messages API on 127.0.0.1; point the anthropic SDK at `base_url`.

    with ModelServer([tool_use("open_page", {"url": url}), text("Done")]) as server:
        client = anthropic.Anthropic(base_url=server.base_url, api_key="test", max_retries=0)
    """

    def __init__(
        self,
        script: ScriptLike = (),
        *,
        clock: Clock | None = None,
        api_key: str | None = None,
        min_cacheable: Callable[[str], int] = min_cacheable_tokens,
    ) -> None:
        self.cache = PromptCache(clock or SystemClock(), min_cacheable)
        self._state = ServerState(script=as_script(script), cache=self.cache, api_key=api_key)
        self._server = ThreadedServer(create_app(self._state))

    @property
    def base_url(self) -> str:
        return self._server.url

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received, in order of arrival, count_tokens included."""
        with self._state.lock:
            return list(self._state.records)

    @property
    def message_requests(self) -> list[RecordedRequest]:
        """Only the POST /v1/messages requests."""
        return [record for record in self.requests if record.path == "/v1/messages"]

    def set_script(self, script: ScriptLike) -> None:
        """Replace the script; the next request gets its first step."""
        with self._state.lock:
            self._state.script = as_script(script)

    def start(self) -> "ModelServer":
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop()

    def __enter__(self) -> "ModelServer":
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
