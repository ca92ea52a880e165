"""The check-in steps: passengers, seats, payment, confirmation, and the boarding passes."""

from html import escape

from backend.demo.air.booking import Booking, euros
from backend.demo.air.checkin import BAG_CENTS, chosen_seats
from backend.demo.air.layout import error_summary, field, flight_card, render_page, select_field, stepper
from backend.demo.air.passport import NATIONALITIES, DetailsForm, field_name
from backend.demo.air.seatmap import describe, parse_seat
from backend.demo.air.store import CheckinSession

INFO_ICON = (
    '<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">'
    '<circle cx="12" cy="12" r="10" fill="none" stroke="currentColor" stroke-width="2"/>'
    '<path d="M12 10v7M12 7v.01" stroke="currentColor" stroke-width="2" stroke-linecap="round"/></svg>'
)


def _passenger_fieldset(form: DetailsForm) -> str:
    pid, values, errors = form.passenger.id, form.values, form.errors
    help_id = f"p{pid}-passport-help"
    # An icon-only button named by nothing but its title, as many real forms have.
    help_button = (
        f'<button type="button" class="icon-btn" title="Where do I find my passport number?" '
        f'data-toggle="{help_id}">{INFO_ICON}</button>'
    )
    return f"""
<fieldset class="card passenger">
  <legend><span class="pax-name">{escape(form.passenger.name)}</span> <span class="tag">Adult</span></legend>
  <div class="grid-2">
    {
        select_field(
            field_name(pid, "nationality"),
            "Nationality",
            NATIONALITIES,
            values["nationality"].upper(),
            errors.get("nationality"),
        )
    }
    <div>
    {
        field(
            field_name(pid, "passport_number"),
            "Passport number",
            values["passport_number"],
            errors.get("passport_number"),
            attrs='autocomplete="off" required',
            after_label=help_button,
        )
    }
    <p class="help-pop" id="{help_id}" hidden>It is printed at the top right of the photo page, usually 9
      letters and digits, for example X4R8K2P71.</p>
    </div>
    {
        field(
            field_name(pid, "passport_expiry"),
            "Passport expiry date",
            values["passport_expiry"],
            errors.get("passport_expiry"),
            kind="date",
            attrs="required",
        )
    }
    {
        field(
            field_name(pid, "date_of_birth"),
            "Date of birth",
            values["date_of_birth"],
            errors.get("date_of_birth"),
            kind="date",
            attrs='autocomplete="bday" required',
        )
    }
  </div>
</fieldset>"""


def passengers_page(booking: Booking, forms: list[DetailsForm], *, consent: bool) -> str:
    errors = {field_name(f.passenger.id, name): text for f in forms for name, text in f.errors.items()}
    fieldsets = "".join(_passenger_fieldset(form) for form in forms)
    main = f"""
<h1>Passenger details</h1>
<p class="lead">Enter the passport of each passenger exactly as printed. The authorities at
{escape(booking.flight.destination.city)} receive these details before you land.</p>
{error_summary(errors)}
<form method="post" action="/checkin/passengers" novalidate class="stack">
  {fieldsets}
  <div class="actions"><a class="btn btn-link" href="/checkin/trip">Back</a>
    <button type="submit" class="btn btn-primary">Continue</button></div>
</form>"""
    return render_page("Passenger details", main, consent=consent, progress=stepper(1))


def _seat_picks(booking: Booking, session: CheckinSession) -> str:
    chosen = chosen_seats(booking, session)
    rows = []
    for passenger in booking.passengers:
        code = chosen.get(passenger.id, "")
        seat = parse_seat(code) if code else None
        text = escape(describe(seat)) if seat else "No seat chosen"
        rows.append(
            f'<li data-pid="{passenger.id}" data-name="{escape(passenger.name)}">'
            f'<span class="pax">{escape(passenger.name)}</span> <span class="pick">{text}</span>'
            f'<input type="hidden" name="seat_{passenger.id}" value="{escape(code)}" form="seat-form"></li>'
        )
    return "".join(rows)


