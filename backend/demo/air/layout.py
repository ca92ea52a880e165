"""The frame every Demo Air page shares: brand bar, check-in stepper, cookie banner, form fields."""

from html import escape

from backend.demo.air.booking import Booking
from backend.demo.air.window import when

STEPS = ("Booking", "Passengers", "Seats", "Payment", "Check in", "Boarding pass")

PLANE_ICON = (
    '<svg class="brand-mark" viewBox="0 0 24 24" aria-hidden="true" focusable="false">'
    '<path d="M21 16v-2l-8-5V3.5a1.5 1.5 0 0 0-3 0V9l-8 5v2l8-2.5V19l-2 1.5V22l3.5-1 3.5 1v-1.5L13 19v-5.5z"/>'
    "</svg>"
)

COOKIE_BANNER = """
<div class="cookie-banner" id="cookie-banner" role="region" aria-label="Cookie consent">
  <div class="wrap cookie-inner">
    <div>
      <h2>We value your privacy</h2>
      <p>Demo Air uses cookies to keep you signed in to check-in, remember your choices and measure how our
      site is used. Necessary cookies are always on. You can change your choice at any time in
      <span class="fake-link">Cookie settings</span>.</p>
    </div>
    <div class="cookie-actions">
      <button type="button" class="btn btn-secondary" data-consent="necessary">Only necessary</button>
      <button type="button" class="btn btn-primary" data-consent="all">Accept all</button>
    </div>
  </div>
</div>
"""


def stepper(current: int, skipped: frozenset[int] = frozenset()) -> str:
    """Progress through check-in; `current` indexes STEPS, `skipped` marks steps not needed."""
    items = []
    for index, label in enumerate(STEPS):
        if index in skipped and index != current:
            state, mark = "skipped", "&ndash;"
        elif index < current:
            state, mark = "done", "✓"
        elif index == current:
            state, mark = "current", str(index + 1)
        else:
            state, mark = "todo", str(index + 1)
        aria = ' aria-current="step"' if index == current else ""
        hidden = ' <span class="visually-hidden">(completed)</span>' if state == "done" else ""
        items.append(
            f'<li class="step step-{state}"{aria}><span class="step-dot" aria-hidden="true">{mark}</span>'
            f'<span class="step-label">{label}{hidden}</span></li>'
        )
    return f'<nav class="stepper" aria-label="Check-in progress"><ol class="wrap">{"".join(items)}</ol></nav>'


def render_page(title: str, main: str, *, consent: bool, progress: str = "") -> str:
    banner = "" if consent else COOKIE_BANNER
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} · Demo Air</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/air.css">
<script src="/static/air.js" defer></script>
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<header class="brand-bar">
  <div class="wrap brand-inner">
    <a class="brand" href="/">{PLANE_ICON}<span>Demo Air</span></a>
    <nav class="top-nav" aria-label="Main">
      <a href="/">Online check-in</a>
      <a href="/baggage-rules">Baggage</a>
      <span class="fake-link">Help</span>
      <span class="lang" aria-hidden="true">EN · EUR</span>
    </nav>
  </div>
</header>
{progress}
<main id="main" class="wrap" tabindex="-1">
{main}
</main>
<footer class="site-footer"><div class="wrap">
  <span>© Demo Air. A demonstration airline for Deputy: no real flights, no real payments.</span>
  <span>Times are shown in UTC.</span>
</div></footer>
{banner}
</body>
</html>"""


def error_summary(errors: dict[str, str]) -> str:
    """A list of every problem at the top of a form, each linking to its field."""
    if not errors:
        return ""
    items = "".join(f'<li><a href="#{escape(name)}">{escape(text)}</a></li>' for name, text in errors.items())
    return f'<div class="error-summary" role="alert" tabindex="-1"><h2>There is a problem</h2><ul>{items}</ul></div>'


def field(
    name: str,
    label: str,
    value: str = "",
    error: str | None = None,
    *,
    kind: str = "text",
    hint: str | None = None,
    attrs: str = "",
    after_label: str = "",
) -> str:
    """A labelled input whose hint and error are tied to it for screen readers."""
    described = []
    hint_html = ""
    if hint:
        hint_html = f'<p class="hint" id="{name}-hint">{escape(hint)}</p>'
        described.append(f"{name}-hint")
    error_html = ""
    if error:
        error_html = f'<p class="field-error" id="{name}-error"><span aria-hidden="true">!</span> {escape(error)}</p>'
        described.append(f"{name}-error")
    aria = f' aria-describedby="{" ".join(described)}"' if described else ""
    invalid = ' aria-invalid="true"' if error else ""
    return (
        f'<div class="field{" field-invalid" if error else ""}">'
        f'<div class="label-row"><label for="{name}">{escape(label)}</label>{after_label}</div>{hint_html}'
        f'<input type="{kind}" id="{name}" name="{name}" value="{escape(value)}"{aria}{invalid} {attrs}>'
        f"{error_html}</div>"
    )


def select_field(name: str, label: str, options: dict[str, str], value: str = "", error: str | None = None) -> str:
    choices = ['<option value="">Select</option>'] + [
        f'<option value="{escape(code)}"{" selected" if code == value else ""}>{escape(text)}</option>'
        for code, text in options.items()
    ]
    aria = f' aria-describedby="{name}-error" aria-invalid="true"' if error else ""
    error_html = (
        f'<p class="field-error" id="{name}-error"><span aria-hidden="true">!</span> {escape(error)}</p>'
        if error
        else ""
    )
    return (
        f'<div class="field{" field-invalid" if error else ""}"><div class="label-row">'
        f'<label for="{name}">{escape(label)}</label></div>'
        f'<select id="{name}" name="{name}" required{aria}>{"".join(choices)}</select>{error_html}</div>'
    )


def flight_card(booking: Booking, extra: str = "") -> str:
    """The trip at a glance: route, times, flight number and booking code."""
    flight = booking.flight
    names = ", ".join(escape(p.name) for p in booking.passengers)
    return f"""
<section class="card flight-card" aria-label="Your flight">
  <div class="route">
    <div class="airport"><span class="iata">{flight.origin.code}</span><span>{escape(flight.origin.city)}</span>
      <span class="time">{flight.departure:%H:%M}</span></div>
    <div class="route-line" aria-hidden="true"><span>{flight.duration.seconds // 3600}h
      {flight.duration.seconds % 3600 // 60:02d}m</span></div>
    <div class="airport"><span class="iata">{flight.destination.code}</span>
      <span>{escape(flight.destination.city)}</span><span class="time">{flight.arrival:%H:%M}</span></div>
  </div>
  <dl class="facts">
    <div><dt>Flight</dt><dd>{flight.number}</dd></div>
    <div><dt>Departure</dt><dd>{when(flight.departure)}</dd></div>
    <div><dt>Booking code</dt><dd>{booking.code}</dd></div>
    <div><dt>Passengers</dt><dd>{names}</dd></div>
  </dl>
  {extra}
</section>"""
