"""The tray's word on trips: a check-in window opening and boarding passes saved, each naming the flight."""

from datetime import UTC, datetime

from tray.state import departure_text, news_of


def test_an_open_check_in_window_names_the_flight_and_its_local_departure() -> None:
    departs = datetime(2030, 6, 1, 7, 30, tzinfo=UTC)
    event = {
        "type": "trip.checkin_open",
        "data": {"booking_code": "FM5W6C", "airline": "Demo Air", "flight": "DA233", "departs_at": departs.isoformat()},
    }
    local = departs.astimezone()
    said = news_of(event)
    assert said == (
        f"Check-in is open: Demo Air DA233 (booking FM5W6C), departing {local.strftime('%a')} {local.day} "
        f"{local.strftime('%b %H:%M')}. Check in from Deputy's extension."
    )


def test_boarding_passes_are_named_one_or_many() -> None:
    one = {"type": "checkin.boarding_pass", "data": {"task_id": "t_1", "files": ["pass-KL.png"],
                                                       "booking_code": "QX7P2M", "airline": "Skylark"}}  # fmt: skip
    said = news_of(one)
    assert said == "Boarding pass saved for Skylark (booking QX7P2M): pass-KL.png. Open from Deputy's extension."
    two = {"type": "checkin.boarding_pass", "data": {"task_id": "t_2", "files": ["a.pdf", "b.pdf"]}}
    assert news_of(two) == "2 boarding passes saved for your flight: a.pdf, b.pdf. Open from Deputy's extension."


def test_a_departure_the_tray_cannot_read_is_said_as_given() -> None:
    assert departure_text("next Tuesday") == "next Tuesday"
    assert departure_text(None) == ""
