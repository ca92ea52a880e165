"""Trips found in mail: a flight booking, its travellers and when its check-in window opens."""

from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel, field_validator
from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

DEFAULT_WINDOW_HOURS = 24


class Trip(SQLModel, table=True):
    __tablename__ = "trip"
    __table_args__ = (UniqueConstraint("booking_code", "flight"),)

    id: int | None = SQLField(default=None, primary_key=True)
    booking_code: str = SQLField(index=True, max_length=8)
    airline: str = SQLField(max_length=60)
    flight: str = SQLField(max_length=8)
    departs_at: datetime
    passengers: list[str] = SQLField(default_factory=list, sa_column=Column(JSON, nullable=False))
    # How long before departure the airline opens check-in; airlines differ, so it is the trip's own.
    window_hours: int = SQLField(default=DEFAULT_WINDOW_HOURS, ge=1, le=240)
    found_in: str = SQLField(default="", max_length=200)  # the message it came from, as triage keys it
    found_at: datetime
    offered_at: datetime | None = None  # when "Check in" was offered, once the window opened

    @property
    def window_opens(self) -> datetime:
        return self.departs_at - timedelta(hours=self.window_hours)


class TripPublic(BaseModel):
    id: int
    booking_code: str
    airline: str
    flight: str
    departs_at: datetime
    passengers: list[str]
    window_hours: int
    window_opens: datetime
    offered_at: datetime | None
    # The latest check-in task started for this trip (from a schedule or a "Check in" button), and its status.
    checkin_task_id: str | None = None
    checkin_status: str | None = None

    @field_validator("departs_at", "window_opens", "offered_at")
    @classmethod
    def _in_utc(cls, at: datetime | None) -> datetime | None:
        # Times are stored in UTC but SQLite hands them back without an offset; a surface must not read
        # them as its own local time.
        return at.replace(tzinfo=UTC) if at is not None and at.tzinfo is None else at

    @classmethod
    def of(cls, trip: Trip, checkin_task_id: str | None = None, checkin_status: str | None = None) -> "TripPublic":
        # Attribute by attribute, so a row expired by a commit is loaded again rather than read half empty.
        own = {name for name in Trip.model_fields if name in cls.model_fields}
        fields: dict[str, Any] = {name: getattr(trip, name) for name in own}
        return cls(
            **fields, window_opens=trip.window_opens, checkin_task_id=checkin_task_id, checkin_status=checkin_status
        )


class TripCheckin(SQLModel, table=True):
    """One attempt of the scheduled check-in at a trip: the task it started, or why it did not start."""

    __tablename__ = "trip_checkin"

    id: int | None = SQLField(default=None, primary_key=True)
    trip_id: int = SQLField(foreign_key="trip.id", index=True)
    task_id: str | None = SQLField(default=None, max_length=40)
    at: datetime
    # Set when the window closed with no check-in done, so it is said once, not on every run.
    closed_unchecked: bool = False
