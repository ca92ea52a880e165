"""Benchmark: Deputy's page snapshot against Playwright's own ARIA snapshots, on the demo sites and on the
third-party-like perception fixtures (tests/pages/perception).

Run with `.venv/bin/python scripts/bench/snapshot.py`. For each page it prints the size of Deputy's
snapshot and of Playwright's (`locator("body").aria_snapshot()` and, where this Playwright has it,
`page.aria_snapshot(mode="ai")`), and whether every interactive element on the page can be acted on by
reference in each (coverage). It prints figures and whether the targets are met; it never asserts on time.

What counts as actionable: interactive tags and ARIA roles, handlers and tab stops, and, asked of the
browser itself (CDP `DOMDebugger.getEventListeners`), every element a script listens on for clicks, plus
the topmost element of each pointer-cursor area. A control counts as reached when it, or its label (for a
control drawn invisible behind it), or the single control it wraps or is wrapped in, carries a ref.

Tokens are estimated offline the same way for every snapshot: UTF-8 bytes / 4. Claude's tokenizer is not
public and tiktoken downloads its files at run time, so absolute counts are rough; compare the ratios.
"""

import asyncio
import inspect
import re
import statistics
import sys
from collections.abc import Awaitable, Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter

import httpx
from playwright.async_api import Browser, Page, async_playwright

from backend.browser.flags import CHROMIUM_ARGS, find_chromium
from backend.browser.snapshot import REF_ATTR, Snapshot, take_snapshot
from backend.demo.server import start_demo_sites
from backend.servers import ThreadedServer

TARGET_RATIO = 0.5
TARGET_COVERAGE = 0.98
TIMED_RUNS = 7
ALL_TIMINGS: list[float] = []
FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "pages" / "perception"
PW_MARK = "data-bench-playwright-ref"

