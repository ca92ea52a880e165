"""The write gate: the backstop that keeps the agent's browser from changing anything unapproved.

Every request that can change something (any method but GET, HEAD and OPTIONS, and GET form submissions)
passes only while an action whose writes were cleared by the policy is executing for that tab's task, and is
attributed to that action. Anything else is held: not sent, and reported as a blocked write with its
details. JavaScript dialogs are never accepted unless the executing action was cleared to accept them.

Every top-level navigation of a task's page is also judged against the task's site scope (egress.py),
whatever caused it, and so is every hop of a redirect chain: Deputy fetches a scoped navigation itself
without following redirects, and hands a redirect to the page as a fresh navigation, which is judged again.
"""

import asyncio
import contextlib
import json
import logging
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Literal
from urllib.parse import urljoin

from playwright.async_api import BrowserContext, Dialog, Frame, Page, Request, Route
from playwright.async_api import Error as PlaywrightError

from backend.browser.egress import Egress, Judgement
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
    shown: str = ""  # the link or form address the action uses, as the page showed it
    approved_urls: frozenset[str] = frozenset()  # destinations outside the scope the user approved opening


@dataclass(frozen=True)
class KnownWrite:
    """A background request a site makes that is known not to matter (documented per site)."""

    method: str
    path: re.Pattern[str]
    reason: str
    site: Callable[[str], bool] | None = None  # recognises the skill's site from a page URL

    def matches(self, method: str, url: str, page_url: str) -> bool:
        """Only on its own site: the request goes to the site of the page that sends it, which the skill
        recognises as its kind of site."""
        path = url.split("://", 1)[-1].partition("/")[2]
        if method != self.method or self.path.search("/" + path) is None:
            return False
        return _origin(url) == _origin(page_url) and (self.site is None or self.site(page_url))


@dataclass(frozen=True)
class GateEvent:
    kind: Literal["passed", "blocked", "dialog", "held"]
    at: datetime
    task_id: str | None
    action_id: str | None
    method: str
    url: str
    detail: str = ""  # why it was blocked or let through; the dialog's message
    body: str | None = None
    resource: str = ""
    verdict: str = ""  # for a held navigation: "ask" or "deny"


