"""What Demo Air knows about a booking: the flight, its passengers, their documents, seats and bags."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal


@dataclass(frozen=True)
class Airport:
    code: str
    city: str


@dataclass
class Flight:
    number: str
    origin: Airport
    destination: Airport
    departure: datetime
    duration: timedelta
    aircraft: str
    gate: str
    # Seats sold to travellers on other bookings.
    occupied: set[str] = field(default_factory=set)

    @property
    def arrival(self) -> datetime:
        return self.departure + self.duration

    @property
    def boarding(self) -> datetime:
        return self.departure - timedelta(minutes=40)


@dataclass(frozen=True)
class PassengerDetails:
    nationality: str
    passport_number: str
    passport_expiry: date
    date_of_birth: date

    def to_json(self) -> dict[str, str]:
        return {
            "nationality": self.nationality,
            "passport_number": self.passport_number,
            "passport_expiry": self.passport_expiry.isoformat(),
            "date_of_birth": self.date_of_birth.isoformat(),
        }


@dataclass
class Passenger:
    id: int
    first_name: str
    last_name: str
    details: PassengerDetails | None = None
    seat: str | None = None
    bags: int = 0
    sequence: int | None = None

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class BasketItem:
    """Something the traveller chose that costs money; it changes the booking only once paid."""

    kind: Literal["seat", "bag"]
    passenger_id: int
    price_cents: int
    seat: str | None = None

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.passenger_id}"

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "passenger_id": self.passenger_id,
            "seat": self.seat,
            "price": format_cents(self.price_cents),
        }


@dataclass
class Booking:
    code: str
    flight: Flight
    passengers: list[Passenger]
    checked_in: bool = False

    def passenger(self, passenger_id: int) -> Passenger | None:
        return next((p for p in self.passengers if p.id == passenger_id), None)

    @property
    def details_done(self) -> bool:
        return all(p.details is not None for p in self.passengers)

    @property
    def seats_done(self) -> bool:
        return all(p.seat is not None for p in self.passengers)


def format_cents(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def euros(cents: int) -> str:
    return f"€{format_cents(cents)}"
