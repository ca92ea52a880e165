"""Skylark's pages: plain server-rendered HTML, every change a form that POSTs and redirects."""

from html import escape

from tests.sites.skylark.store import CABIN_ROWS, EXTRAS, LETTERS, Booking, Traveller, seat_label

COUNTRIES = {"": "Choose…", "ES": "Spain", "GB": "United Kingdom", "JP": "Japan", "PT": "Portugal", "FR": "France"}
WALL = """
<div class="wall" role="dialog" aria-modal="true" aria-labelledby="wall-title">
  <h2 id="wall-title">We value your privacy</h2>
  <p>Skylark and 112 partners store and read cookies to run this site, personalise offers and measure
  audiences. Choose before you continue.</p>
  <form method="post" action="/privacy">
    <button name="choice" value="all">Accept all cookies</button>
    <button name="choice" value="essential">Reject all</button>
  </form>
</div>"""


def page(title: str, body: str, *, consent: bool) -> str:
    # Until a choice is made the wall is all there is: the page behind it is not sent.
    main = body if consent else WALL
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{escape(title)} · Skylark</title>"
        "<style>body{font:15px system-ui;margin:0}header{background:#0b3d2e;color:#fff;padding:12px 24px}"
        "main{padding:24px;max-width:760px}.grid{display:grid;grid-template-columns:repeat(7,44px);gap:4px}"
        ".wall{position:fixed;inset:0;background:#fff;padding:48px}</style></head>"
        f"<body><header><strong>Skylark</strong> · Manage booking</header><main>{main}</main></body></html>"
    )


def find_page(*, consent: bool, error: str = "", notice: str = "") -> str:
    alert = f'<p role="alert">{escape(error or notice)}</p>' if error or notice else ""
    body = f"""
<h1>Online check-in</h1>{alert}
<form method="post" action="/retrieve">
  <p><label for="surname">Surname</label><br><input id="surname" name="surname" autocomplete="family-name"></p>
  <p><label for="ref">Booking reference</label><br><input id="ref" name="ref" maxlength="6"></p>
  <button>Retrieve booking</button>
</form>"""
    return page("Check in", body, consent=consent)


def travellers_page(booking: Booking, *, consent: bool, error: str = "") -> str:
    boxes = "".join(
        f'<li><label><input type="checkbox" name="traveller" value="{t.id}"> {escape(t.name)}</label></li>'
        for t in booking.travellers
    )
    alert = f'<p role="alert">{escape(error)}</p>' if error else ""
    body = f"""
<h1>Who is travelling?</h1>
<p>{escape(booking.flight)}, {escape(booking.route)}, {booking.departs:%d %b %Y}. Select the passengers to check
in.</p>{alert}
<form method="post" action="/travellers"><ul class="plain">{boxes}</ul><button>Continue</button></form>"""
    return page("Passengers", body, consent=consent)


def seats_page(booking: Booking, who: Traveller, taken: set[str], *, consent: bool) -> str:
    rows = []
    for row in CABIN_ROWS:
        cells = [f'<span role="rowheader">{row}</span>']
        for letter in LETTERS:
            code = f"{row}{letter}"
            off = " disabled" if code in taken else ""
            cells.append(
                f'<span role="gridcell"><button name="seat" value="{code}" aria-label="{seat_label(code)}"{off}>'
                f"{letter}</button></span>"
            )
        rows.append(f'<div role="row">{"".join(cells)}</div>')
    body = f"""
<h1>Choose a seat for {escape(who.name)}</h1>
<p>Rows 1 to 4 cost £15.00 a seat; the rest of the cabin is included.</p>
<form method="post" action="/seat"><input type="hidden" name="traveller" value="{who.id}">
  <div role="grid" aria-label="Cabin, front at the top" class="grid">{"".join(rows)}</div>
</form>"""
    return page("Seats", body, consent=consent)


def documents_page(travellers: list[Traveller], *, consent: bool, errors: dict[str, str] | None = None) -> str:
    errors = errors or {}
    sets = []
    for t in travellers:
        options = "".join(f'<option value="{k}">{escape(v)}</option>' for k, v in COUNTRIES.items())
        fields = [
            f'<label for="c{t.id}">Citizenship</label>'
            f'<select id="c{t.id}" name="citizenship_{t.id}">{options}</select>',
            f'<label for="d{t.id}">Document no.</label><input id="d{t.id}" name="document_{t.id}">',
            f'<label for="v{t.id}">Valid until (DD/MM/YYYY)</label><input id="v{t.id}" name="valid_{t.id}">',
            f'<label for="b{t.id}">Born on (DD/MM/YYYY)</label><input id="b{t.id}" name="born_{t.id}">',
        ]
        problem = f'<p role="alert">{escape(errors[str(t.id)])}</p>' if str(t.id) in errors else ""
        sets.append(
            f"<fieldset><legend>{escape(t.name)}</legend>{problem}"
            + "".join(f"<p>{f}</p>" for f in fields)
            + "</fieldset>"
        )
    body = f"""
<h1>Travel documents</h1>
<form method="post" action="/documents">{"".join(sets)}<button>Save and continue</button></form>"""
    return page("Documents", body, consent=consent)


def extras_page(booking: Booking, *, consent: bool) -> str:
    rows = "".join(
        f"<tr><td>{escape(label)}</td><td>£{pence / 100:.2f}</td><td><form method='post' action='/extras'>"
        f"<button name='extra' value='{key}'>Add</button></form></td></tr>"
        for key, (label, pence) in EXTRAS.items()
        if key not in booking.extras
    )
    body = f"""
<h1>Make your trip easier</h1>
<table><thead><tr><th>Extra</th><th>Price</th><th></th></tr></thead><tbody>{rows}</tbody></table>
<form method="post" action="/extras/none"><button>Continue without extras</button></form>"""
    return page("Extras", body, consent=consent)


def final_page(booking: Booking, chosen: list[Traveller], *, consent: bool, error: str = "") -> str:
    listed = "".join(f"<li>{escape(t.name)}: seat {escape(t.seat)}</li>" for t in chosen)
    alert = f'<p role="alert">{escape(error)}</p>' if error else ""
    body = f"""
<h1>Review and check in</h1>
<ul>{listed}</ul>{alert}
<form method="post" action="/finalise">
  <fieldset>
    <legend>Hazardous materials</legend>
    <p>Lithium batteries above 160 Wh, gas canisters, lighter fluid, bleach, aerosols of paint and any
    firearm ammunition must not be packed in any bag. Breaking these rules can lead to a fine.</p>
    <label><input type="checkbox" name="hazmat" value="yes"> I have read and accept the hazardous materials
    policy</label>
  </fieldset>
  <button>Complete check-in</button>
</form>"""
    return page("Review", body, consent=consent)


def boarding_page(booking: Booking, chosen: list[Traveller], *, consent: bool) -> str:
    links = "".join(
        f'<li>{escape(t.name)}, seat {escape(t.seat)}: <a href="/pass/{t.id}.pdf">Download PDF for '
        f"{escape(t.first_name)}</a></li>"
        for t in chosen
    )
    body = f"<h1>You're checked in</h1><p>Flight {escape(booking.flight)}.</p><ul>{links}</ul>"
    return page("Boarding passes", body, consent=consent)


def timed_out_page() -> str:
    body = """<h1>Your session has timed out</h1><p>For your security we ended your session. Your choices so far
are saved.</p><p><a href="/">Start again</a></p>"""
    return page("Session ended", body, consent=True)
