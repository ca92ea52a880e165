"""Skylark's bookings, sessions and change log; one lock guards them all."""

import re
import secrets
import threading
from dataclasses import dataclass, field
from datetime import date

from backend.demo.changelog import ChangeLog

CABIN_ROWS = range(1, 16)
LETTERS = "ABCDEF"
PAID_ROWS = range(1, 5)
PAID_PENCE = 1500
POSITIONS = {"A": "window", "B": "middle", "C": "aisle", "D": "aisle", "E": "middle", "F": "window"}
TAKEN = frozenset({"5A", "5F", "6A", "6B", "7F", "8A", "9C", "10D", "11F", "12A", "2B", "3E"})
EXTRAS = {"bag": ("Checked bag, 20 kg", 2800), "priority": ("Priority boarding", 900)}
CODE = re.compile(r"[A-Z0-9]{6}")


@dataclass
class Traveller:
    id: int
    first_name: str
    last_name: str
    seat: str = ""
    documents: dict[str, str] | None = None

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass
class Booking:
    code: str
    flight: str
    route: str
    departs: date
    travellers: list[Traveller]
    checked_in: list[int] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    def traveller(self, tid: int) -> Traveller | None:
        return next((t for t in self.travellers if t.id == tid), None)


@dataclass
class Session:
    token: str
    code: str
    chosen: list[int] = field(default_factory=list)


def seat_label(code: str) -> str:
    """How the seat map names a seat: 'Row 12 seat A, window, free' or 'Row 3 seat F, window, £15.00'."""
    row, letter = int(code[:-1]), code[-1]
    if code in TAKEN:
        price = "taken"
    elif row in PAID_ROWS:
        price = f"£{PAID_PENCE / 100:.2f}"
    else:
        price = "free"
    return f"Row {row} seat {letter}, {POSITIONS[letter]}, {price}"


def seed() -> dict[str, Booking]:
    ruiz = [Traveller(1, "Ana", "Ruiz"), Traveller(2, "Ben", "Ruiz"), Traveller(3, "Carla", "Ruiz")]
    solo = [Traveller(1, "Alex", "Rivera")]
    return {
        "K7MQ2X": Booking("K7MQ2X", "SK 808", "London Gatwick to Porto", date(2030, 6, 1), ruiz),
        "R2D4VB": Booking("R2D4VB", "SK 315", "Edinburgh to Bergen", date(2030, 6, 2), solo),
    }


@dataclass
class Skylark:
    bookings: dict[str, Booking] = field(default_factory=seed)
    sessions: dict[str, Session] = field(default_factory=dict)
    changes: ChangeLog = field(default_factory=ChangeLog)
    # The session times out once, on the first visit to the documents step after seats are chosen.
    timeout_pending: bool = True
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self) -> None:
        with self.lock:
            self.bookings = seed()
            self.sessions = {}
            self.changes = ChangeLog()
            self.timeout_pending = True

    def find(self, code: str, surname: str) -> Booking | None:
        booking = self.bookings.get(code)
        if booking and any(t.last_name.lower() == surname.strip().lower() for t in booking.travellers):
            return booking
        return None

    def open(self, booking: Booking) -> Session:
        session = Session(secrets.token_urlsafe(16), booking.code)
        self.sessions[session.token] = session
        return session

    def end(self, token: str) -> None:
        self.sessions.pop(token, None)

    def taken(self, booking: Booking) -> set[str]:
        return set(TAKEN) | {t.seat for t in booking.travellers if t.seat}
