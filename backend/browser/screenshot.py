"""Screenshots for approvals: the page around the element an action targets and the rows it acts on, with
the element outlined and each ticked row marked.

The outline is drawn on the captured image, not on the page: the page's DOM is never touched, so nothing
the page watches (mutation observers, layout) sees Deputy take the picture.
"""

import io
from pathlib import Path

from PIL import Image, ImageDraw
from playwright.async_api import Page

from backend.browser.masking import paint_over, secret_boxes
from backend.browser.snapshot import resolve

OUTLINE_COLOUR = (255, 0, 128)
ROW_COLOUR = (255, 140, 0)
ROW_WIDTH = 3
# Boxes of the ticked rows in view, in page coordinates (the rows the scene module lists).
ROW_BOXES_JS = """
() => {
  const ROW = 'tr, li, [role=row], [role=listitem], [role=option], [role=article], article';
  const out = [];
  for (const box of document.querySelectorAll('input[type=checkbox], [role=checkbox]')) {
    if (!(box.checked === true || box.getAttribute('aria-checked') === 'true')) continue;
    const row = box.closest(ROW);
    if (!row || row.closest('thead')) continue;
    const r = row.getBoundingClientRect();
    if (r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight) out.push([r.x, r.y, r.width, r.height]);
  }
  return out.slice(0, 200);
}
"""
OUTLINE_WIDTH = 4
# The outline sits just outside the element so it does not cover the element's own edges.
OUTLINE_GAP = 3


class TargetNotVisible(RuntimeError):
    """The element exists but has no box on screen to photograph (hidden, or zero size)."""


async def highlighted_screenshot(
    page: Page, ref: str, path: Path, *, margin: int = 160, rows: bool = False, hide: list[str] | None = None
) -> Path:
    """Save a PNG of the viewport around `ref`'s element, cropped to it plus `margin`, with it outlined; with
    `rows`, the crop also takes in the ticked rows in view, each marked. Fields and text showing any of
    `hide` (a traveller's identifying values) are blacked out.

    The element is scrolled into view first; an element inside an iframe is found and framed in page
    coordinates. Raises StaleRef when the ref is not on the page, TargetNotVisible when it has no box.
    """
    locator = await resolve(page, ref)
    # Checked first: scrolling waits for the element to become visible, which a hidden one never does.
    if not await locator.is_visible():
        raise TargetNotVisible(f"Element {ref} is not visible on the page, so there is nothing to show.")
    await locator.scroll_into_view_if_needed()
    box = await locator.bounding_box()
    if box is None or box["width"] <= 0 or box["height"] <= 0:
        raise TargetNotVisible(f"Element {ref} is not visible on the page, so there is nothing to show.")
    width, height = await _viewport(page)
    marked: list[list[float]] = await page.evaluate(ROW_BOXES_JS) if rows else []
    xs = [box["x"], *(r[0] for r in marked)]
    ys = [box["y"], *(r[1] for r in marked)]
    x2 = [box["x"] + box["width"], *(r[0] + r[2] for r in marked)]
    y2 = [box["y"] + box["height"], *(r[1] + r[3] for r in marked)]
    left = max(0, int(min(xs)) - margin)
    top = max(0, int(min(ys)) - margin)
    right = min(width, int(max(x2) + 0.999) + margin)
    bottom = min(height, int(max(y2) + 0.999) + margin)
    if right <= left or bottom <= top:
        raise TargetNotVisible(f"Element {ref} could not be scrolled into view.")
    png = await page.screenshot(
        type="png", scale="css", clip={"x": left, "y": top, "width": right - left, "height": bottom - top}
    )
    image = Image.open(io.BytesIO(png)).convert("RGB")
    paint_over(image, await secret_boxes(page, hide or []), left, top)
    draw = ImageDraw.Draw(image)
    for x, y, w, h in marked:
        draw.rectangle((x - left, y - top, x + w - left - 1, y + h - top - 1), outline=ROW_COLOUR, width=ROW_WIDTH)
    pad = OUTLINE_GAP + OUTLINE_WIDTH
    draw.rectangle(
        (
            box["x"] - left - pad,
            box["y"] - top - pad,
            box["x"] + box["width"] - left + pad - 1,
            box["y"] + box["height"] - top + pad - 1,
        ),
        outline=OUTLINE_COLOUR,
        width=OUTLINE_WIDTH,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, format="PNG")
    return path


async def _viewport(page: Page) -> tuple[int, int]:
    size = page.viewport_size
    if size is not None:
        return size["width"], size["height"]
    # A headed browser without a fixed viewport (`deputy browser --show`) reports its window size instead.
    width, height = await page.evaluate("[window.innerWidth, window.innerHeight]")
    return int(width), int(height)
