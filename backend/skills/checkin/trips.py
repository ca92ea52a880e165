"""Trips from mail: the reader's typed booking facts, checked, stored once, and offered for check-in when the
airline's window opens.

The facts come from the most hostile text Deputy reads, so each one is checked against a narrow shape (a
booking code is 5 to 8 letters and digits, a flight two characters and a number) and none is ever used as a
URL: starting a check-in still needs the airline's page from the person.
"""

import re
from datetime import UTC, datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from backend.events import EventBus
from backend.models import Task
from backend.models.trip import Trip, TripCheckin, TripPublic

NAME = r"^[^\W\d_][\w .'\-]{0,59}$"


class TripFacts(BaseModel):
    """What the reader may say of a flight booking; anything off this shape drops the trip, not the mail."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(pattern=r"^[A-Za-z0-9]{5,8}$")
    airline: str = Field(pattern=NAME)
    flight: str = Field(pattern=r"^[A-Za-z0-9]{2}[A-Za-z]? ?\d{1,4}[A-Za-z]?$")
    departs: AwareDatetime
    passengers: list[str] = Field(min_length=1, max_length=9)

    @field_validator("passengers")
    @classmethod
    def _names(cls, names: list[str]) -> list[str]:
        for name in names:
            if not re.fullmatch(NAME, name.strip()):
                raise ValueError(f"{name!r} is not a passenger's name")
        return [" ".join(n.split()) for n in names]


def keep_trip(engine: Engine, facts: TripFacts, found_in: str, now: datetime) -> Trip:
    """Store the trip once per booking and flight; a later mail about it updates its time and travellers."""
    code, flight = facts.code.upper(), facts.flight.upper().replace(" ", "")
    departs = facts.departs.astimezone(UTC)
    with Session(engine) as session:
        trip = session.exec(select(Trip).where(Trip.booking_code == code, Trip.flight == flight)).first()
        if trip is None:
            trip = Trip(booking_code=code, flight=flight, airline=facts.airline, departs_at=departs,
                        passengers=facts.passengers, found_in=found_in[:200], found_at=now.astimezone(UTC))  # fmt: skip
        else:
            if trip.departs_at != departs:
                trip.offered_at = None  # a moved flight opens its window again
            trip.departs_at, trip.passengers, trip.airline = departs, facts.passengers, facts.airline
        session.add(trip)
        session.commit()
        session.refresh(trip)
        return trip


def list_trips(engine: Engine) -> list[TripPublic]:
    """Every trip by departure, each with its latest check-in task, so a surface can show its progress."""
    with Session(engine) as session:
        trips = session.exec(select(Trip).order_by(col(Trip.departs_at))).all()
        attempts = session.exec(
            select(TripCheckin).where(col(TripCheckin.task_id).is_not(None)).order_by(col(TripCheckin.id))
        ).all()
        latest = {a.trip_id: str(a.task_id) for a in attempts}  # later attempts replace earlier ones
        tasks = session.exec(select(Task).where(col(Task.id).in_(latest.values()))).all() if latest else []
        status = {t.id: str(t.status) for t in tasks}
        listed = []
        for trip in trips:
            task_id = latest.get(trip.id or 0)
            listed.append(TripPublic.of(trip, task_id, status.get(task_id) if task_id else None))
        return listed


def record_checkin(engine: Engine, trip_id: int, task_id: str, now: datetime) -> None:
    """Tie a check-in task to its trip, so the trip's surfaces follow it."""
    with Session(engine) as session:
        session.add(TripCheckin(trip_id=trip_id, task_id=task_id, at=now.astimezone(UTC)))
        session.commit()


def find_trip(engine: Engine, trip_id: int) -> Trip | None:
    with Session(engine) as session:
        return session.get(Trip, trip_id)


def offer_due(engine: Engine, bus: EventBus, now: datetime) -> list[int]:
    """Offer "Check in" (event `trip.checkin_open`) once for each trip whose window is open and not departed."""
    at = now.astimezone(UTC)
    offered = []
    with Session(engine) as session:
        for trip in session.exec(select(Trip).where(col(Trip.offered_at).is_(None))).all():
            if trip.window_opens <= at < trip.departs_at:
                trip.offered_at = at
                session.add(trip)
                offered.append(trip)
        session.commit()
        for trip in offered:
            public = TripPublic.of(trip)
            bus.publish("trip.checkin_open", {**public.model_dump(mode="json"), "offer": "Check in"})
    return [t.id for t in offered if t.id is not None]