# Every element a person could act on, found without Deputy's walk: by tag, ARIA role, handler or tab stop.
# Visible ones only: rendered with a box bigger than a pixel, not aria-hidden, inert or behind a modal
# dialog, not inside a box clipped to a pixel (screen-reader-only), and not parked before the start of the
# page where no scrolling reaches it (unless a scrolling box could bring it back). Open shadow roots too.
COUNT_INTERACTIVE = """
([mark, listened]) => {
  const selector = 'a[href], area[href], button, input:not([type=hidden]), select, textarea, summary,'
    + ' [contenteditable=""], [contenteditable=true], [onclick], [tabindex]:not([tabindex^="-"]),'
    + ' [role=button], [role=link], [role=checkbox], [role=radio], [role=switch], [role=tab], [role=menuitem],'
    + ' [role=menuitemcheckbox], [role=menuitemradio], [role=option], [role=combobox], [role=textbox],'
    + ' [role=searchbox], [role=slider], [role=spinbutton], [role=treeitem]';
  const found = [];
  const collect = (root) => {
    found.push(...root.querySelectorAll(selector));
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) collect(el.shadowRoot);
      if (el.hasAttribute('data-bench-listened') && !['html', 'body'].includes(el.localName)) {
        // A listening box whose parts show the pointer (or listen themselves) delegates: its parts are what a
        // person clicks, and they are counted by the pointer rule below, not the box.
        const r = el.getBoundingClientRect();
        const delegates = Array.from(el.querySelectorAll('*')).some(
          (c) => c.hasAttribute('data-bench-listened') || getComputedStyle(c).cursor === 'pointer');
        if (r.width * r.height <= 0.2 * innerWidth * innerHeight && !el.querySelector(selector) && !delegates) {
          found.push(el);
        }
      }
      const p = el.parentElement;
      if (getComputedStyle(el).cursor === 'pointer' && p && getComputedStyle(p).cursor !== 'pointer'
          && !el.querySelector(selector) && !el.closest(selector)) found.push(el);
    }
  };
  collect(document);
  const modal = document.querySelector(':modal');
  const parent = (n) => n.parentElement || (n.parentNode && n.parentNode.host) || null;
  const visible = (el) => {
    if (!el.checkVisibility({ visibilityProperty: true })) return false;
    const rect = el.getBoundingClientRect();
    if (rect.width <= 1 || rect.height <= 1) return false;
    if (modal && !modal.contains(el)) return false;
    let scrolls = false;
    for (let n = el; n; n = parent(n)) {
      if (n.getAttribute('aria-hidden') === 'true' || n.hasAttribute('inert')) return false;
      const s = getComputedStyle(n);
      const box = n.getBoundingClientRect();
      const clipped = s.overflowX !== 'visible' && s.overflowY !== 'visible' && (box.width <= 1 || box.height <= 1);
      if (n !== el && (clipped || s.clip === 'rect(0px, 0px, 0px, 0px)')) return false;
      if (n !== el && /auto|scroll/.test(s.overflowX + s.overflowY)) scrolls = true;
    }
    const fixed = getComputedStyle(el).position === 'fixed';
    const parked = rect.right + scrollX <= 0 || rect.bottom + (fixed ? 0 : scrollY) <= 0;
    return scrolls || !parked;
  };
  const shown = [...new Set(found)].filter(visible);
  const marked = (el) => Boolean(el) && el.hasAttribute(mark);
  const inside = (box) => shown.filter((other) => other !== box && box.contains(other));
  const reached = (el) => {
    if (marked(el) || [...(el.labels || [])].some(marked)) return true;
    const outer = el.parentElement && el.parentElement.closest(`[${mark}]`);
    if (outer && inside(outer).length === 1) return true;
    const inner = el.querySelectorAll(`[${mark}]`);
    return inner.length === 1 && inside(el).every((other) => other === inner[0]);
  };
  const unreached = shown.filter((el) => !reached(el));
  const describe = (el) => `${el.localName}${el.id ? '#' + el.id : ''} "${(el.getAttribute('aria-label')
    || el.textContent || el.getAttribute('title') || '').trim().replace(/\\s+/g, ' ').slice(0, 40)}"`;
  return [shown.length, shown.length - unreached.length, unreached.slice(0, 5).map(describe)];
}
"""


def tokens(text: str) -> int:
    return (len(text.encode("utf-8")) + 3) // 4


@dataclass
class Reach:
    total: int
    reached: int
    missing: list[str]

    def __str__(self) -> str:
        return f"{self.reached}/{self.total}"


@dataclass
class Row:
    site: str
    page: str
    deputy: int
    deputy_ms: float
    aria: int
    ai: int | None
    listed: Reach
    reachable: Reach
    playwright: Reach | None

    @property
    def baseline(self) -> int:
        """The like-for-like Playwright snapshot: the AI one, which gives refs to act on, where it exists."""
        return self.ai if self.ai is not None else self.aria

    @property
    def complete(self) -> bool:
        return self.reachable.reached == self.reachable.total

    @property
    def met(self) -> bool:
        return self.deputy <= TARGET_RATIO * self.baseline and self.complete

    @property
    def met_vs_aria(self) -> bool:
        return self.deputy <= TARGET_RATIO * self.aria and self.complete


LISTENED = "data-bench-listened"
POINTER_EVENTS = {"click", "dblclick", "auxclick", "mousedown", "mouseup", "pointerdown", "pointerup", "touchstart"}


async def mark_listened(page: Page) -> None:
    """Mark every element a script listens on for clicks, as the browser reports it (any world, any tree)."""
    session = await page.context.new_cdp_session(page)
    try:
        document = await session.send("Runtime.evaluate", {"expression": "document"})
        found = await session.send(
            "DOMDebugger.getEventListeners",
            {"objectId": document["result"]["objectId"], "depth": -1, "pierce": True},
        )
        for node in {item["backendNodeId"] for item in found["listeners"] if item["type"] in POINTER_EVENTS}:
            try:
                obj = await session.send("DOM.resolveNode", {"backendNodeId": node})
                await session.send(
                    "Runtime.callFunctionOn",
                    {
                        "objectId": obj["object"]["objectId"],
                        "functionDeclaration": f"function () {{ this.setAttribute?.('{LISTENED}', ''); }}",
                    },
                )
            except Exception:
                continue  # a node gone meanwhile
    finally:
        await session.detach()


