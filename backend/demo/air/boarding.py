"""Boarding pass images: a PNG drawn with Pillow, and the same picture as a one-page PDF."""

import hashlib
from functools import cache
from io import BytesIO

from PIL import Image, ImageDraw, ImageFont

from backend.demo.air.booking import Booking, Passenger

WIDTH, HEIGHT = 1000, 400
STUB_X = 730
NAVY = (18, 48, 107)
INK = (28, 34, 48)
MUTED = (110, 118, 135)
ACCENT = (242, 169, 0)
PAPER = (255, 255, 255)


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    # Pillow's bundled font keeps the image the same on every machine; no system fonts needed.
    return ImageFont.load_default(size=size)


def bcbp(booking: Booking, passenger: Passenger) -> str:
    """The text a real pass encodes (IATA BCBP layout): name, booking code, route, flight, seat, sequence."""
    flight = booking.flight
    name = f"{passenger.last_name}/{passenger.first_name}".upper()[:20].ljust(20)
    carrier, number = flight.number.split()
    day = flight.departure.timetuple().tm_yday
    seat = (passenger.seat or "").rjust(4, "0")
    return (
        f"M1{name}E{booking.code:<7}{flight.origin.code}{flight.destination.code}{carrier:<3}"
        f"{number.zfill(4)} {day:03d}Y{seat}{(passenger.sequence or 0):04d} 100"
    )


