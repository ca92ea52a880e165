"""A task's tab: the page it is on (following new tabs it opens) and the operations actions use.

Actions never touch Playwright: they call these methods, which keep every Playwright detail in this package.
"""

import asyncio
import contextlib
import io
import logging
from collections.abc import Awaitable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from PIL import Image
from playwright.async_api import Download, Locator, Page
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeout

from backend.browser.egress import Egress
from backend.browser.masking import paint_over, secret_boxes
from backend.browser.rows import ADD_MODIFIER, Modifier, RowFacts, Selection, row_facts, row_point, row_state
from backend.browser.scene import Scene, scene_of
from backend.browser.screenshot import highlighted_screenshot
from backend.browser.snapshot import ElementInfo, Snapshot, page_changes, resolve, take_snapshot
from backend.policy.provenance import in_scope, site_of
from backend.traveller.placeholders import FillRefused, Personal, mentions_placeholder

log = logging.getLogger(__name__)

ACTION_TIMEOUT_MS = 8000
SETTLE_QUIET_S = 0.3
SETTLE_MAX_S = 3.0
# A row's selection shows within a few of the page's changes after the click, or not at all.
SELECT_LOOKS = 4
SELECT_WAIT_S = 0.5
# Roles of the fields a traveller's details may be filled into.
FILLABLE_ROLES = frozenset({"textbox", "combobox", "spinbutton", "searchbox", "listbox"})


class BrowserActionError(Exception):
    """An action that could not be done on the page; the message is for the model and the audit log."""


class StaleElement(BrowserActionError):
    """The element a ref named has left the page (a page that redraws its list, say) before the action."""


