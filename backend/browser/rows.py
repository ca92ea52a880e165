"""What a list's rows show beyond their text, read in Deputy's own world: the sender's address a webmail keeps
in a tooltip or attribute, whether the row is drawn bold or carries an unread icon, and whether it is selected.

A snapshot line holds what a person reads; these are what a person sees (a bold row, a dot, a highlighted
selection) or finds by pointing (an address in a title). They are read where the page's scripts cannot reach,
by the refs a snapshot issued, so a page can neither fake a selection nor hide one.
"""

import logging
from dataclasses import dataclass
from typing import Literal

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from backend.browser.snapshot import worlds_of
from backend.browser.world import WorldGone, run

log = logging.getLogger(__name__)

Modifier = Literal["Alt", "Control", "ControlOrMeta", "Meta", "Shift"]
# The key that adds a row to a selection: Meta on macOS, Control elsewhere.
ADD_MODIFIER: Modifier = "ControlOrMeta"

# Shared by both scripts: the row holding a ref's element, and what marks a row selected.
_COMMON = r"""
  const ROW = 'tr, [role=row], [role=option], [role=listitem], [role=article], li, article';
  const W = globalThis.__deputy;
  const rowOf = (ref) => {
    const el = W && W.byMark && W.byMark.get(ref)?.deref();
    if (!el || !el.isConnected) return null;
    return el.closest(ROW) || el;
  };
  const tokens = (el) => (typeof el.className === 'string' ? el.className : '').split(/\s+/).filter(Boolean);
  const stateOf = (row) => {
    const boxes = [...row.querySelectorAll('input[type=checkbox], [role=checkbox]')];
    return {
      aria: row.getAttribute('aria-selected') === 'true' || row.getAttribute('aria-checked') === 'true',
      checked: boxes.some((b) => b.checked === true || b.getAttribute('aria-checked') === 'true'),
      classes: tokens(row),
    };
  };
"""

_STATE = (
    "(args) => {"
    + _COMMON
    + r"""
  const row = rowOf(args.ref);
  return JSON.stringify(row ? stateOf(row) : null);
}"""
)

_FACTS = (
    "(args) => {"
    + _COMMON
    + r"""
  const EMAIL = /[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;
  const UNREAD = /(^|[^a-z])(unread|unseen|is-new|status-new|new-mail|new-message)([^a-z]|$)/i;
  const squash = (s) => (s || '').replace(/\s+/g, ' ').trim();
  const out = {};
  for (const ref of args.refs) {
    const row = rowOf(ref);
    if (!row) continue;
    const addresses = [];
    let icon = UNREAD.test(tokens(row).join(' '));
    let heaviest = 0;
    for (const el of [row, ...row.querySelectorAll('*')]) {
      const said = [];
      for (const attr of el.attributes) {
        if (attr.name === 'title' || attr.name === 'aria-label' || attr.name === 'alt' || attr.name.startsWith('data-')
            || (attr.name === 'href' && attr.value.startsWith('mailto:'))) said.push(attr.value);
      }
      for (const value of said) {
        const found = value.match(EMAIL);
        if (found) addresses.push([squash(el.innerText || el.textContent).slice(0, 200), found[0].toLowerCase()]);
      }
      // An icon or a class that says unread; a control that would mark it so ("Mark as unread") does not.
      const words = [...said, ...tokens(el)].join(' ');
      if (el !== row && UNREAD.test(words) && !/mark|toggle/i.test(words)) icon = true;
      if (el.childElementCount === 0 && squash(el.textContent)) {
        const weight = Number(getComputedStyle(el).fontWeight) || 400;
        heaviest = Math.max(heaviest, weight);
      }
    }
    out[ref] = { addresses, icon, weight: heaviest, ...stateOf(row) };
  }
  return JSON.stringify(out);
}"""
)

