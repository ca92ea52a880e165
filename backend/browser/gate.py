"""The write gate: the backstop that keeps the agent's browser from changing anything unapproved.

Every request that can change something (any method but GET, HEAD and OPTIONS, and GET form submissions)
passes only while an action whose writes were cleared by the policy is executing for that tab's task, and is
attributed to that action. Anything else is held: not sent, and reported as a blocked write with its
details. JavaScript dialogs are never accepted unless the executing action was cleared to accept them.
"""

import asyncio
import contextlib
import logging
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from playwright.async_api import BrowserContext, Dialog, Frame, Page, Request, Route

from backend.clock import Clock

log = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_BODY_RECORDED = 2000

# Runs in every frame before the page's own scripts. GET form submissions are not visible as such at the
# network layer, so they are routed through Deputy, which sends them only while an action is executing.
FORM_GUARD_JS = """
(() => {
  if (window.__deputyFormGuard) return;
  Object.defineProperty(window, '__deputyFormGuard', {value: true});
  const submitGet = (form, submitter) => {
    const method = ((submitter && submitter.getAttribute('formmethod')) || form.getAttribute('method') || 'get');
    if (method.toLowerCase() !== 'get') return false;
    const action = (submitter && submitter.getAttribute('formaction')) || form.getAttribute('action') || location.href;
    const url = new URL(action, location.href);
    url.search = new URLSearchParams(new FormData(form, submitter || undefined)).toString();
    window.__deputyFormGet(url.href, form.getAttribute('target') || '');
    return true;
  };
  window.addEventListener('submit', (event) => {
    if (event.defaultPrevented) return;  // the page handles it in script: its requests meet the network gate
    if (submitGet(event.target, event.submitter)) event.preventDefault();
  });
  const nativeSubmit = HTMLFormElement.prototype.submit;
  HTMLFormElement.prototype.submit = function () {
    if (!submitGet(this, null)) nativeSubmit.call(this);
  };
})();
"""


@dataclass(frozen=True)
class Clearance:
    """What the executing action may do: set by the executor from the policy's decision."""

    action_id: str
    writes: bool  # the policy allowed (or the user approved) a change
    accept_dialogs: bool = False  # the user approved accepting the page's confirm() for this action


@dataclass(frozen=True)
class KnownWrite:
    """A background request a site makes that is known not to matter (documented per site)."""

    method: str
    path: re.Pattern[str]
    reason: str

    def matches(self, method: str, url: str) -> bool:
        path = url.split("://", 1)[-1].partition("/")[2]
        return method == self.method and self.path.search("/" + path) is not None


@dataclass(frozen=True)
class GateEvent:
    kind: Literal["passed", "blocked", "dialog"]
    at: datetime
    task_id: str | None
    action_id: str | None
    method: str
    url: str
    detail: str = ""  # why it was blocked or let through; the dialog's message
    body: str | None = None
    resource: str = ""


