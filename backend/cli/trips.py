"""`deputy trips`: the flight bookings triage found in mail, with their check-in windows (no server needed)."""

from datetime import UTC, datetime

from backend.cli.app import DataDirOption, app, console, database, load_settings


@app.command()
def trips(data_dir: DataDirOption = None) -> None:
    """Bookings found in mail, and when each one's check-in opens."""
    from sqlmodel import col, select

    from backend.models.trip import Trip

    settings = load_settings(None, data_dir)
    with database(settings) as session:
        found = session.exec(select(Trip).order_by(col(Trip.departs_at))).all()
        if not found:
            console.print("No trips yet: triage finds them in booking confirmations in your mail.")
            return
        now = datetime.now(UTC)
        for trip in found:
            if now >= trip.departs_at:
                window = "departed"
            elif now >= trip.window_opens:
                window = "check-in open now"
            else:
                window = f"check-in opens {trip.window_opens:%Y-%m-%d %H:%M} UTC ({trip.window_hours} h before)"
            console.print(
                f"{trip.booking_code}  {trip.airline} {trip.flight}  departs {trip.departs_at:%Y-%m-%d %H:%M} UTC  "
                f"{', '.join(trip.passengers)}  {window}",
                markup=False,
                soft_wrap=True,
                highlight=False,
            )
