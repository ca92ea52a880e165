"""Demo Air's state: the bookings, the check-in sessions and the change log, resettable to the seed."""

import secrets
import threading
from dataclasses import dataclass, field

from backend.clock import Clock
from backend.demo.air.booking import BasketItem, Booking
from backend.demo.air.seed import seed_bookings
from backend.demo.changelog import ChangeLog

SESSION_COOKIE = "air_session"
CONSENT_COOKIE = "air_consent"


@dataclass
class CheckinSession:
    """One traveller's way through check-in, tied to the browser by a cookie."""

    token: str
    booking_code: str
    basket: list[BasketItem] = field(default_factory=list)
    paid: bool = False

    @property
    def basket_total(self) -> int:
        return sum(item.price_cents for item in self.basket)

    def put(self, item: BasketItem) -> None:
        self.basket = [i for i in self.basket if i.key != item.key] + [item]


class AirStore:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        # Handlers run on the event loop and on worker threads alike; one lock keeps each change whole.
        self.lock = threading.RLock()
        self.bookings: dict[str, Booking] = {}
        self.sessions: dict[str, CheckinSession] = {}
        self.changes = ChangeLog(clock)
        self.final_label = "Check in"
        self.reset()

    def reset(self) -> None:
        """Back to the seed: fresh bookings relative to now, no sessions, an empty change log, the usual labels."""
        with self.lock:
            self.bookings = seed_bookings(self.clock.now())
            self.sessions = {}
            self.changes = ChangeLog(self.clock)
            self.final_label = "Check in"

    def find(self, code: str, last_name: str) -> Booking | None:
        booking = self.bookings.get(code.strip().upper())
        wanted = last_name.strip().casefold()
        if booking is None or not any(p.last_name.casefold() == wanted for p in booking.passengers):
            return None
        return booking

    def open_session(self, booking: Booking) -> CheckinSession:
        with self.lock:
            session = CheckinSession(secrets.token_urlsafe(24), booking.code)
            self.sessions[session.token] = session
            return session

    def session(self, token: str | None) -> CheckinSession | None:
        if not token:
            return None
        return self.sessions.get(token)

    def taken_seats(self, booking: Booking) -> set[str]:
        """Seats nobody on this booking may take: sold on other bookings of the same flight."""
        taken = set(booking.flight.occupied)
        for other in self.bookings.values():
            if other.code != booking.code and other.flight.number == booking.flight.number:
                taken |= {p.seat for p in other.passengers if p.seat}
        return taken
