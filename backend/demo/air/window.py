"""When online check-in is open: from 24 hours until 60 minutes before departure."""

from datetime import datetime, timedelta
from enum import Enum

from backend.demo.air.booking import Flight

OPENS_BEFORE = timedelta(hours=24)
CLOSES_BEFORE = timedelta(minutes=60)


class CheckinWindow(Enum):
    NOT_OPEN = "not_open"
    OPEN = "open"
    CLOSED = "closed"
    DEPARTED = "departed"


def opens_at(flight: Flight) -> datetime:
    return flight.departure - OPENS_BEFORE


def closes_at(flight: Flight) -> datetime:
    return flight.departure - CLOSES_BEFORE


def checkin_window(flight: Flight, now: datetime) -> CheckinWindow:
    if now >= flight.departure:
        return CheckinWindow.DEPARTED
    if now >= closes_at(flight):
        return CheckinWindow.CLOSED
    if now < opens_at(flight):
        return CheckinWindow.NOT_OPEN
    return CheckinWindow.OPEN


def when(moment: datetime) -> str:
    """How the site writes a date and time, e.g. 'Tue 12 Mar 2030, 14:05 UTC'."""
    # Built by hand because "%-d" (day without a leading zero) is not portable across platforms.
    return f"{moment:%a} {moment.day} {moment:%b %Y, %H:%M} UTC"