@dataclass
class WriteGate:
    clock: Clock
    known_writes: list[KnownWrite] = field(default_factory=list)
    task_of: Callable[[Page], str | None] = lambda _page: None
    egresses: Callable[[], dict[str, Egress]] = dict
    listeners: list[Callable[[GateEvent], None]] = field(default_factory=list)
    events: list[GateEvent] = field(default_factory=list)
    # (task, text) -> text with that task's traveller values replaced by placeholders, before anything is kept.
    redact: Callable[[str | None, str], str] = lambda _task, text: text
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
        task = event.task_id
        event = replace(
            event,
            url=self.redact(task, event.url),
            detail=self.redact(task, event.detail),
            body=self.redact(task, event.body) if event.body is not None else None,
        )
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

    async def _task_of_page(self, page: Page) -> str | None:
        task_id = self.task_of(page)
        if task_id is None:
            # A window a task's page just opened may not be followed yet: it belongs to its opener's task.
            with contextlib.suppress(PlaywrightError):
                opener = await page.opener()
                task_id = self.task_of(opener) if opener is not None else None
        return task_id

    async def _on_route(self, route: Route) -> None:
        request = route.request
        top_level, page = _top_level(request)
        if top_level:
            task_id = await self._task_of_page(page) if page is not None else self._sole_cleared_task()
        else:
            task_id = self._task_of_request(request)
        clearance = self.clearance_for(task_id)
        egress = self.egresses().get(task_id) if task_id and top_level else None
        if top_level and (page is None or (egress is not None and egress.scoped)):
            judged = self._judge(request, task_id, egress, clearance)
            if judged.verdict != "free":
                await self._hold(route, task_id, clearance, judged)
                return
        if request.method not in SAFE_METHODS and not await self._write_passes(route, task_id, clearance):
            return
        if egress is not None and egress.scoped:
            await self._fetch_hop(route, task_id, egress, clearance)
            return
        await route.continue_()

    def _sole_cleared_task(self) -> str | None:
        cleared = list(self._clearances)
        return cleared[0] if len(cleared) == 1 else None

    def _judge(
        self, request: Request, task_id: str | None, egress: Egress | None, clearance: Clearance | None
    ) -> Judgement:
        """A navigation's verdict under its task's scope. A new window's first request comes before its page
        exists, so its task may be unknown: then every task's scope must let it through."""
        body = _body_of(request) or ""
        shown = clearance.shown if clearance else ""
        approved = clearance.approved_urls if clearance else frozenset()
        scopes = [egress] if egress is not None else list(self.egresses().values()) if task_id is None else []
        verdicts = [e.judge(request.url, shown, approved, body) for e in scopes if e.scoped]
        for wanted in ("deny", "ask"):
            for judged in verdicts:
                if judged.verdict == wanted:
                    return judged
        return Judgement("free", "in scope")

    async def _write_passes(self, route: Route, task_id: str | None, clearance: Clearance | None) -> bool:
        request = route.request
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
            return True
        known = next((k for k in self.known_writes if k.matches(request.method, request.url, _page_url(request))), None)
        if known is not None:
            action_id = clearance.action_id if clearance else None
            self._record(GateEvent("passed", action_id=action_id, detail=f"known site write: {known.reason}", **common))
            return True
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
        return False

    async def _hold(
        self,
        route: Route,
        task_id: str | None,
        clearance: Clearance | None,
        judged: Judgement,
        destination: str | None = None,
    ) -> None:
        """Answer 204 (the page stays where it was) and report where it tried to go."""
        request = route.request
        self._record(
            GateEvent(
                "held",
                at=self.clock.now(),
                task_id=task_id,
                action_id=clearance.action_id if clearance else None,
                method=request.method,
                url=destination or request.url,
                detail=judged.reason,
                body=_body_of(request),
                resource=request.resource_type,
                verdict=judged.verdict,
            )
        )
        await route.fulfill(status=204)  # the page stays where it was

    async def _fetch_hop(self, route: Route, task_id: str | None, egress: Egress, clearance: Clearance | None) -> None:
        """Send a scoped navigation without following redirects; a redirect becomes a new navigation."""
        request = route.request
        try:
            response = await route.fetch(max_redirects=0)
        except PlaywrightError as error:
            log.info("A navigation to %s failed: %s", request.url, error)
            await route.abort("failed")
            return
        location = response.headers.get("location")
        if not (300 <= response.status < 400 and location):
            await route.fulfill(response=response)
            return
        destination = urljoin(request.url, location)
        if response.status in (307, 308) and request.method not in SAFE_METHODS:
            # These redirects repeat the method and body, which only the browser can do, and the browser's
            # next hop is not seen again: so it is judged here, with the body, and only a free one goes on.
            judged = egress.judge(destination, clearance.shown if clearance else "", (), _body_of(request) or "")
            if judged.verdict != "free":
                await self._hold(route, task_id, clearance, judged, destination)
                return
            await route.fulfill(response=response)
            return
        headers = {k: v for k, v in response.headers.items() if k.lower() not in _DROPPED_ON_REDIRECT}
        page = f"<!doctype html><meta charset=utf-8><script>location.replace({json.dumps(destination)})</script>"
        await route.fulfill(status=200, headers=headers, content_type="text/html; charset=utf-8", body=page)

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


# The redirect's own body is replaced by Deputy's one-line page, which the redirect's policy must not block.
_DROPPED_ON_REDIRECT = {
    "location",
    "content-length",
    "content-type",
    "content-encoding",
    "transfer-encoding",
    "content-security-policy",
    "content-security-policy-report-only",
}


def _top_level(request: Request) -> tuple[bool, Page | None]:
    """Whether the request navigates a page (not a frame in it), and that page if it exists yet."""
    if not request.is_navigation_request():
        return False, None
    try:
        frame = request.frame
    except PlaywrightError:  # a new window's first request is issued before its page exists
        return True, None
    return frame.parent_frame is None, frame.page


def _page_url(request: Request) -> str:
    try:
        return request.frame.page.url
    except PlaywrightError:
        return ""


def _origin(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return scheme.lower() + "://" + rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0].lower()


def _body_of(request: Request) -> str | None:
    try:
        data = request.post_data
    except Exception:  # binary bodies cannot be decoded as text
        return "<binary body>"
    if data is None:
        return None
    return data if len(data) <= MAX_BODY_RECORDED else data[:MAX_BODY_RECORDED] + "…"