def seats_page(booking: Booking, session: CheckinSession, error: str = "", *, consent: bool) -> str:
    picks = _seat_picks(booking, session)
    chooser = ""
    if len(booking.passengers) > 1:
        radios = "".join(
            f'<label class="radio"><input type="radio" name="active_passenger" value="{p.id}"'
            f"{' checked' if i == 0 else ''}> {escape(p.name)}</label>"
            for i, p in enumerate(booking.passengers)
        )
        chooser = f'<fieldset class="who"><legend>Choosing a seat for</legend>{radios}</fieldset>'
    error_html = f'<div class="alert alert-error" role="alert">{escape(error)}</div>' if error else ""
    has_bag = any(p.bags for p in booking.passengers) or any(i.kind == "bag" for i in session.basket)
    count = len(booking.passengers)
    bag_label = f"Add bag for {euros(BAG_CENTS)}" if count == 1 else f"Add bags for {euros(BAG_CENTS * count)}"
    offer = (
        ""
        if has_bag
        else f"""
<dialog id="bag-offer" class="modal" aria-labelledby="bag-title" aria-describedby="bag-text">
  <button type="button" class="modal-close" aria-label="Close" data-close>&times;</button>
  <p class="eyebrow">Save €25.00 on each bag</p>
  <h2 id="bag-title">Add a checked bag?</h2>
  <p id="bag-text">Add a 23 kg checked bag now for {euros(BAG_CENTS)} per passenger. At the airport the same bag
  costs €60.00.</p>
  <div class="modal-actions">
    <button type="button" class="btn btn-secondary" data-close>No thanks</button>
    <form method="post" action="/checkin/bags"><button type="submit" class="btn btn-primary">{bag_label}</button></form>
  </div>
</dialog>"""
    )
    flight = booking.flight
    main = f"""
<h1>Choose your seats</h1>
<div class="seats-layout">
  <section class="card seatmap-card" aria-labelledby="seatmap-title">
    <h2 id="seatmap-title">{flight.number} · {flight.origin.code} to {flight.destination.code} · {flight.aircraft}</h2>
    <ul class="legend" aria-label="Seat types">
      <li><span class="swatch seat-standard"></span> Free</li>
      <li><span class="swatch seat-extra-legroom"></span> Extra legroom €18.00</li>
      <li><span class="swatch seat-up-front"></span> Up front €24.00</li>
      <li><span class="swatch seat-taken"></span> Occupied</li>
      <li><span class="swatch seat-selected"></span> Your choice</li>
    </ul>
    <div id="seat-map" class="seat-map" data-src="/checkin/seatmap" aria-busy="true">
      <p class="loading"><span class="spinner" aria-hidden="true"></span> Loading seat map…</p>
    </div>
  </section>
  <aside class="card seat-summary" aria-labelledby="picks-title">
    <h2 id="picks-title">Your seats</h2>
    {error_html}{chooser}
    <ul class="picks" id="seat-picks" aria-live="polite">{picks}</ul>
    <p class="seat-total">Seat charges <strong id="seat-total">€0.00</strong></p>
    <form method="post" action="/checkin/seats" id="seat-form">
      <button type="submit" class="btn btn-primary btn-wide">Continue</button>
    </form>
    <p class="muted small">Standard seats are free. Seats with a price are confirmed once paid.</p>
  </aside>
</div>
{offer}"""
    return render_page("Choose your seats", main, consent=consent, progress=stepper(2))


def _basket(booking: Booking, session: CheckinSession) -> str:
    rows = []
    for item in session.basket:
        passenger = booking.passenger(item.passenger_id)
        who = escape(passenger.name) if passenger else ""
        seat = parse_seat(item.seat or "")
        what = escape(describe(seat).rsplit(", ", 1)[0]) if seat else "Checked bag, 23 kg"
        rows.append(
            f'<li><div><span>{what}</span><span class="muted small">{who}</span></div>'
            f"<strong>{euros(item.price_cents)}</strong>"
            f'<form method="post" action="/checkin/basket/remove"><input type="hidden" name="item" '
            f'value="{item.key}"><button type="submit" class="btn btn-link small" '
            f'aria-label="Remove {what} for {who}">Remove</button></form></li>'
        )
    return "".join(rows)


def payment_page(
    booking: Booking, session: CheckinSession, values: dict[str, str], errors: dict[str, str], *, consent: bool
) -> str:
    total = euros(session.basket_total)
    name = field(
        "card_name",
        "Name on card",
        values.get("card_name", ""),
        errors.get("card_name"),
        attrs='autocomplete="cc-name" required',
    )
    number = field(
        "card_number",
        "Card number",
        "",
        errors.get("card_number"),
        attrs='inputmode="numeric" autocomplete="cc-number" maxlength="23" required',
    )
    expiry = field(
        "card_expiry",
        "Expiry date",
        values.get("card_expiry", ""),
        errors.get("card_expiry"),
        hint="MM/YY",
        attrs='autocomplete="cc-exp" placeholder="MM/YY" maxlength="7" required',
    )
    cvc = field(
        "card_cvc",
        "Security code",
        "",
        errors.get("card_cvc"),
        hint="3 or 4 digits on the back",
        attrs='inputmode="numeric" autocomplete="cc-csc" maxlength="4" required',
    )
    main = f"""
<h1>Payment</h1>
<div class="pay-layout">
  <section class="card" aria-labelledby="card-title">
    <h2 id="card-title">Pay by card</h2>
    {error_summary(errors)}
    <form method="post" action="/checkin/payment" novalidate class="stack">
      {name}
      {number}
      <div class="grid-2">{expiry}{cvc}</div>
      <button type="submit" class="btn btn-primary btn-wide">Pay {total}</button>
      <p class="muted small">Payments are encrypted. Demo Air never charges a real card.</p>
    </form>
  </section>
  <aside class="card order" aria-labelledby="order-title">
    <h2 id="order-title">Your order</h2>
    <ul class="basket">{_basket(booking, session)}</ul>
    <p class="total">Total <strong>{total}</strong></p>
  </aside>
</div>"""
    return render_page("Payment", main, consent=consent, progress=stepper(3))


