"""Pages before and around check-in: find a booking, the trip and its check-in status, baggage rules."""

from datetime import datetime
from html import escape

from backend.demo.air.booking import Booking
from backend.demo.air.layout import error_summary, field, flight_card, render_page, stepper
from backend.demo.air.window import CheckinWindow, checkin_window, closes_at, opens_at, when


def find_page(
    *, consent: bool, values: dict[str, str], errors: dict[str, str], notice: str = "", not_found: bool = False
) -> str:
    alert = ""
    if not_found:
        alert = (
            '<div class="alert alert-error" role="alert" id="find-error"><strong>We could not find that booking.'
            "</strong> Check the booking code and the last name against your confirmation email and try again."
            "</div>"
        )
    notice_html = f'<div class="alert alert-info" role="status">{escape(notice)}</div>' if notice else ""
    code_field = field(
        "booking_code",
        "Booking code",
        values.get("booking_code", ""),
        errors.get("booking_code"),
        hint="6 letters and numbers, for example AB12CD. You find it in your confirmation email.",
        attrs='autocomplete="off" autocapitalize="characters" maxlength="12" required',
    )
    name_field = field(
        "last_name",
        "Last name",
        values.get("last_name", ""),
        errors.get("last_name"),
        hint="The last name of any passenger on the booking.",
        attrs='autocomplete="family-name" required',
    )
    main = f"""
<section class="hero">
  <div>
    <p class="eyebrow">Online check-in</p>
    <h1>Check in for your flight</h1>
    <p>Check in online from 24 hours until 60 minutes before departure, choose your seat and get your
    boarding pass on your phone.</p>
  </div>
</section>
<div class="find-layout">
  <section class="card find-card" aria-labelledby="find-title">
    <h2 id="find-title">Find your booking</h2>
    {notice_html}{error_summary(errors)}{alert}
    <form method="post" action="/checkin/find" novalidate>
      {code_field}
      {name_field}
      <button type="submit" class="btn btn-primary btn-wide">Find booking</button>
    </form>
  </section>
  <aside class="card tips" aria-label="Before you fly">
    <h2>Before you fly</h2>
    <ul class="tip-list">
      <li><strong>Passport ready.</strong> We ask for the passport of every passenger.</li>
      <li><strong>Seats from €0.</strong> Choose any standard seat for free, or more legroom for a fee.</li>
      <li><strong>Bags.</strong> One small cabin bag is included. <a href="/baggage-rules" target="_blank">Baggage
        rules</a></li>
    </ul>
  </aside>
</div>"""
    return render_page("Online check-in", main, consent=consent)


def _status_panel(booking: Booking, now: datetime) -> str:
    flight = booking.flight
    if booking.checked_in:
        return (
            '<div class="status status-ok"><h2>You are checked in</h2><p>Your boarding pass is ready. Boarding '
            f"starts at {flight.boarding:%H:%M} at gate {flight.gate}.</p>"
            '<a class="btn btn-primary" href="/checkin/boarding-pass" target="_blank">View boarding pass</a></div>'
        )
    state = checkin_window(flight, now)
    if state is CheckinWindow.NOT_OPEN:
        return (
            '<div class="status status-wait" role="status"><h2>Online check-in is not open yet</h2>'
            f"<p>Check-in for flight {flight.number} opens on <strong>{when(opens_at(flight))}</strong>, 24 hours "
            "before departure. Come back then to choose your seat and get your boarding pass.</p></div>"
        )
    if state is CheckinWindow.CLOSED:
        return (
            '<div class="status status-closed" role="status"><h2>Online check-in has closed</h2>'
            f"<p>Online check-in closed at {when(closes_at(flight))}. Please go to a Demo Air desk at the "
            "airport.</p></div>"
        )
    if state is CheckinWindow.DEPARTED:
        return (
            '<div class="status status-closed" role="status"><h2>This flight has departed</h2>'
            f"<p>Flight {flight.number} left {escape(flight.origin.city)} on {when(flight.departure)}. Online "
            "check-in is no longer available for this booking.</p></div>"
        )
    return (
        '<div class="status status-open"><h2>Online check-in is open</h2>'
        f"<p>Check in before {when(closes_at(flight))}. It takes about 3 minutes: passport details, seats, "
        'and your boarding pass.</p><a class="btn btn-primary" href="/checkin/passengers">Start check-in</a></div>'
    )


def trip_page(booking: Booking, now: datetime, *, consent: bool) -> str:
    flight = booking.flight
    # A clickable div, as on many airline sites: it works with a mouse and not with the keyboard.
    details = f"""
<div class="details-toggle" onclick="toggleFlightDetails(this)">Show flight details <span>▾</span></div>
<div class="flight-details" id="flight-details" hidden>
  <p>{flight.aircraft} · operated by Demo Air · Gate {flight.gate} (gates close 20 minutes before departure)</p>
  <p>Boarding starts at {flight.boarding:%H:%M}. Arrival in {escape(flight.destination.city)} at
  {flight.arrival:%H:%M}.</p>
</div>"""
    main = f"""
<h1>Your trip to {escape(flight.destination.city)}</h1>
{flight_card(booking, details)}
{_status_panel(booking, now)}"""
    return render_page(f"Trip to {flight.destination.city}", main, consent=consent, progress=stepper(0))


def baggage_rules_page(*, consent: bool) -> str:
    main = """
<h1>Baggage rules</h1>
<div class="rules">
<section class="card"><h2>Cabin baggage</h2>
  <p>One small bag that fits under the seat in front of you (40 &times; 30 &times; 20 cm) is included in every
  fare.</p></section>
<section class="card"><h2>Checked baggage</h2>
  <p>A checked bag of up to 23 kg costs €35.00 when added online, or €60.00 at the airport.</p></section>
<section class="card" id="dangerous-goods"><h2>Dangerous goods</h2>
  <p>For everyone's safety these items are not allowed in any baggage:</p>
  <ul>
    <li>Explosives, fireworks and flares</li>
    <li>Flammable liquids and solids, such as lighter fluid and paint thinner</li>
    <li>Compressed gases, such as camping gas cylinders</li>
    <li>Corrosives, oxidisers and poisons</li>
    <li>Spare lithium batteries in checked baggage (carry them in the cabin)</li>
  </ul></section>
</div>
<p class="muted">You can close this tab to go back to check-in.</p>"""
    return render_page("Baggage rules", main, consent=consent)


def message_page(title: str, text: str, *, consent: bool, link: tuple[str, str] = ("/", "Go to check-in")) -> str:
    href, label = link
    main = (
        f'<section class="card message"><h1>{escape(title)}</h1><p>{escape(text)}</p>'
        f'<a class="btn btn-secondary" href="{escape(href)}">{escape(label)}</a></section>'
    )
    return render_page(title, main, consent=consent)
