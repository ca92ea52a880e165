"""Draws Deputy's toolbar and notification icons: a shield with a check mark on a blue tile.

Run from anywhere: `python extension/icons/make_icons.py`. It draws once at 512 px and scales down, so every
size is anti-aliased.
"""

from pathlib import Path

from PIL import Image, ImageDraw

BLUE = (36, 87, 214, 255)
WHITE = (255, 255, 255, 255)
SIZES = (16, 32, 48, 128)
BIG = 512


def draw() -> Image.Image:
    image = Image.new("RGBA", (BIG, BIG), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((16, 16, BIG - 16, BIG - 16), radius=112, fill=BLUE)
    # The shield: flat top with rounded shoulders, sides curving to a point.
    shield = [(256, 92), (392, 140), (392, 262), (372, 330), (320, 386), (256, 424)]
    shield += [(x if x == 256 else BIG - x, y) for x, y in reversed(shield[1:-1])]
    pen.polygon(shield, fill=WHITE)
    pen.line([(188, 262), (240, 314), (330, 208)], fill=BLUE, width=44, joint="curve")
    for x, y in ((188, 262), (330, 208)):
        pen.ellipse((x - 22, y - 22, x + 22, y + 22), fill=BLUE)
    return image


def main() -> None:
    here = Path(__file__).parent
    big = draw()
    for size in SIZES:
        big.resize((size, size), Image.Resampling.LANCZOS).save(here / f"icon{size}.png")


if __name__ == "__main__":
    main()