# A spot of the row that a click selects rather than opens: a cell with no link or control under it (the
# date, the size, the gap beside the subject), found by asking the document what lies at each spot.
_POINT = (
    "(args) => {"
    + _COMMON
    + r"""
  const row = rowOf(args.ref);
  if (!row) return JSON.stringify(null);
  row.scrollIntoView({ block: 'nearest' });
  const ACTIVE = 'a, button, input, select, textarea, label, [role=button], [role=link], [role=checkbox], [onclick]';
  const free = (x, y) => {
    const hit = document.elementFromPoint(x, y);
    if (!hit || !row.contains(hit)) return false;
    const control = hit.closest(ACTIVE);
    return !control || control === row || !row.contains(control);
  };
  const spots = [];
  for (const part of [...row.querySelectorAll('*')].reverse()) {
    const r = part.getBoundingClientRect();
    const middle = r.top + r.height / 2;
    if (r.width > 2 && r.height > 2) spots.push([r.left + r.width / 2, middle], [r.right - 2, middle]);
  }
  const box = row.getBoundingClientRect();
  spots.push([box.right - 3, box.top + box.height / 2], [box.left + box.width / 2, box.top + box.height / 2]);
  const spot = spots.find(([x, y]) => x >= 0 && y >= 0 && x < innerWidth && y < innerHeight && free(x, y));
  return JSON.stringify(spot || null);
}"""
)

# Class words that a page adds to a row it draws as selected.
_SELECTED_WORDS = ("select", "activ", "highlight", "check", "mark", "focus", "current", "picked")


@dataclass(frozen=True)
class Selection:
    """Whether a row reads as selected, and its class words (to compare with before a click)."""

    selected: bool
    classes: tuple[str, ...] = ()


@dataclass(frozen=True)
class RowFacts:
    addresses: tuple[tuple[str, str], ...]  # (the text of the element that holds it, the address)
    unread_icon: bool  # an icon or class on the row says unread
    weight: int  # the heaviest font weight of the row's text
    selected: bool  # aria-selected, or a ticked box in it

    def address_of(self, name: str) -> str:
        """The address shown with `name` (in its title or attribute), else the row's only one, else ''."""
        for text, address in self.addresses:
            if text and text.strip().lower() == name.strip().lower():
                return address
        found = {address for _, address in self.addresses}
        return found.pop() if len(found) == 1 else ""


async def _in_worlds(page: Page, script: str, args: dict[str, object]) -> list[object]:
    """The script's result in Deputy's world of each frame the last snapshot walked."""
    results = []
    for path, world in await worlds_of(page):
        try:
            results.append(await run(world, script, args))
        except (WorldGone, PlaywrightError) as error:  # a frame gone holds no rows now
            log.debug("No rows read from frame %r: %s", path, error)
    return results


async def row_state(page: Page, ref: str, before: Selection | None = None) -> Selection | None:
    """Whether the row holding `ref` is selected: aria-selected, a ticked box, or (against `before`) a class
    word of selection that appeared. None if no frame holds the ref any more."""
    for raw in await _in_worlds(page, _STATE, {"ref": ref}):
        if not isinstance(raw, dict):
            continue
        classes = tuple(str(c) for c in raw["classes"])
        added = set(classes) - set(before.classes) if before is not None else set()
        drawn = any(word in c.lower() for c in added for word in _SELECTED_WORDS)
        return Selection(bool(raw["aria"] or raw["checked"] or drawn), classes)
    return None


async def row_facts(page: Page, refs: list[str]) -> dict[str, RowFacts]:
    """For each ref (any element of a row), what its row shows beyond its text."""
    facts: dict[str, RowFacts] = {}
    for raw in await _in_worlds(page, _FACTS, {"refs": refs}):
        if not isinstance(raw, dict):
            continue
        for ref, row in raw.items():
            facts[ref] = RowFacts(
                addresses=tuple((str(t), str(a)) for t, a in row["addresses"]),
                unread_icon=bool(row["icon"]),
                weight=int(row["weight"]),
                selected=bool(row["aria"] or row["checked"]),
            )
    return facts


async def row_point(page: Page, ref: str) -> tuple[float, float] | None:
    """A point of the main frame's row holding `ref` where a click lands on the row itself, not on a link or
    control in it; None when there is none (or the row is in a child frame)."""
    for path, world in await worlds_of(page):
        if path:
            continue
        try:
            spot = await run(world, _POINT, {"ref": ref})
        except (WorldGone, PlaywrightError):
            return None
        return (float(spot[0]), float(spot[1])) if spot else None
    return None