def confirm_page(booking: Booking, error: str = "", *, paid: bool, consent: bool, final_label: str = "Check in") -> str:
    rows = "".join(
        f'<tr><th scope="row">{escape(p.name)}</th><td>{escape(p.seat or "")}</td><td>{p.bags}</td>'
        f"<td>{escape(NATIONALITIES.get(p.details.nationality, '') if p.details else '')}</td></tr>"
        for p in booking.passengers
    )
    error_html = (
        f'<p class="field-error" id="dangerous_goods-error"><span aria-hidden="true">!</span> {escape(error)}</p>'
        if error
        else ""
    )
    aria = ' aria-describedby="dangerous_goods-error" aria-invalid="true"' if error else ""
    main = f"""
<h1>Check in</h1>
<section class="card" aria-labelledby="who-title">
  <h2 id="who-title">Passengers on {booking.flight.number}</h2>
  <table class="table"><thead><tr><th scope="col">Passenger</th><th scope="col">Seat</th>
  <th scope="col">Checked bags</th><th scope="col">Nationality</th></tr></thead><tbody>{rows}</tbody></table>
</section>
<section class="card dg" aria-labelledby="dg-title">
  <h2 id="dg-title">Dangerous goods</h2>
  <p>You must not carry these items in any baggage: explosives and fireworks, flammable liquids and gases,
  corrosives, poisons, and spare lithium batteries in checked bags.
  <a href="/baggage-rules#dangerous-goods" target="_blank" rel="noopener">Read the baggage rules (opens in a new
  tab)</a></p>
  <form method="post" action="/checkin/complete" novalidate>
    <div class="check{" field-invalid" if error else ""}">
      <input type="checkbox" id="dangerous_goods" name="dangerous_goods" value="confirmed"{aria}>
      <label for="dangerous_goods">I confirm that no one on this booking is carrying dangerous goods</label>
    </div>
    {error_html}
    <button type="submit" class="btn btn-primary btn-wide">{escape(final_label)}</button>
  </form>
</section>"""
    skipped = frozenset() if paid else frozenset({3})
    return render_page("Check in", main, consent=consent, progress=stepper(4, skipped))


def done_page(booking: Booking, *, consent: bool) -> str:
    flight = booking.flight
    first = escape(booking.passengers[0].first_name)
    main = f"""
<section class="card success">
  <div class="success-mark" aria-hidden="true">✓</div>
  <h1>You are checked in</h1>
  <p>Have a good flight, {first}. Boarding starts at <strong>{flight.boarding:%H:%M}</strong> at gate
  <strong>{flight.gate}</strong>; the gate closes 20 minutes before departure.</p>
  <a class="btn btn-primary" href="/checkin/boarding-pass" target="_blank">View boarding pass</a>
</section>
{flight_card(booking)}"""
    return render_page("Checked in", main, consent=consent, progress=stepper(5))


def boarding_page(booking: Booking, *, consent: bool) -> str:
    cards = []
    for p in booking.passengers:
        alt = f"Boarding pass for {p.name}, flight {booking.flight.number}, seat {p.seat}"
        cards.append(f"""
<section class="card pass" aria-label="Boarding pass for {escape(p.name)}">
  <img src="/checkin/boarding-pass/{p.id}.png" alt="{escape(alt)}" width="1000" height="400">
  <div class="actions">
    <a class="btn btn-primary" href="/checkin/boarding-pass/{p.id}.pdf" download>Download PDF</a>
    <a class="btn btn-secondary" href="/checkin/boarding-pass/{p.id}.png?download=1" download>Download PNG</a>
    <button type="button" class="btn btn-link" aria-label="Print boarding pass" data-print>Print</button>
  </div>
</section>""")
    main = f"""
<h1>Boarding pass</h1>
<p class="lead">Show the barcode at security and at the gate, on your phone or printed.</p>
{"".join(cards)}"""
    return render_page("Boarding pass", main, consent=consent)
