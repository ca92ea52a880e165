"""What an action acts on, as a person sees it: the row it sits in, the rows ticked, the form's filled values,
the open dialog and the page's heading.

Approvals name these ("Move to Bin: 'Invoice #4711' from Billing"), approvals are bound to the ticked rows,
and after a restart the same rows are ticked again before an approved action runs.
"""

import logging
from dataclasses import dataclass, field
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from backend.browser.snapshot import worlds_of
from backend.browser.world import WorldGone, run

log = logging.getLogger(__name__)

MAX_TEXT = 140
MAX_ROWS = 1000
MAX_PASSAGE = 600

# One function per frame; `ref` may be null. Rows are what a person calls rows: table rows, list items, ARIA
# rows and options; a row is "ticked" when a checkbox in it is checked, seen or not (a toolbar acts on all).
SCENE_JS = """
({ref, maxText, maxRows, maxPassage}) => {
  const squash = (s) => (s || '').replace(/\\s+/g, ' ').trim();
  const cut = (s) => { s = squash(s); return s.length > maxText ? s.slice(0, maxText - 1) + '…' : s; };
  const ROW = 'tr, li, [role=row], [role=listitem], [role=option], [role=article], article';
  // A row reads as its cells, or else as its children (sender, subject, date...), joined by " | ".
  // When one part holds all the text (a cell with sender, subject and snippet inside), its children are read.
  const rowText = (row) => {
    const cells = Array.from(row.querySelectorAll('td, th, [role=cell], [role=gridcell]'));
    let parts = cells.length ? cells : Array.from(row.children);
    for (let depth = 0; depth < 3; depth++) {
      const filled = parts.filter((c) => squash(c.innerText || c.textContent));
      if (filled.length !== 1 || !filled[0].children.length) break;
      parts = Array.from(filled[0].children);
    }
    let texts = parts.map((c) => squash(c.innerText || c.textContent));
    texts = texts.filter((t, i) => t && texts.indexOf(t) === i);
    return cut(texts.length ? texts.join(' | ') : squash(row.innerText));
  };
  const isTicked = (box) => box.checked === true || box.getAttribute('aria-checked') === 'true';
  const boxes = Array.from(document.querySelectorAll('input[type=checkbox], [role=checkbox]'));
  const selected = [];
  for (const box of boxes) {
    if (!isTicked(box)) continue;
    const row = box.closest(ROW);
    if (!row || row.closest('thead')) continue;
    if (row.querySelectorAll('input[type=checkbox], [role=checkbox]').length > 3) continue;  // a header bar
    if (selected.length < maxRows) selected.push(rowText(row));
  }
  // The target as Deputy's own world knows it by its ref: a mark the page moved leads nowhere.
  const W = globalThis.__deputy;
  const held = ref && W && W.byMark && W.byMark.get(ref);
  const target = held && held.deref && held.deref();
  let row = '', form = [], dialog = '', near = '', passage = '';
  const PASSAGE = 'fieldset, section, article, form, dialog, [role=group], [role=region], [role=dialog]';
  if (target) {
    // A row a control acts on is an item of a list of things (a table row, or an item with a checkbox),
    // not a toolbar's list of buttons.
    const own = target.closest(ROW);
    const item = own && (own.matches('tr, [role=row]') || own.querySelector('input[type=checkbox], [role=checkbox]'));
    if (item && !own.closest('thead') && !target.closest('[role=toolbar], [role=menu], [role=menubar]')) {
      row = rowText(own);
    }
    const f = target.form || target.closest('form');
    if (f) {
      for (const el of Array.from(f.elements)) {
        const type = (el.type || '').toLowerCase();
        if (!('value' in el) || ['submit', 'button', 'reset', 'image', 'file'].includes(type)) continue;
        if ((type === 'checkbox' || type === 'radio') && !el.checked) continue;
        if (type === 'hidden' || !el.value) continue;
        let label = el.getAttribute('aria-label') || (el.labels && el.labels[0] && el.labels[0].innerText)
          || el.getAttribute('placeholder') || el.name || type;
        const secret = type === 'password' || /pass|secret|token|otp|pin|cvc|cvv|card/i.test(el.name || '');
        form.push({label: cut(label), value: secret ? '••••' : cut(el.value), secret});
      }
    }
    // What the page writes beside the control about what it does ("staging 2.14.0 → production").
    const described = (target.getAttribute('aria-describedby') || '').split(/\\s+/)
      .map((id) => id && document.getElementById(id)).filter(Boolean).map((el) => squash(el.innerText));
    // Beside it means its own box's words, not the names of the other buttons there: "No thanks" sits next to
    // "Add bags for €70" without costing anything.
    const CONTROL = 'button, a, input, select, textarea, [role=button], [role=link]';
    const words = (el) => el === target || (el.matches && el.matches(CONTROL + ', script, style, [hidden]')) ? ''
      : el.nodeType === 3 ? el.textContent : Array.from(el.childNodes).map(words).join(' ');
    const parent = target.parentElement;
    const around = parent ? squash(words(parent)) : '';
    const tip = squash(target.getAttribute('title') || '');
    const beside = [around.length <= 100 ? around : '', tip !== squash(target.innerText) ? tip : '']
      .filter(Boolean).join(' ');
    near = cut(described.join(' ') || beside);
    // The paragraph a box's tick agrees to: the words of the nearest fieldset or section that says more than
    // the box's own label (a declaration's rules sit above the box, not in its label).
    const labelled = squash(Array.from(target.labels || []).map((l) => l.innerText).join(' '));
    const box = target.matches('input[type=checkbox], [role=checkbox], [role=switch]');
    for (let c = box ? target.parentElement : null; c && c !== document.body; c = c.parentElement) {
      if (!c.matches(PASSAGE)) continue;
      const said = squash(words(c));
      if (said.replace(labelled, '').trim().length >= 40) {
        passage = said.length > maxPassage ? said.slice(0, maxPassage - 1) + '…' : said;
        break;
      }
    }
    const d = target.closest('dialog, [role=dialog], [role=alertdialog]');
    if (d) {
      const title = d.getAttribute('aria-label') || (d.querySelector('h1,h2,h3,[role=heading]') || {}).innerText;
      dialog = cut(title || d.innerText);
    }
  }
  // The item open on the page: the heading of the article or dialog holding the target, else the first
  // heading a person can see (visually hidden ones, 1px boxes, are for screen readers).
  const seen = (el) => { const r = el.getBoundingClientRect(); return r.width > 1 && r.height > 1; };
  const aside = 'nav, aside, header, footer, [role=navigation], [role=complementary], [role=banner]';
  const holder = target && target.closest('article, [role=article], dialog, [role=dialog], [role=main], main');
  const open = Array.from(document.querySelectorAll('article, [role=article]')).find(seen);
  const within = (root) => {
    if (!root) return null;
    for (const level of ['h1', 'h2', 'h3', '[role=heading]']) {
      const found = Array.from(root.querySelectorAll(level)).find((h) => seen(h) && !h.closest(aside));
      if (found) return found;
    }
    return null;
  };
  const h = within(holder) || within(open) || within(document.querySelector('main, [role=main]'))
    || within(document.body);
  const heading = h ? cut(h.innerText) : '';
  const title = cut(document.title);
  return JSON.stringify({selected, found: !!target, row, form, dialog, near, passage, heading, title});
}
"""


