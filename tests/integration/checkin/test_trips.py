"""Trips from mail: the reader's booking facts are checked (never free text used as a URL), stored once, listed
by the API and `deputy trips`, and "Check in" is offered once when the airline's window opens."""

import json
from datetime import timedelta
from typing import Any

from backend.skills.checkin.trips import keep_trip, offer_due
from backend.skills.mail.reader import parse
from tests.cli import deputy_cli
from tests.integration.checkin.test_demo_air import capture_events
from tests.live import Deputy

GOOD = {"code": "fm5w6c", "airline": "Demo Air", "flight": "DA 233", "departs": "2030-06-01T09:30:00+02:00",
        "passengers": ["Yuki Nakamura", "Ren Nakamura"]}  # fmt: skip


def reply(*trips: dict[str, Any]) -> str:
    items = [{"i": n, "c": "travel", "a": "star", "s": "Your flight booking", "t": t} for n, t in enumerate(trips)]
    return json.dumps({"m": items})


def test_booking_facts_off_their_shape_lose_the_trip_but_keep_the_sorting() -> None:
    bad = [
        {**GOOD, "code": "https://evil.example/collect"},
        {**GOOD, "code": "AB1"},
        {**GOOD, "flight": "see http://x.example"},
        {**GOOD, "departs": "tomorrow morning"},
        {**GOOD, "departs": "2030-06-01T09:30:00"},  # no offset: which 09:30?
        {**GOOD, "passengers": ["<script>alert(1)</script>"]},
        {**GOOD, "passengers": []},
        {**GOOD, "url": "https://evil.example/"},
    ]
    verdicts, dropped = parse(reply(GOOD, *bad), set(range(len(bad) + 1)))
    assert dropped == 0 and len(verdicts) == len(bad) + 1
    assert verdicts[0].t is not None and verdicts[0].t.flight == "DA 233"
    assert all(verdicts[n].t is None and verdicts[n].c == "travel" for n in range(1, len(bad) + 1))


def test_trips_are_listed_and_offered_once_when_the_window_opens(agent: Deputy) -> None:
    verdicts, _ = parse(reply(GOOD), {0})
    facts = verdicts[0].t
    assert facts is not None
    ctx = agent.ctx
    now = facts.departs - timedelta(hours=30)
    trip = keep_trip(ctx.engine, facts, "Demo Air\nYour booking FM5W6C\nMon", now)
    again = keep_trip(ctx.engine, facts, "Demo Air\nReminder: FM5W6C\nTue", now)
    assert again.id == trip.id  # the same booking from a second mail is one trip

    listed = agent.get("/api/trips", token=agent.local_token)
    assert listed.status_code == 200
    [shown] = listed.json()
    assert shown["booking_code"] == "FM5W6C" and shown["flight"] == "DA233"
    assert shown["passengers"] == ["Yuki Nakamura", "Ren Nakamura"] and shown["window_hours"] == 24
    assert shown["window_opens"].startswith("2030-05-31T07:30")  # 24 h before 07:30 UTC

    events = capture_events(agent)
    assert offer_due(ctx.engine, ctx.bus, now) == []  # 30 h before: not open yet
    assert offer_due(ctx.engine, ctx.bus, facts.departs - timedelta(hours=23)) == [trip.id]
    assert offer_due(ctx.engine, ctx.bus, facts.departs - timedelta(hours=22)) == []  # offered once
    offered = [data for kind, data in events if kind == "trip.checkin_open"]
    assert len(offered) == 1 and offered[0]["booking_code"] == "FM5W6C" and offered[0]["offer"] == "Check in"

    printed = deputy_cli("trips", "--data-dir", str(agent.settings.data_dir))
    assert printed.returncode == 0, printed.stderr
    assert "FM5W6C" in printed.stdout and "Yuki Nakamura, Ren Nakamura" in printed.stdout
    assert "Traceback" not in printed.stderr
