"""Highlighted screenshots for approvals: the target outlined, cropped around it, the page left as it was."""

from pathlib import Path

import pytest
from PIL import Image
from playwright.async_api import Page

from backend.browser.screenshot import OUTLINE_COLOUR, TargetNotVisible, highlighted_screenshot
from backend.browser.snapshot import ElementInfo, StaleRef, take_snapshot

pytestmark = pytest.mark.browser


def ref_of(elements: dict[str, ElementInfo], name: str) -> str:
    return next(ref for ref, info in elements.items() if info.name == name)


def outline_pixels(image: Image.Image) -> list[tuple[int, int]]:
    rgb = image.convert("RGB")
    return [(x, y) for x in range(rgb.width) for y in range(rgb.height) if rgb.getpixel((x, y)) == OUTLINE_COLOUR]


async def dom(page: Page) -> str:
    return await page.evaluate("document.documentElement.outerHTML")


async def test_target_is_outlined_and_cropped_with_a_margin(page: Page, tmp_path: Path) -> None:
    await page.set_content(
        """
        <body style="margin:0;background:#fff">
          <button style="position:absolute;left:500px;top:300px;width:120px;height:40px">Delete forever</button>
        </body>
        """
    )
    snap = await take_snapshot(page)
    before = await dom(page)
    path = await highlighted_screenshot(
        page, ref_of(snap.elements, "Delete forever"), tmp_path / "shot.png", margin=100
    )
    assert path.is_file()
    image = Image.open(path)
    assert image.format == "PNG"
    assert image.size == (120 + 2 * 100, 40 + 2 * 100)
    pixels = outline_pixels(image)
    assert pixels
    xs = [x for x, _ in pixels]
    ys = [y for _, y in pixels]
    # The outline surrounds the button, just outside its box, which sits at the margin.
    assert min(xs) < 100 and max(xs) > 100 + 120 and min(ys) < 100 and max(ys) > 100 + 40
    assert min(xs) >= 100 - 10 and max(ys) <= 100 + 40 + 10
    assert await dom(page) == before


async def test_target_below_the_fold_is_scrolled_into_view(page: Page, tmp_path: Path) -> None:
    await page.set_content(
        """
        <div style="height:3000px"></div>
        <a href="#unsubscribe" style="display:inline-block;margin-left:400px;width:200px;height:30px">Unsubscribe</a>
        <div style="height:3000px"></div>
        """
    )
    snap = await take_snapshot(page)
    before = await dom(page)
    path = await highlighted_screenshot(page, ref_of(snap.elements, "Unsubscribe"), tmp_path / "fold.png")
    image = Image.open(path)
    assert image.size == (200 + 2 * 160, 30 + 2 * 160)
    assert outline_pixels(image)
    assert await dom(page) == before


async def test_target_near_the_edge_is_cropped_to_the_viewport(page: Page, tmp_path: Path) -> None:
    await page.set_content('<body style="margin:0"><button style="width:80px;height:30px">Send</button></body>')
    snap = await take_snapshot(page)
    image = Image.open(await highlighted_screenshot(page, ref_of(snap.elements, "Send"), tmp_path / "edge.png"))
    assert image.size == (80 + 160, 30 + 160)
    assert outline_pixels(image)


async def test_target_inside_an_iframe(page: Page, tmp_path: Path) -> None:
    await page.set_content(
        """
        <body style="margin:0">
          <div style="height:200px"></div>
          <iframe title="Checkout" style="margin-left:300px;width:400px;height:200px;border:0"
            srcdoc="<body style='margin:0'><button style='margin:50px;width:100px;height:40px'>Pay</button></body>">
          </iframe>
        </body>
        """
    )
    await page.frame_locator("iframe").get_by_role("button", name="Pay").wait_for()
    snap = await take_snapshot(page)
    before = await dom(page)
    image = Image.open(
        await highlighted_screenshot(page, ref_of(snap.elements, "Pay"), tmp_path / "frame.png", margin=60)
    )
    assert image.size == (100 + 120, 40 + 120)
    pixels = outline_pixels(image)
    assert pixels and min(x for x, _ in pixels) < 60 < max(x for x, _ in pixels)
    assert await dom(page) == before


async def test_missing_or_invisible_targets_raise(page: Page, tmp_path: Path) -> None:
    await page.set_content("<button onclick=\"this.style.visibility='hidden'\">Hide me</button>")
    snap = await take_snapshot(page)
    ref = ref_of(snap.elements, "Hide me")
    with pytest.raises(StaleRef):
        await highlighted_screenshot(page, "e999", tmp_path / "none.png")
    await page.click("button")
    with pytest.raises(TargetNotVisible):
        await highlighted_screenshot(page, ref, tmp_path / "hidden.png")
    assert not (tmp_path / "hidden.png").exists()
