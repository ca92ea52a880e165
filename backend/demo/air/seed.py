"""The bookings Demo Air starts with; departures are relative to the moment the site was (re)seeded."""

import random
from datetime import datetime, timedelta

from backend.demo.air.booking import Airport, Booking, Flight, Passenger

LISBON = Airport("LIS", "Lisbon")
AMSTERDAM = Airport("AMS", "Amsterdam")
BARCELONA = Airport("BCN", "Barcelona")
COPENHAGEN = Airport("CPH", "Copenhagen")
ATHENS = Airport("ATH", "Athens")

# Seats that stay free or taken on every flight, so the site (and its tests) always offer a free window
# seat, a paid extra-legroom seat and a paid up-front seat, and always show an occupied one.
ALWAYS_FREE = frozenset({"2A", "2C", "3F", "12A", "12F", "13C", "14A", "14C", "15A", "15B", "15C", "16F"})
ALWAYS_TAKEN = frozenset({"12B", "14B"})
ROWS = range(1, 21)
LETTERS = "ABCDEF"


def _occupied(flight_number: str) -> set[str]:
    # Seeded by the flight number so a flight looks the same on every run.
    rng = random.Random(flight_number)
    seats = {f"{row}{letter}" for row in ROWS for letter in LETTERS}
    taken = {seat for seat in sorted(seats) if rng.random() < 0.45}
    return (taken - ALWAYS_FREE) | ALWAYS_TAKEN


def _flight(number: str, origin: Airport, destination: Airport, departure: datetime, minutes: int, gate: str) -> Flight:
    return Flight(
        number=number,
        origin=origin,
        destination=destination,
        departure=departure,
        duration=timedelta(minutes=minutes),
        aircraft="Airbus A320",
        gate=gate,
        occupied=_occupied(number),
    )


def seed_bookings(now: datetime) -> dict[str, Booking]:
    """Four bookings: check-in open, not open yet, departed, and one with two passengers."""
    base = now.replace(second=0, microsecond=0)
    bookings = [
        Booking(
            code="DQ7K2M",
            flight=_flight("DA 417", LISBON, AMSTERDAM, base + timedelta(hours=20), 175, "D7"),
            passengers=[Passenger(1, "Alex", "Rivera")],
        ),
        Booking(
            code="HB4N8P",
            flight=_flight("DA 902", AMSTERDAM, BARCELONA, base + timedelta(days=3), 135, "C12"),
            passengers=[Passenger(1, "Chidi", "Okafor")],
        ),
        Booking(
            code="ZX9R3T",
            flight=_flight("DA 118", COPENHAGEN, LISBON, base - timedelta(hours=5), 230, "A4"),
            passengers=[Passenger(1, "Maja", "Lindqvist")],
        ),
        Booking(
            code="FM5W6C",
            flight=_flight("DA 233", AMSTERDAM, ATHENS, base + timedelta(hours=6), 200, "B21"),
            passengers=[Passenger(1, "Yuki", "Nakamura"), Passenger(2, "Ren", "Nakamura")],
        ),
    ]
    return {booking.code: booking for booking in bookings}