def _bits(payload: str, count: int) -> list[bool]:
    digest = b""
    block = 0
    while len(digest) * 8 < count:
        digest += hashlib.sha256(f"{block}:{payload}".encode()).digest()
        block += 1
    return [bool(digest[i // 8] >> (i % 8) & 1) for i in range(count)]


def _draw_stacked_barcode(draw: ImageDraw.ImageDraw, payload: str, x: int, y: int) -> None:
    """A PDF417-like block: fixed start and stop patterns around rows of bars drawn from the payload."""
    rows, columns, module, height = 6, 96, 5, 12
    start = [1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0]
    stop = [1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 1]
    bits = _bits(payload, rows * columns)
    for row in range(rows):
        line = start + [int(b) for b in bits[row * columns : (row + 1) * columns]] + stop
        for col, dark in enumerate(line):
            if dark:
                left = x + col * module
                top = y + row * height
                draw.rectangle([left, top, left + module - 1, top + height - 1], fill=INK)


def _draw_matrix_code(draw: ImageDraw.ImageDraw, payload: str, x: int, y: int, size: int) -> None:
    """A small square code with three finder marks, like the 2D codes scanned at the gate."""
    modules = 25
    cell = size // modules
    bits = _bits(payload + "#matrix", modules * modules)
    finders = [(0, 0), (modules - 7, 0), (0, modules - 7)]

    def in_finder(cx: int, cy: int) -> bool:
        return any(fx - 1 <= cx <= fx + 7 and fy - 1 <= cy <= fy + 7 for fx, fy in finders)

    for cy in range(modules):
        for cx in range(modules):
            if not in_finder(cx, cy) and bits[cy * modules + cx]:
                draw.rectangle(
                    [x + cx * cell, y + cy * cell, x + (cx + 1) * cell - 1, y + (cy + 1) * cell - 1], fill=INK
                )
    for fx, fy in finders:
        left, top = x + fx * cell, y + fy * cell
        draw.rectangle([left, top, left + 7 * cell - 1, top + 7 * cell - 1], fill=INK)
        draw.rectangle([left + cell, top + cell, left + 6 * cell - 1, top + 6 * cell - 1], fill=PAPER)
        draw.rectangle([left + 2 * cell, top + 2 * cell, left + 5 * cell - 1, top + 5 * cell - 1], fill=INK)


def _label(draw: ImageDraw.ImageDraw, x: int, y: int, label: str, value: str, size: int = 26) -> None:
    draw.text((x, y), label.upper(), font=_font(13), fill=MUTED)
    draw.text((x, y + 18), value, font=_font(size), fill=INK, stroke_width=1, stroke_fill=INK)


def render_pass(booking: Booking, passenger: Passenger) -> Image.Image:
    flight = booking.flight
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)

    draw.rectangle([0, 0, WIDTH, 64], fill=NAVY)
    # A small plane: fuselage, wings and tail in the brand's accent colour.
    draw.rounded_rectangle([22, 29, 84, 37], radius=4, fill=ACCENT)
    draw.polygon([(46, 31), (60, 10), (67, 10), (60, 31)], fill=ACCENT)
    draw.polygon([(46, 35), (60, 56), (67, 56), (60, 35)], fill=ACCENT)
    draw.polygon([(24, 31), (26, 18), (32, 18), (36, 31)], fill=ACCENT)
    draw.text((96, 17), "Demo Air", font=_font(28), fill=PAPER, stroke_width=1, stroke_fill=PAPER)
    draw.text((STUB_X - 210, 22), "BOARDING PASS", font=_font(20), fill=PAPER)
    draw.text((STUB_X + 24, 22), "BOARDING PASS", font=_font(20), fill=PAPER)

    _label(draw, 30, 84, "Passenger", f"{passenger.last_name} / {passenger.first_name}".upper())
    _label(draw, 400, 84, "Flight", flight.number)
    _label(draw, 560, 84, "Date", flight.departure.strftime("%d %b").upper())

    draw.text((30, 146), flight.origin.code, font=_font(56), fill=NAVY, stroke_width=2, stroke_fill=NAVY)
    draw.text((32, 212), flight.origin.city, font=_font(16), fill=MUTED)
    draw.line([(190, 180), (330, 180)], fill=MUTED, width=2)
    draw.polygon([(330, 172), (346, 180), (330, 188)], fill=MUTED)
    draw.text((370, 146), flight.destination.code, font=_font(56), fill=NAVY, stroke_width=2, stroke_fill=NAVY)
    draw.text((372, 212), flight.destination.city, font=_font(16), fill=MUTED)

    details = [
        ("Boarding", flight.boarding.strftime("%H:%M")),
        ("Departs", flight.departure.strftime("%H:%M")),
        ("Gate", flight.gate),
        ("Seat", passenger.seat or "-"),
        ("Seq", f"{passenger.sequence or 0:03d}"),
    ]
    for index, (label, value) in enumerate(details):
        _label(draw, 30 + index * 135, 238, label, value, size=24)

    payload = bcbp(booking, passenger)
    _draw_stacked_barcode(draw, payload, 30, 306)

    for y in range(72, HEIGHT - 8, 14):
        draw.line([(STUB_X, y), (STUB_X, y + 7)], fill=MUTED, width=2)
    stub = STUB_X + 24
    draw.text((stub, 84), f"{passenger.last_name} / {passenger.first_name}".upper(), font=_font(18), fill=INK)
    draw.text(
        (stub, 110), f"{flight.number}   {flight.origin.code} - {flight.destination.code}", font=_font(18), fill=INK
    )
    draw.text((stub, 136), f"Seat {passenger.seat or '-'}   Gate {flight.gate}", font=_font(18), fill=INK)
    draw.text((stub, 162), f"Booking {booking.code}", font=_font(14), fill=MUTED)
    _draw_matrix_code(draw, payload, stub + 40, 196, 175)
    return image


def pass_png(booking: Booking, passenger: Passenger) -> bytes:
    out = BytesIO()
    render_pass(booking, passenger).save(out, "PNG", optimize=True)
    return out.getvalue()


def pass_pdf(booking: Booking, passenger: Passenger) -> bytes:
    out = BytesIO()
    title = f"Demo Air boarding pass {booking.code} {passenger.name}"
    render_pass(booking, passenger).save(out, "PDF", resolution=120.0, title=title, author="Demo Air")
    return out.getvalue()