@dataclass
class Tab:
    task_id: str
    page: Page
    egress: Egress = field(default_factory=Egress)  # the task's scope, and what this tab typed and read
    pages: list[Page] = field(default_factory=list)
    # The travellers lent to this task: placeholders are filled here, and their values never read back.
    personal: Personal | None = None
    last_snapshot: Snapshot | None = None
    _inflight: int = 0
    _last_activity: float = 0.0

    def __post_init__(self) -> None:
        self.adopt(self.page)

    def adopt(self, page: Page) -> None:
        """Follow `page` from now on: a step that opens a new tab continues there."""
        if page not in self.pages:
            self.pages.append(page)
            page.on("popup", self.adopt)
            page.on("close", self._on_close)
            page.on("request", self._on_request)
            page.on("requestfinished", self._on_request_done)
            page.on("requestfailed", self._on_request_done)
        self.page = page

    def _on_close(self, page: Page) -> None:
        if page in self.pages:
            self.pages.remove(page)
        if page is self.page and self.pages:
            self.page = self.pages[-1]

    def _on_request(self, _request: object) -> None:
        self._inflight += 1
        self._last_activity = asyncio.get_running_loop().time()

    def _on_request_done(self, _request: object) -> None:
        self._inflight = max(0, self._inflight - 1)
        self._last_activity = asyncio.get_running_loop().time()

    @property
    def url(self) -> str:
        return self.page.url

    async def settle(self) -> None:
        """Wait until the page has loaded and the network has been quiet briefly (bounded)."""
        loop = asyncio.get_running_loop()
        # Requests an action starts reach us a moment later: count quiet time from now at the earliest.
        self._last_activity = max(self._last_activity, loop.time())
        deadline = loop.time() + SETTLE_MAX_S
        with contextlib.suppress(PlaywrightTimeout):
            await self.page.wait_for_load_state("load", timeout=SETTLE_MAX_S * 1000)
        while loop.time() < deadline:
            if self._inflight == 0 and loop.time() - self._last_activity >= SETTLE_QUIET_S:
                return
            await asyncio.sleep(0.05)

    async def changes(self, since: int | None = None, timeout_s: float = 0.0) -> tuple[bool, int]:
        """Whether the page changed since its version `since` (its content, or a new document), waiting up to
        `timeout_s` for a change; and its version now, to pass as `since` later."""
        return await page_changes(self.page, since, timeout_s)

    async def snapshot(self, expand: list[str] | None = None, max_items: int = 25) -> Snapshot:
        """The page as the model sees it; lists longer than `max_items` show their first items and an id to
        expand them by."""
        snapshot = await take_snapshot(self.page, expand=expand or (), max_items=max_items)
        self.egress.taint.read(snapshot.text)
        self.last_snapshot = self._redacted(snapshot)
        return self.last_snapshot

    def redact(self, text: str) -> str:
        """`text` with every identifying value of the lent travellers replaced by its placeholder."""
        return self.personal.redact(text) if self.personal else text

    def _redacted(self, snapshot: Snapshot) -> Snapshot:
        if self.personal is None:
            return snapshot
        elements = {
            ref: replace(e, name=self.redact(e.name), states={k: self._redact_state(v) for k, v in e.states.items()})
            for ref, e in snapshot.elements.items()
        }
        return replace(snapshot, text=self.redact(snapshot.text), elements=elements)

    def _redact_state(self, value: str | bool) -> str | bool:
        return self.redact(value) if isinstance(value, str) else value

    async def scene(self, ref: str | None) -> Scene:
        """What an action on `ref` acts on: its row, the ticked rows (seen or not), its form, dialog, heading."""
        scene = await scene_of(self.page, ref)
        if self.personal is None:
            return scene
        return replace(
            scene,
            selected=[self.redact(row) for row in scene.selected],
            row=self.redact(scene.row),
            form=[replace(v, label=self.redact(v.label), value=self.redact(v.value)) for v in scene.form],
            dialog=self.redact(scene.dialog),
            near=self.redact(scene.near),
            passage=self.redact(scene.passage),
            heading=self.redact(scene.heading),
            title=self.redact(scene.title),
        )

    async def tick_rows(self, rows: list[str]) -> bool:
        """Tick exactly the rows that read as `rows` (after a restart, to restore what an approval acts on)."""
        scene = await self.scene(None)
        if sorted(scene.selected) == sorted(rows):
            return True
        snapshot = self.last_snapshot = await take_snapshot(self.page, max_items=1_000_000)
        boxes = {e.ref: e for e in snapshot.elements.values() if e.role == "checkbox" and e.context.startswith("row")}
        for ref, box in boxes.items():
            if box.states.get("checked") is True:
                await self.set_checked(ref, False)
        wanted = list(rows)
        for ref in boxes:
            here = await self.scene(ref)
            if here.row in wanted:
                await self.set_checked(ref, True)
                wanted.remove(here.row)
        self.last_snapshot = None
        return not wanted and sorted((await self.scene(None)).selected) == sorted(rows)

    async def row_facts(self, refs: list[str]) -> dict[str, RowFacts]:
        """What the rows holding these refs show beyond their text (addresses, bold, icons, selection)."""
        return await row_facts(self.page, refs)

    def element(self, ref: str) -> ElementInfo:
        """The element `ref` as the last snapshot described it (what risk and approvals are judged on)."""
        if self.last_snapshot is None or ref not in self.last_snapshot.elements:
            raise BrowserActionError(f"No element {ref} in the current snapshot; take a new snapshot first.")
        return self.last_snapshot.elements[ref]

    async def _locator(self, ref: str) -> Locator:
        """The element the snapshot saw under `ref`, checked in Deputy's own world just before acting, so a
        page that moved the ref's mark to another element cannot redirect the action."""
        self.element(ref)
        try:
            return await resolve(self.page, ref)
        except Exception as error:
            raise StaleElement(f"Element {ref} is no longer on the page ({error}); take a new snapshot.") from None

    async def _do(self, what: str, operation: Awaitable[object]) -> None:
        try:
            await operation
        except PlaywrightTimeout:
            raise BrowserActionError(f"Timed out trying to {what}: the element may be hidden or disabled.") from None
        except PlaywrightError as error:
            raise BrowserActionError(f"Could not {what}: {self.redact(error.message.splitlines()[0])}") from None

    async def navigate(self, url: str) -> None:
        await self._do(f"open {url}", self.page.goto(url, timeout=15000))

    async def go_back(self) -> bool:
        response = None
        try:
            response = await self.page.go_back(timeout=ACTION_TIMEOUT_MS)
        except PlaywrightError as error:
            raise BrowserActionError(f"Could not go back: {error.message.splitlines()[0]}") from None
        return response is not None

    async def click(self, ref: str, modifiers: list[Modifier] | None = None) -> None:
        locator = await self._locator(ref)
        if self.element(ref).states.get("disabled") == "aria":
            # Playwright waits for aria-disabled to clear, forever for the menu items many webmails leave marked
            # so that still work: wait only until it can be seen, then click where a person would.
            await self._do(f"reach {ref}", locator.wait_for(state="visible", timeout=ACTION_TIMEOUT_MS))
            await self._do(f"reach {ref}", locator.scroll_into_view_if_needed(timeout=ACTION_TIMEOUT_MS))
            operation = locator.click(timeout=ACTION_TIMEOUT_MS, force=True, modifiers=modifiers)
        else:
            operation = locator.click(timeout=ACTION_TIMEOUT_MS, modifiers=modifiers)
        await self._do(f"click {ref}", operation)

    async def select_row(self, ref: str, add: bool) -> Selection:
        """Select the list row holding `ref` by clicking it (with the platform's Ctrl or Meta to `add` it to the
        rows already selected), and read in Deputy's own world whether the selection took."""
        before = await row_state(self.page, ref)
        if before is None:
            raise BrowserActionError(f"Element {ref} is no longer in a row of the page; take a new snapshot.")
        if before.selected:
            return before
        _, version = await self.changes()
        spot = await row_point(self.page, ref)
        if spot is None:
            await self.click(ref, [ADD_MODIFIER] if add else None)
        else:
            # On the row itself, as a person selects it: a link in the row would open the message instead.
            keyboard = self.page.keyboard
            if add:
                await keyboard.down(ADD_MODIFIER)
            try:
                await self._do(f"click the row of {ref}", self.page.mouse.click(*spot))
            finally:
                if add:
                    await keyboard.up(ADD_MODIFIER)
        for _ in range(SELECT_LOOKS):
            after = await row_state(self.page, ref, before)
            if after is None or after.selected:
                break
            # Selection is drawn by the page's script after the click: wait for its change, with a bound.
            _, version = await self.changes(version, SELECT_WAIT_S)
        if after is None:
            raise BrowserActionError(f"The row of {ref} went away when it was clicked.")
        return after

    async def _personal_value(self, ref: str, locator: Locator, text: str) -> str:
        """The text with its placeholders filled, if this field on this site may receive them; else the
        refusal, whose message holds no value."""
        if not mentions_placeholder(text):
            return text
        if self.personal is None:
            raise BrowserActionError("This task has no traveller details to fill; placeholders work in check-in tasks.")
        element = self.element(ref)
        if element.role not in FILLABLE_ROLES:
            raise BrowserActionError(f"{ref} is a {element.role}, not a field for a traveller's details.")
        try:
            here = await locator.evaluate("(el) => el.ownerDocument.location.href", timeout=ACTION_TIMEOUT_MS)
        except PlaywrightError:
            here = self.page.url
        site = site_of(here)
        if not self.egress.scoped or not in_scope(site, self.egress.scope):
            raise BrowserActionError(f"Deputy fills traveller details only on this task's sites, not on {site}.")
        try:
            value = self.personal.fill(text, element.name)
        except FillRefused as refused:
            raise BrowserActionError(str(refused)) from None
        log.info("Task %s: filled traveller details into %s on %s.", self.task_id, ref, site)
        return value

    async def type_text(self, ref: str, text: str, submit: bool) -> None:
        locator = await self._locator(ref)
        text = await self._personal_value(ref, locator, text)
        self.egress.taint.typed(text)
        await self._do(f"type into {ref}", locator.fill(text, timeout=ACTION_TIMEOUT_MS))
        if submit:
            await self._do(f"press Enter in {ref}", locator.press("Enter", timeout=ACTION_TIMEOUT_MS))

    async def select_option(self, ref: str, values: list[str]) -> list[str]:
        locator = await self._locator(ref)
        asked = list(values)
        values = [await self._personal_value(ref, locator, value) for value in values]
        for value in values:
            self.egress.taint.typed(value)
        try:
            return [self.redact(v) for v in await locator.select_option(values, timeout=ACTION_TIMEOUT_MS)]
        except PlaywrightError:
            try:
                chosen = await locator.select_option(label=values, timeout=ACTION_TIMEOUT_MS)
                return [self.redact(v) for v in chosen]
            except PlaywrightError as error:
                raise BrowserActionError(
                    f"Could not select {asked} in {ref}: {self.redact(error.message.splitlines()[0])}"
                ) from None

    async def set_checked(self, ref: str, checked: bool) -> None:
        await self._do(
            f"set {ref} checked={checked}", (await self._locator(ref)).set_checked(checked, timeout=ACTION_TIMEOUT_MS)
        )

    async def press_key(self, key: str, ref: str | None) -> None:
        if ref:
            await self._do(f"press {key} in {ref}", (await self._locator(ref)).press(key, timeout=ACTION_TIMEOUT_MS))
        else:
            await self._do(f"press {key}", self.page.keyboard.press(key))

    async def scroll(self, direction: Literal["up", "down"], ref: str | None) -> None:
        if ref:
            locator = await self._locator(ref)
            await self._do(f"scroll to {ref}", locator.scroll_into_view_if_needed(timeout=ACTION_TIMEOUT_MS))
            return
        await self.page.mouse.wheel(0, 600 if direction == "down" else -600)

    async def upload(self, ref: str, files: list[Path]) -> None:
        await self._do(f"upload to {ref}", (await self._locator(ref)).set_input_files(files, timeout=ACTION_TIMEOUT_MS))

    async def download(self, ref: str, folder: Path) -> Path:
        try:
            async with self.page.expect_download(timeout=15000) as info:
                await (await self._locator(ref)).click(timeout=ACTION_TIMEOUT_MS)
            download: Download = await info.value
        except PlaywrightTimeout:
            raise BrowserActionError(f"Clicking {ref} started no download.") from None
        except PlaywrightError as error:
            raise BrowserActionError(f"Download from {ref} failed: {error.message.splitlines()[0]}") from None
        await asyncio.to_thread(folder.mkdir, parents=True, exist_ok=True)
        target = _free_name(folder, Path(download.suggested_filename).name or "download")
        await download.save_as(target)
        return target

    async def extract_text(self, ref: str | None, max_chars: int) -> str:
        locator = await self._locator(ref) if ref else self.page.locator("body")
        text = (await locator.inner_text(timeout=ACTION_TIMEOUT_MS))[:max_chars]
        self.egress.taint.read(text)
        return self.redact(text)

    async def extract_table(self, ref: str | None) -> list[list[str]]:
        locator = await self._locator(ref) if ref else self.page.locator("table").first
        try:
            rows: list[list[str]] = await locator.evaluate(
                """(el) => {
                    const table = el.closest('table') || el.querySelector('table') || el;
                    return Array.from(table.querySelectorAll('tr')).map(
                        (tr) => Array.from(tr.querySelectorAll('th,td')).map((c) => c.innerText.trim()));
                }""",
                timeout=ACTION_TIMEOUT_MS,
            )
        except PlaywrightError as error:
            raise BrowserActionError(f"No table found: {error.message.splitlines()[0]}") from None
        self.egress.taint.read("\n".join(" ".join(row) for row in rows))
        return [[self.redact(cell) for cell in row] for row in rows]

    async def wait_for_text(self, text: str, timeout_s: float) -> bool:
        try:
            await self.page.get_by_text(text).first.wait_for(state="visible", timeout=timeout_s * 1000)
        except PlaywrightError:
            return False
        return True

    async def screenshot(self, path: Path, ref: str | None = None, rows: list[str] | None = None) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        hide = [value for value, _ in self.personal.secrets()] if self.personal else []
        if ref:
            self.element(ref)
            return await highlighted_screenshot(self.page, ref, path, rows=bool(rows), hide=hide)
        png = await self.page.screenshot(type="png", scale="css")
        image = Image.open(io.BytesIO(png)).convert("RGB")
        paint_over(image, await secret_boxes(self.page, hide))
        image.save(path, format="PNG")
        return path

    async def request(self, method: str, url: str, body: dict[str, object]) -> int:
        """Call the site's own API from the page, with its cookies, through the write gate."""
        try:
            return await self.page.evaluate(
                """async ([method, url, body]) => {
                    if (new URL(url, location.href).origin !== location.origin) return 0;
                    const r = await fetch(url, {method, headers: {'Content-Type': 'application/json'},
                                                body: JSON.stringify(body), credentials: 'same-origin'});
                    return r.status;
                }""",
                [method, url, body],
            )
        except PlaywrightError as error:
            raise BrowserActionError(f"The request to {url} failed: {error.message.splitlines()[0]}") from None

    async def close(self) -> None:
        for page in list(self.pages):
            with contextlib.suppress(PlaywrightError):
                await page.close()


def _free_name(folder: Path, name: str) -> Path:
    candidate = folder / name
    stem, suffix, n = candidate.stem, candidate.suffix, 1
    while candidate.exists():
        candidate = folder / f"{stem} ({n}){suffix}"
        n += 1
    return candidate
