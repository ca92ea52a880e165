"""The cabin: which seats exist, what they cost, and the seat map fragment the seats page fetches.

Like many airline sites, the up-front rows are unlabelled buttons (a letter and a tooltip), while the rest
of the cabin has full accessible names such as "Seat 14A, window, free".
"""

from dataclasses import dataclass
from html import escape

from backend.demo.air.booking import euros

ROWS = range(1, 21)
LETTERS = "ABCDEF"
UP_FRONT_ROWS = range(1, 4)
EXTRA_LEGROOM_ROWS = range(12, 14)
UP_FRONT_CENTS = 2400
EXTRA_LEGROOM_CENTS = 1800
POSITIONS = {"A": "window", "B": "middle", "C": "aisle", "D": "aisle", "E": "middle", "F": "window"}


@dataclass(frozen=True)
class Seat:
    row: int
    letter: str

    @property
    def code(self) -> str:
        return f"{self.row}{self.letter}"

    @property
    def position(self) -> str:
        return POSITIONS[self.letter]

    @property
    def price_cents(self) -> int:
        if self.row in UP_FRONT_ROWS:
            return UP_FRONT_CENTS
        if self.row in EXTRA_LEGROOM_ROWS:
            return EXTRA_LEGROOM_CENTS
        return 0

    @property
    def zone(self) -> str:
        if self.row in UP_FRONT_ROWS:
            return "up front"
        if self.row in EXTRA_LEGROOM_ROWS:
            return "extra legroom"
        return "standard"


def parse_seat(code: str) -> Seat | None:
    code = code.strip().upper()
    if len(code) < 2 or not code[:-1].isdigit() or code[-1] not in LETTERS:
        return None
    row = int(code[:-1])
    return Seat(row, code[-1]) if row in ROWS else None


def describe(seat: Seat) -> str:
    """How a seat reads in summaries: 'Seat 12A, window, extra legroom, €18.00'."""
    parts = [f"Seat {seat.code}", seat.position]
    if seat.price_cents:
        parts += [seat.zone, euros(seat.price_cents)]
    else:
        parts.append("free")
    return ", ".join(parts)


def _seat_button(seat: Seat, taken: bool, holder: int | None) -> str:
    data = (
        f'data-seat="{seat.code}" data-price="{seat.price_cents}" '
        f'data-describe="{escape(describe(seat))}" data-holder="{holder or ""}"'
    )
    classes = ["seat", f"seat-{seat.zone.replace(' ', '-')}"]
    if taken:
        classes.append("seat-taken")
    if holder:
        classes.append("seat-selected")
    cls = " ".join(classes)
    if seat.row in UP_FRONT_ROWS:
        tip = f"Seat {seat.code}, occupied" if taken else f"Seat {seat.code}, {euros(seat.price_cents)}"
        disabled = " disabled" if taken else ""
        return f'<button type="button" class="{cls}" {data} title="{escape(tip)}"{disabled}>{seat.letter}</button>'
    if taken:
        label = f"Seat {seat.code}, {seat.position}, occupied"
        return f'<button type="button" class="{cls}" {data} aria-label="{label}" disabled>{seat.letter}</button>'
    pressed = "true" if holder else "false"
    return (
        f'<button type="button" class="{cls}" {data} aria-label="{escape(describe(seat))}" '
        f'aria-pressed="{pressed}">{seat.letter}</button>'
    )


def render_seat_map(taken: set[str], holders: dict[str, int]) -> str:
    """The cabin as HTML; `holders` maps seats already chosen on this booking to their passenger id."""
    zones = [
        ("Up front", UP_FRONT_ROWS, f"Faster off the plane · {euros(UP_FRONT_CENTS)}"),
        ("Standard", range(4, 12), "Included in your fare"),
        ("Extra legroom", EXTRA_LEGROOM_ROWS, f"Emergency exit rows · {euros(EXTRA_LEGROOM_CENTS)}"),
        ("Standard", range(14, 21), "Included in your fare"),
    ]
    parts = ['<div class="cabin"><div class="cabin-nose" aria-hidden="true">Front of the aircraft</div>']
    parts.append(
        '<div class="seat-row seat-head" aria-hidden="true"><span class="row-num"></span>'
        + "".join(f'<span class="seat-letter">{x}</span>' for x in "ABC")
        + '<span class="aisle"></span>'
        + "".join(f'<span class="seat-letter">{x}</span>' for x in "DEF")
        + "</div>"
    )
    for title, rows, note in zones:
        parts.append(f'<div class="zone-title"><strong>{title}</strong> <span>{escape(note)}</span></div>')
        for row in rows:
            cells = [f'<span class="row-num" aria-hidden="true">{row}</span>']
            for letter in LETTERS:
                if letter == "D":
                    cells.append('<span class="aisle" aria-hidden="true"></span>')
                seat = Seat(row, letter)
                cells.append(_seat_button(seat, seat.code in taken, holders.get(seat.code)))
            exit_mark = ' data-exit="true"' if row in EXTRA_LEGROOM_ROWS else ""
            parts.append(f'<div class="seat-row"{exit_mark}>{"".join(cells)}</div>')
    parts.append("</div>")
    return "".join(parts)
