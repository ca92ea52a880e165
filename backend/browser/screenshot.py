"""Screenshots for approvals: the page around the element an action targets, with that element outlined.

The outline is drawn on the captured image, not on the page: the page's DOM is never touched, so nothing
the page watches (mutation observers, layout) sees Deputy take the picture.
"""

import io
from pathlib import Path

from PIL import Image, ImageDraw
from playwright.async_api import Page

from backend.browser.snapshot import resolve

OUTLINE_COLOUR = (255, 0, 128)
OUTLINE_WIDTH = 4
# The outline sits just outside the element so it does not cover the element's own edges.
OUTLINE_GAP = 3


class TargetNotVisible(RuntimeError):
    """The element exists but has no box on screen to photograph (hidden, or zero size)."""


async def highlighted_screenshot(page: Page, ref: str, path: Path, *, margin: int = 160) -> Path:
    """Save a PNG of the viewport around `ref`'s element, cropped to it plus `margin`, with it outlined.

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
    left = max(0, int(box["x"]) - margin)
    top = max(0, int(box["y"]) - margin)
    right = min(width, int(box["x"] + box["width"] + 0.999) + margin)
    bottom = min(height, int(box["y"] + box["height"] + 0.999) + margin)
    if right <= left or bottom <= top:
        raise TargetNotVisible(f"Element {ref} could not be scrolled into view.")
    png = await page.screenshot(
        type="png", scale="css", clip={"x": left, "y": top, "width": right - left, "height": bottom - top}
    )
    image = Image.open(io.BytesIO(png)).convert("RGB")
    pad = OUTLINE_GAP + OUTLINE_WIDTH
    ImageDraw.Draw(image).rectangle(
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
