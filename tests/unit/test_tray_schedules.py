"""The tray's schedule items as data: the next run in words, the watch switch, and what events say."""

from datetime import datetime, timedelta

from tray.menu import Do, build_menu
from tray.state import Job, TrayState, news_of, next_run_text


def test_the_next_run_is_said_as_a_person_says_it() -> None:
    now = datetime(2026, 12, 1, 9, 0).astimezone()
    assert next_run_text(None, now) == "off"
    assert next_run_text((now + timedelta(hours=3)).isoformat(), now) == "today 12:00"
    assert next_run_text((now + timedelta(days=1)).replace(hour=6).isoformat(), now) == "tomorrow 06:00"
    assert next_run_text((now + timedelta(days=4)).isoformat(), now) == "Sat 5 Dec 09:00"


def test_watch_deploys_is_on_when_any_watch_is_and_greys_out_without_one() -> None:
    triage = Job("s_1", "Triage my inbox at 06:00", "triage", True, "tomorrow 06:00")
    on = Job("s_2", "Watch the deploy dashboard", "deploy_watch", True, "today 09:01")
    off = Job("s_3", "Watch Harbor", "deploy_watch", False, "off")
    menu = build_menu(TrayState(connected=True, jobs=(triage, on, off)))
    watch = next(e for e in menu if e.do is Do.WATCH)
    assert watch.checked is True and watch.enabled
    schedules = next(e for e in menu if e.label == "Schedules")
    assert [e.label for e in schedules.submenu] == [
        "Triage my inbox at 06:00 (next tomorrow 06:00)",
        "Watch the deploy dashboard (next today 09:01)",
        "Watch Harbor (off)",
    ]
    lone = next(e for e in build_menu(TrayState(connected=True, jobs=(triage,))) if e.label.startswith("Watch"))
    assert lone.enabled is False and lone.do is None


def test_events_worth_a_notification() -> None:
    alert = {"type": "watch.alert", "data": {"summary": "checkout-api: rollout failed", "approval_id": "ap_1"}}
    assert news_of(alert) == "Deploy alert: checkout-api: rollout failed. A rollback waits for your approval."
    ready = {"type": "digest.ready", "data": {"headline": "1 scheduled job(s) ran."}}
    assert news_of(ready) == "While you were away: 1 scheduled job(s) ran."
    assert news_of({"type": "schedule.ran", "data": {}}) is None