async def count_reach(page: Page, mark: str) -> Reach:
    total = reached = 0
    missing: list[str] = []
    for frame in page.frames:
        try:
            shown, hit, examples = await frame.evaluate(COUNT_INTERACTIVE, [mark, True])
        except Exception:
            continue  # a frame still loading or gone: nothing there to count
        total, reached = total + shown, reached + hit
        missing.extend(examples)
    return Reach(total, reached, missing)


async def deputy_reach(page: Page) -> tuple[Snapshot, float, Reach, Reach]:
    """Deputy's default snapshot and its timing; interactive elements it lists, and reaches with expand."""
    timings = []
    for _ in range(TIMED_RUNS):
        started = perf_counter()
        snap = await take_snapshot(page)
        timings.append((perf_counter() - started) * 1000)
    elapsed = statistics.median(timings)
    ALL_TIMINGS.extend(timings)
    await clear_marks(page, REF_ATTR)
    await take_snapshot(page)
    listed = await count_reach(page, REF_ATTR)
    lists = re.findall(r'expand=\["(L\d+)"\]', snap.text)
    await take_snapshot(page, expand=lists)
    reachable = await count_reach(page, REF_ATTR)
    return snap, elapsed, listed, reachable


async def clear_marks(page: Page, attr: str) -> None:
    """Take marks off the page so a count only sees what comes next (Deputy never reuses a cleared ref)."""
    for frame in page.frames:
        try:
            await frame.evaluate(
                "(attr) => { const clear = (root) => { for (const el of root.querySelectorAll('*')) {"
                " el.removeAttribute(attr); if (el.shadowRoot) clear(el.shadowRoot); } }; clear(document); }",
                attr,
            )
        except Exception:
            continue


async def playwright_reach(page: Page, ai: str) -> Reach:
    """Mark every element Playwright's AI snapshot gave a ref, then count the interactive ones marked."""
    await clear_marks(page, PW_MARK)
    for ref in set(re.findall(r"\[ref=(e\d+|f\d+e\d+)\]", ai)):
        try:
            await page.locator(f"aria-ref={ref}").evaluate(f"(el) => el.setAttribute('{PW_MARK}', '')", timeout=2000)
        except Exception:
            continue  # a ref to something that has gone since
    return await count_reach(page, PW_MARK)


WATCH_MUTATIONS = """() => {
  if (!window.__benchMutations) {
    window.__benchMutations = { count: 0 };
    new MutationObserver((records) => { window.__benchMutations.count += records.length; })
      .observe(document, { childList: true, subtree: true, characterData: true });
  }
  window.__benchMutations.count = 0;
}"""


async def measure(site: str, name: str, page: Page) -> Row:
    """Measure a page; again if it re-rendered meanwhile (the deploy dashboard polls), so counts agree."""
    await mark_listened(page)
    for _ in range(5):
        await page.evaluate(WATCH_MUTATIONS)
        row = await measure_once(site, name, page)
        if await page.evaluate("window.__benchMutations.count") == 0:
            return row
    print(f"note: {site} {name} kept changing while it was measured; its reach figures may be off")
    return row


async def measure_once(site: str, name: str, page: Page) -> Row:
    snap, elapsed, listed, reachable = await deputy_reach(page)
    aria = await page.locator("body").aria_snapshot()
    ai_text: str | None = None
    if "mode" in inspect.signature(page.aria_snapshot).parameters:
        ai_text = await page.aria_snapshot(mode="ai")
    return Row(
        site=site,
        page=name,
        deputy=tokens(snap.text),
        deputy_ms=elapsed,
        aria=tokens(aria),
        ai=tokens(ai_text) if ai_text is not None else None,
        listed=listed,
        reachable=reachable,
        playwright=await playwright_reach(page, ai_text) if ai_text is not None else None,
    )