@dataclass(frozen=True)
class FormValue:
    label: str
    value: str
    secret: bool


@dataclass(frozen=True)
class Scene:
    selected: list[str] = field(default_factory=list)  # the ticked rows, each as its cells read
    row: str = ""  # the row the target sits in
    form: list[FormValue] = field(default_factory=list)  # the target's form, as filled (secrets masked)
    dialog: str = ""  # the open dialog the target is in
    near: str = ""  # what the page says beside the target about it
    passage: str = ""  # the text of the fieldset or section around it: what ticking a declaration agrees to
    heading: str = ""  # the page's main heading: the item open on it
    title: str = ""


async def scene_of(page: Page, ref: str | None) -> Scene:
    """The scene around `ref` (in whichever frame holds it) and the ticked rows of every frame the last
    snapshot walked, read in Deputy's own world of each frame so the page cannot fake it."""
    selected: list[str] = []
    around: dict[str, Any] = {}
    top: dict[str, Any] = {}
    for path, world in await worlds_of(page):
        try:
            limits = {"maxText": MAX_TEXT, "maxRows": MAX_ROWS, "maxPassage": MAX_PASSAGE}
            raw = await run(world, SCENE_JS, {"ref": ref, **limits})
        except (WorldGone, PlaywrightError) as error:  # a frame gone: it has no scene to add
            log.debug("No scene from frame %r: %s", path, error)
            continue
        selected.extend(raw["selected"])
        if path == "":
            top = raw
        if raw["found"]:
            around = raw
    return Scene(
        selected=selected[:MAX_ROWS],
        row=around.get("row", ""),
        form=[FormValue(v["label"], v["value"], bool(v["secret"])) for v in around.get("form", [])],
        dialog=around.get("dialog", ""),
        near=around.get("near", ""),
        passage=around.get("passage", ""),
        heading=top.get("heading", ""),
        title=top.get("title", ""),
    )
