"""Blacking out a traveller's identifying values in screenshots sent to the extension.

The boxes are found in Deputy's own world of the page (a page script cannot hide a field from it by patching
`value`) and painted on the captured image, so the page never sees them. Fields whose value holds a secret
and text that shows one are covered; frames inside the page are not searched.
"""

from PIL import Image, ImageDraw
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from backend.browser.snapshot import worlds_of
from backend.browser.world import WorldGone, run

MASK_COLOUR = (20, 20, 20)

SECRET_BOXES_JS = """
({values}) => {
  const wanted = values.map((v) => v.toLowerCase());
  const holds = (text) => { const t = (text || '').toLowerCase(); return wanted.some((v) => t.includes(v)); };
  const out = [];
  const add = (r) => { if (r.width > 0 && r.height > 0) out.push([r.x, r.y, r.width, r.height]); };
  for (const el of document.querySelectorAll('input, textarea, select')) {
    const shown = el.tagName === 'SELECT' ? Array.from(el.selectedOptions).map((o) => o.text).join(' ') : el.value;
    if (holds(shown)) add(el.getBoundingClientRect());
  }
  const walker = document.createTreeWalker(document.body || document, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node && out.length < 500; node = walker.nextNode()) {
    if (!holds(node.data)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) add(r);
  }
  return JSON.stringify(out);
}
"""


async def secret_boxes(page: Page, values: list[str]) -> list[list[float]]:
    """Viewport boxes of the fields and text on `page` that show any of `values`."""
    if not values:
        return []
    try:
        top = next(world for path, world in await worlds_of(page) if path == "")
        return await run(top, SECRET_BOXES_JS, {"values": values})
    except (StopIteration, WorldGone, PlaywrightError):
        return []


def paint_over(image: Image.Image, boxes: list[list[float]], left: float = 0, top: float = 0) -> None:
    draw = ImageDraw.Draw(image)
    for x, y, w, h in boxes:
        draw.rectangle((x - left - 2, y - top - 2, x + w - left + 2, y + h - top + 2), fill=MASK_COLOUR)