async def mail_pages(page: Page, url: str) -> list[tuple[str, Callable[[], Awaitable[None]]]]:
    async with httpx.AsyncClient() as client:
        mailbox = (await client.post(f"{url}/_test/mailboxes")).raise_for_status().json()
    rows = page.locator("tr.row")

    async def inbox() -> None:
        await page.goto(mailbox["url"])
        await rows.first.wait_for()

    async def message() -> None:
        await rows.first.click()
        await page.get_by_role("region", name="Reading pane").get_by_role("heading").first.wait_for()

    async def trash() -> None:
        await page.get_by_role("link", name=re.compile(r"^Trash")).click()
        await page.wait_for_url(re.compile(r"trash"))
        # The list re-renders in place: wait for the Trash view's own banner and the end of loading.
        await page.locator("#trash-banner").wait_for()
        await page.locator("#loading").wait_for(state="hidden")

    return [("inbox", inbox), ("open message", message), ("trash", trash)]


async def air_pages(page: Page, url: str) -> list[tuple[str, Callable[[], Awaitable[None]]]]:
    async def find() -> None:
        await page.goto(f"{url}/")
        await page.get_by_label("Booking code").wait_for()

    async def trip() -> None:
        await page.get_by_label("Booking code").fill("DQ7K2M")
        await page.get_by_label("Last name").fill("Rivera")
        await page.get_by_role("button", name="Find booking").click()
        await page.wait_for_url(re.compile(r"/checkin/trip"))

    async def passengers() -> None:
        await page.goto(f"{url}/checkin/passengers")
        await page.wait_for_load_state()

    return [("find booking", find), ("trip", trip), ("passengers", passengers)]


async def deploy_pages(page: Page, url: str) -> list[tuple[str, Callable[[], Awaitable[None]]]]:
    async def services() -> None:
        await page.goto(f"{url}/")
        await page.locator("a.service-link").first.wait_for()

    async def deployment() -> None:
        href = await page.locator('a[data-key^="last-"]').first.get_attribute("href")
        await page.goto(f"{url}{href}")
        await page.get_by_role("heading", name=re.compile(r"^Deployment ")).wait_for()

    return [("services", services), ("deployment", deployment)]


async def fixture_pages(page: Page, _url: str) -> list[tuple[str, Callable[[], Awaitable[None]]]]:
    def visit(path: Path) -> Callable[[], Awaitable[None]]:
        async def go() -> None:
            await page.goto(path.as_uri())
            await page.wait_for_load_state()

        return go

    return [(path.stem, visit(path)) for path in sorted(FIXTURES.glob("*.html"))]


async def run(browser: Browser, sites: dict[str, ThreadedServer]) -> list[Row]:
    rows: list[Row] = []
    plans = {"mail": mail_pages, "air": air_pages, "deploy": deploy_pages, "fixture": fixture_pages}
    for site, plan in plans.items():
        context = await browser.new_context(viewport={"width": 1280, "height": 800})
        page = await context.new_page()
        for name, visit in await plan(page, sites[site].url if site in sites else ""):
            await visit()
            rows.append(await measure(site, name, page))
        await context.close()
    return rows