@dataclass
class WriteGate:
    clock: Clock
    known_writes: list[KnownWrite] = field(default_factory=list)
    task_of: Callable[[Page], str | None] = lambda _page: None
    listeners: list[Callable[[GateEvent], None]] = field(default_factory=list)
    events: list[GateEvent] = field(default_factory=list)
    _clearances: dict[str, Clearance] = field(default_factory=dict)

    async def install(self, context: BrowserContext) -> None:
        await context.expose_binding("__deputyFormGet", self._on_form_get)
        await context.add_init_script(FORM_GUARD_JS)
        await context.route("**/*", self._on_route)
        context.on("page", self.watch_page)
        for page in context.pages:
            self.watch_page(page)

    def watch_page(self, page: Page) -> None:
        page.on("dialog", self._on_dialog)

    @contextlib.asynccontextmanager
    async def cleared(self, task_id: str, clearance: Clearance) -> AsyncIterator[None]:
        if task_id in self._clearances:
            raise RuntimeError(f"Task {task_id} already has an action executing.")
        self._clearances[task_id] = clearance
        try:
            yield
        finally:
            self._clearances.pop(task_id, None)

    def clearance_for(self, task_id: str | None) -> Clearance | None:
        return self._clearances.get(task_id) if task_id else None

    def _record(self, event: GateEvent) -> None:
        self.events.append(event)
        if event.kind == "blocked":
            log.warning("Write gate held %s %s for task %s: %s", event.method, event.url, event.task_id, event.detail)
        for listener in self.listeners:
            listener(event)

    def _task_of_request(self, request: Request) -> str | None:
        try:
            return self.task_of(request.frame.page)
        except Exception:  # service-worker requests have no frame
            return None

    async def _on_route(self, route: Route) -> None:
        request = route.request
        if request.method in SAFE_METHODS:
            await route.continue_()
            return
        task_id = self._task_of_request(request)
        clearance = self.clearance_for(task_id)
        body = _body_of(request)
        common: dict[str, Any] = {
            "at": self.clock.now(),
            "task_id": task_id,
            "method": request.method,
            "url": request.url,
            "body": body,
            "resource": request.resource_type,
        }
        if clearance is not None and clearance.writes:
            self._record(
                GateEvent("passed", action_id=clearance.action_id, detail="during an approved action", **common)
            )
            await route.continue_()
            return
        known = next((k for k in self.known_writes if k.matches(request.method, request.url)), None)
        if known is not None:
            action_id = clearance.action_id if clearance else None
            self._record(GateEvent("passed", action_id=action_id, detail=f"known site write: {known.reason}", **common))
            await route.continue_()
            return
        why = (
            f"the executing action ({clearance.action_id}) was cleared only to read"
            if clearance
            else "no approved action was executing"
        )
        self._record(GateEvent("blocked", action_id=clearance.action_id if clearance else None, detail=why, **common))
        if request.is_navigation_request():
            # A 204 answer leaves the page where it was, instead of replacing it with an error page.
            await route.fulfill(status=204)
        else:
            await route.abort("blockedbyclient")

    async def _on_form_get(self, source: dict[str, Any], url: str, target: str) -> None:
        frame: Frame = source["frame"]
        task_id = self.task_of(source["page"])
        clearance = self.clearance_for(task_id)
        common: dict[str, Any] = {"at": self.clock.now(), "task_id": task_id, "method": "GET", "url": url}
        if clearance is None:
            self._record(
                GateEvent("blocked", action_id=None, detail="form submitted with no action executing", **common)
            )
            return
        self._record(
            GateEvent("passed", action_id=clearance.action_id, detail="form submission", resource="form", **common)
        )
        # Navigating from inside the binding would wait on the page that is calling us.
        asyncio.get_running_loop().create_task(_goto_quietly(frame, url))

    async def _on_dialog(self, dialog: Dialog) -> None:
        task_id = self.task_of(dialog.page) if dialog.page else None
        clearance = self.clearance_for(task_id)
        accept = clearance is not None and clearance.accept_dialogs and dialog.type in ("confirm", "beforeunload")
        self._record(
            GateEvent(
                "dialog",
                at=self.clock.now(),
                task_id=task_id,
                action_id=clearance.action_id if clearance else None,
                method=dialog.type,
                url=dialog.page.url if dialog.page else "",
                detail=f"{dialog.message} ({'accepted' if accept else 'dismissed'})",
            )
        )
        if accept:
            await dialog.accept()
        else:
            await dialog.dismiss()


async def _goto_quietly(frame: Frame, url: str) -> None:
    try:
        await frame.goto(url)
    except Exception as error:  # the frame may be gone; the next snapshot shows where things stand
        log.info("A form navigation to %s did not complete: %s", url, error)


def _body_of(request: Request) -> str | None:
    try:
        data = request.post_data
    except Exception:  # binary bodies cannot be decoded as text
        return "<binary body>"
    if data is None:
        return None
    return data if len(data) <= MAX_BODY_RECORDED else data[:MAX_BODY_RECORDED] + "…"
