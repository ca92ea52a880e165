"""The tray's word on trips from the events a real Deputy publishes: its built-in check-in job offers a trip
whose window opened, and the tray names the flight, the booking and the departure in local time."""

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from backend.skills.checkin.trips import TripFacts, keep_trip
from tests.integration.traymenu.test_schedules import news
from tests.live import Deputy, start_deputy
from tray.state import departure_text


@pytest.fixture
def deputy(tmp_path: Path) -> Iterator[Deputy]:
    with start_deputy(tmp_path / "data") as server:
        yield server


def test_a_trip_whose_window_opens_becomes_a_tray_notification(deputy: Deputy) -> None:
    sub = deputy.ctx.bus.subscribe()
    departs = deputy.clock.now() + timedelta(hours=30)
    facts = TripFacts(code="LM4K8D", airline="Heronair", flight="HR 77", departs=departs, passengers=["Jo Blake"])
    keep_trip(deputy.ctx.engine, facts, "Heronair\nYour booking", deputy.clock.now())

    deputy.clock.advance(7 * 3600)  # 23 h before departure: the built-in job's next round offers it
    deputy.ctx.schedules.wakeup()
    said = news(deputy, sub, "trip.checkin_open")
    assert said == (
        f"Check-in is open: Heronair HR77 (booking LM4K8D), departing {departure_text(departs.isoformat())}. "
        "Check in from Deputy's extension."
    )