def report(rows: list[Row], has_ai: bool) -> None:
    print("Token estimate: UTF-8 bytes / 4, the same for every snapshot (Claude's tokenizer is not public).")
    print("Reach: visible interactive elements (found by a DOM query) that can be acted on by reference.")
    print("  D listed = has a ref in Deputy's default snapshot; D w/ expand = after expanding summarised lists;")
    print("  PW ai reach = has a [ref=...] in page.aria_snapshot(mode='ai'). The default ARIA snapshot has no refs.")
    baseline = "Playwright's AI snapshot (refs included, like for like)" if has_ai else "Playwright's ARIA snapshot"
    print(f"Target per page: Deputy <= {TARGET_RATIO:.0%} of {baseline}, and every element reachable.")
    print("'vs aria' applies the same target to the default ARIA snapshot, which has no refs at all.")
    if not has_ai:
        print("This Playwright has no aria_snapshot(mode='ai'): compared with the default ARIA snapshot only.")
    print()
    header = (
        f"{'page':<20} {'Deputy':>7} {'PW aria':>8} {'PW ai':>7} {'D/aria':>7} {'D/ai':>6} "
        f"{'D listed':>9} {'D w/ expand':>12} {'PW ai reach':>12} {'ms':>5}  {'target':<8} vs aria"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        ai = f"{row.ai:>7}" if row.ai is not None else f"{'-':>7}"
        ai_ratio = f"{row.deputy / row.ai:>6.0%}" if row.ai else f"{'-':>6}"
        reach = f"{row.playwright!s:>12}" if row.playwright is not None else f"{'-':>12}"
        print(
            f"{row.site + ' ' + row.page:<20} {row.deputy:>7} {row.aria:>8} {ai} {row.deputy / row.aria:>7.0%} "
            f"{ai_ratio} {row.listed!s:>9} {row.reachable!s:>12} {reach} {row.deputy_ms:>5.0f}  "
            f"{'met' if row.met else 'NOT met':<8} {'met' if row.met_vs_aria else 'not met'}"
        )
        for missing in row.reachable.missing:
            print(f"    Deputy cannot reach: {missing}")
    print("-" * len(header))
    deputy = sum(row.deputy for row in rows)
    aria = sum(row.aria for row in rows)
    ai_total = sum(row.ai or 0 for row in rows)
    ratios = f"{deputy / ai_total:.0%} of the AI snapshot, " if has_ai else ""
    print(f"overall: Deputy {deputy} tokens: {ratios}{deputy / aria:.0%} of the ARIA snapshot")
    print(f"every interactive element reachable by ref: {'yes' if all(row.complete for row in rows) else 'no'}")
    met = sum(row.met for row in rows)
    print(
        f"target {'met' if met == len(rows) else 'NOT met'} overall: {met} of {len(rows)} pages "
        f"({sum(row.met_vs_aria for row in rows)} of {len(rows)} against the ARIA snapshot)"
    )
    total = sum(row.reachable.total for row in rows)
    reached = sum(row.reachable.reached for row in rows)
    pw_total = sum(row.playwright.total for row in rows if row.playwright)
    pw_reached = sum(row.playwright.reached for row in rows if row.playwright)
    print(
        f"coverage (visible actionable elements, script-listened included): Deputy {reached}/{total} "
        f"= {reached / max(total, 1):.1%} (target {TARGET_COVERAGE:.0%}); Playwright AI "
        f"{pw_reached}/{pw_total} = {pw_reached / max(pw_total, 1):.1%}"
    )
    print(f"overall size: Deputy {deputy / ai_total:.0%} of Playwright's AI snapshot (target <= {TARGET_RATIO:.0%})")
    cuts = statistics.quantiles(ALL_TIMINGS, n=20)
    print(f"snapshot time per page: p50 {statistics.median(ALL_TIMINGS):.0f} ms, p95 {cuts[18]:.0f} ms")
    print("ms: Deputy's snapshot time on this machine (median per page), for information only.")


async def main() -> None:
    chromium = find_chromium()
    if chromium is None:
        sys.exit("Chromium is not installed: install Debian's chromium package.")
    with ExitStack() as stack:
        sites = start_demo_sites(stack, any_port=True)
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS, headless=True)
            rows = await run(browser, sites)
            has_ai = all(row.ai is not None for row in rows)
            await browser.close()
    report(rows, has_ai)


if __name__ == "__main__":
    asyncio.run(main())
