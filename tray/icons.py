"""The tray icon for each state, drawn at run time so no image files need shipping."""

from PIL import Image, ImageDraw, ImageFont

from tray.state import Look

SIZE = 64
COLORS = {
    Look.IDLE: (96, 112, 128),
    Look.WORKING: (37, 99, 235),
    Look.WAITING: (217, 119, 6),
    Look.PAUSED: (120, 120, 120),
    Look.ERROR: (200, 30, 30),
}


def draw(look: Look, count: int = 0) -> Image.Image:
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((4, 4, SIZE - 4, SIZE - 4), radius=14, fill=COLORS[look])
    white = (255, 255, 255)
    if look is Look.PAUSED:
        pen.rectangle((20, 18, 28, 46), fill=white)
        pen.rectangle((36, 18, 44, 46), fill=white)
    elif look is Look.ERROR:
        pen.rectangle((29, 14, 35, 38), fill=white)
        pen.rectangle((29, 44, 35, 50), fill=white)
    elif look is Look.WAITING:
        text = str(count) if count < 100 else "99+"
        font = ImageFont.load_default(size=34 if len(text) == 1 else 26)
        pen.text((SIZE / 2, SIZE / 2), text, fill=white, font=font, anchor="mm")
    elif look is Look.WORKING:
        for x in (18, 32, 46):
            pen.ellipse((x - 5, 27, x + 5, 37), fill=white)
    else:
        pen.text((SIZE / 2, SIZE / 2), "D", fill=white, font=ImageFont.load_default(size=34), anchor="mm")
    return image
