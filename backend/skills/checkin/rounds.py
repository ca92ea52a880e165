"""The scheduled check-in: on each round, offer "Check in" for trips whose window opened, and, for a job that
knows the airline's page, start the check-in of each such trip not yet checked in.

A round never presses anything itself: it starts the same check-in task the user would, whose declaration and
final button wait as approvals. A trip whose task is still live is left alone (its approvals wait); one whose
task ended without checking in is tried again on a later round, until one succeeds or the window closes. A
trip whose window closed unchecked is said once and not tried.
"""

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from backend.models import Task
from backend.models.task import ENDED_TASK, TaskStatus
from backend.models.trip import Trip, TripCheckin
from backend.skills.checkin.instruction import CheckinRequest
from backend.skills.checkin.start import CheckinUnavailable, start_checkin
from backend.skills.checkin.trips import offer_due
from backend.traveller.vault import ProfileUnreadable

if TYPE_CHECKING:
    from backend.api.deps import AppContext

log = logging.getLogger(__name__)


@dataclass
class Round:
    offered: list[int] = field(default_factory=list)
    started: dict[str, str] = field(default_factory=dict)  # booking code → task id
    waiting: list[str] = field(default_factory=list)  # a task of an earlier round is still live
    closed: list[str] = field(default_factory=list)  # the window closed before a check-in was done
    failed: dict[str, str] = field(default_factory=dict)  # booking code → why it could not start

    @property
    def quiet(self) -> bool:
        return not (self.offered or self.started or self.waiting or self.closed or self.failed)

    def summary(self) -> str:
        said = []
        if self.offered:
            said.append(f"Offered check-in for {len(self.offered)} trip(s) whose window opened.")
        if self.started:
            codes = ", ".join(self.started)
            said.append(f"Started checking in {codes}; the declaration and the final button wait for you.")
        if self.waiting:
            said.append(f"Still waiting for your approval on {', '.join(self.waiting)}.")
        if self.closed:
            said.append(f"The check-in window of {', '.join(self.closed)} closed before it was checked in; not tried.")
        for code, why in self.failed.items():
            said.append(f"Could not start checking in {code}: {why} It is tried again on the next run.")
        return " ".join(said) or "No trip's check-in window is open."


def _state(session: Session, trip: Trip) -> tuple[bool, bool, bool]:
    """(checked in, a check-in task is live, the closed window was already said) for the trip."""
    attempts = session.exec(select(TripCheckin).where(TripCheckin.trip_id == trip.id)).all()
    ids = [a.task_id for a in attempts if a.task_id]
    tasks = session.exec(select(Task).where(col(Task.id).in_(ids))).all() if ids else []
    done = any(t.status == TaskStatus.FINISHED for t in tasks)
    live = any(t.status not in ENDED_TASK for t in tasks)
    return done, live, any(a.closed_unchecked for a in attempts)


def _aware(at: datetime) -> datetime:
    # The database may hand times back without their offset; Deputy stores them in UTC.
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at


def check_in_round(ctx: "AppContext", url: str | None, airline: str | None) -> Round:
    """One round at the clock's now. Without `url` it only offers; with it, it starts the check-ins due."""
    now = ctx.clock.now().astimezone(UTC)
    done = Round(offered=offer_due(ctx.engine, ctx.bus, now))
    if url is None:
        return done
    wanted = (airline or "").strip().casefold()
    with Session(ctx.engine) as session:
        for trip in session.exec(select(Trip).order_by(col(Trip.departs_at))).all():
            departs = _aware(trip.departs_at)
            if _aware(trip.window_opens) > now or (wanted and trip.airline.casefold() != wanted):
                continue
            checked, live, said = _state(session, trip)
            code = trip.booking_code
            if checked:
                continue
            if now >= departs:
                if not said:
                    session.add(TripCheckin(trip_id=trip.id or 0, at=now, closed_unchecked=True))
                    done.closed.append(code)
                continue
            if live:
                done.waiting.append(code)
                continue
            last_name = trip.passengers[0].split()[-1]
            request = CheckinRequest(url, code, last_name, trip.airline, trip.flight)
            try:
                task_id = start_checkin(ctx, request)
            except (CheckinUnavailable, ProfileUnreadable) as error:
                done.failed[code] = str(error)
                continue
            session.add(TripCheckin(trip_id=trip.id or 0, task_id=task_id, at=now))
            done.started[code] = task_id
        session.commit()
    return done
