"""The Skylark app factory: check-in pages, form posts that redirect (303), and the test-only routes."""

import re
from datetime import datetime
from io import BytesIO
from urllib.parse import parse_qs

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from PIL import Image, ImageDraw

from tests.sites.skylark import pages
from tests.sites.skylark.store import CODE, EXTRAS, PAID_PENCE, PAID_ROWS, Booking, Session, Skylark, Traveller

SID = "sky_sid"
CONSENT = "sky_privacy"
DOCUMENT = re.compile(r"[A-Z0-9]{6,9}")


class Elsewhere(Exception):
    """The traveller is not where they asked to be: send them on."""

    def __init__(self, url: str) -> None:
        self.url = url


def go(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


async def form_of(request: Request) -> dict[str, list[str]]:
    return parse_qs((await request.body()).decode("utf-8", "replace"))


def one(form: dict[str, list[str]], key: str) -> str:
    return (form.get(key) or [""])[0].strip()


def parse_day(text: str) -> datetime | None:
    try:
        return datetime.strptime(text, "%d/%m/%Y")
    except ValueError:
        return None


def create_app() -> FastAPI:
    app = FastAPI(title="Skylark", docs_url=None, redoc_url=None, openapi_url=None)
    sky = Skylark()

    @app.exception_handler(Elsewhere)
    async def elsewhere(request: Request, where: Elsewhere) -> Response:
        return go(where.url)

    def consent(request: Request) -> bool:
        return CONSENT in request.cookies

    def journey(request: Request) -> tuple[Session, Booking]:
        session = sky.sessions.get(request.cookies.get(SID, ""))
        if session is None:
            raise Elsewhere("/?ended=1")
        booking = sky.bookings[session.code]
        if booking.checked_in and request.url.path not in ("/boarding",) and not request.url.path.startswith("/pass"):
            raise Elsewhere("/boarding")
        return session, booking

    def chosen(session: Session, booking: Booking) -> list[Traveller]:
        return [t for t in booking.travellers if t.id in session.chosen]

    def next_step(session: Session, booking: Booking) -> str:
        people = chosen(session, booking)
        if not people:
            return "/travellers"
        if any(not t.seat for t in people):
            return "/seats"
        if any(t.documents is None for t in people):
            return "/documents"
        return "/extras"

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request, ended: str = "") -> str:
        notice = "Your session ended. Retrieve your booking again to carry on." if ended else ""
        return pages.find_page(consent=consent(request), notice=notice)

    @app.post("/privacy")
    async def privacy(request: Request) -> Response:
        choice = one(await form_of(request), "choice")
        back = request.headers.get("referer", "/")
        path = "/" + back.split("/", 3)[3] if back.count("/") >= 3 else "/"
        response = go(path if path.startswith("/") and not path.startswith("//") else "/")
        response.set_cookie(CONSENT, "all" if choice == "all" else "essential", path="/", samesite="lax")
        return response

    @app.post("/retrieve")
    async def retrieve(request: Request) -> Response:
        form = await form_of(request)
        code, surname = re.sub(r"\s", "", one(form, "ref")).upper(), one(form, "surname")
        booking = sky.find(code, surname) if CODE.fullmatch(code) and surname else None
        if booking is None:
            error = "We could not find that booking. Check the reference and the surname."
            return HTMLResponse(pages.find_page(consent=consent(request), error=error), status_code=422)
        with sky.lock:
            sky.end(request.cookies.get(SID, ""))
            session = sky.open(booking)
        response = go("/boarding" if booking.checked_in else "/travellers")
        response.set_cookie(SID, session.token, httponly=True, samesite="lax", path="/")
        return response

    @app.get("/travellers", response_class=HTMLResponse)
    def travellers(request: Request) -> str:
        _, booking = journey(request)
        return pages.travellers_page(booking, consent=consent(request))

    @app.post("/travellers")
    async def choose_travellers(request: Request) -> Response:
        session, booking = journey(request)
        wanted = {int(v) for v in (await form_of(request)).get("traveller", []) if v.isdigit()}
        session.chosen = [t.id for t in booking.travellers if t.id in wanted]
        if not session.chosen:
            page = pages.travellers_page(booking, consent=consent(request), error="Select at least one passenger.")
            return HTMLResponse(page, status_code=422)
        return go(next_step(session, booking))

    @app.get("/seats", response_class=HTMLResponse)
    def seats(request: Request) -> Response:
        session, booking = journey(request)
        waiting = [t for t in chosen(session, booking) if not t.seat]
        if not waiting:
            return go(next_step(session, booking))
        return HTMLResponse(pages.seats_page(booking, waiting[0], sky.taken(booking), consent=consent(request)))

    @app.post("/seat")
    async def seat(request: Request) -> Response:
        session, booking = journey(request)
        form = await form_of(request)
        who = booking.traveller(int(one(form, "traveller") or 0))
        code = one(form, "seat").upper()
        with sky.lock:
            if who is None or who.id not in session.chosen or code in sky.taken(booking):
                return go("/seats")
            if int(code[:-1] or 0) in PAID_ROWS:
                sky.changes.record("POST /seat", "paid seat added to basket", after={"seat": code,
                                   "price": PAID_PENCE}, scope=booking.code)  # fmt: skip
                return go("/seats")
            who.seat = code
            sky.changes.record("POST /seat", "seat chosen", after={"passenger": who.name, "seat": code},
                               scope=booking.code)  # fmt: skip
        return go(next_step(session, booking))

    @app.get("/documents", response_class=HTMLResponse)
    def documents(request: Request) -> Response:
        session, booking = journey(request)
        with sky.lock:
            if sky.timeout_pending:
                # The session times out here, once: the traveller starts again, their seats kept.
                sky.timeout_pending = False
                sky.end(session.token)
                sky.changes.record("GET /documents", "session timed out", scope=booking.code)
                return go("/timed-out")
        return HTMLResponse(pages.documents_page(chosen(session, booking), consent=consent(request)))

    @app.get("/timed-out", response_class=HTMLResponse)
    def timed_out() -> str:
        return pages.timed_out_page()

    @app.post("/documents")
    async def save_documents(request: Request) -> Response:
        session, booking = journey(request)
        form = await form_of(request)
        people = chosen(session, booking)
        errors: dict[str, str] = {}
        saved: dict[int, dict[str, str]] = {}
        for t in people:
            values = {k: one(form, f"{k}_{t.id}") for k in ("citizenship", "document", "valid", "born")}
            valid, born = parse_day(values["valid"]), parse_day(values["born"])
            if values["citizenship"] not in pages.COUNTRIES or not values["citizenship"]:
                errors[str(t.id)] = "Choose a citizenship."
            elif not DOCUMENT.fullmatch(values["document"].upper()):
                errors[str(t.id)] = "A document number has 6 to 9 letters and digits."
            elif valid is None or valid.date() <= booking.departs:
                errors[str(t.id)] = "Enter a validity date after the flight, as DD/MM/YYYY."
            elif born is None or born.date() >= booking.departs:
                errors[str(t.id)] = "Enter a date of birth as DD/MM/YYYY."
            saved[t.id] = values
        if errors:
            return HTMLResponse(pages.documents_page(people, consent=consent(request), errors=errors), 422)
        with sky.lock:
            for t in people:
                t.documents = saved[t.id]
            sky.changes.record("POST /documents", "documents saved",
                               after={t.name: saved[t.id] for t in people}, scope=booking.code)  # fmt: skip
        return go(next_step(session, booking))

    @app.get("/extras", response_class=HTMLResponse)
    def extras(request: Request) -> str:
        _, booking = journey(request)
        return pages.extras_page(booking, consent=consent(request))

    @app.post("/extras")
    async def add_extra(request: Request) -> Response:
        _, booking = journey(request)
        key = one(await form_of(request), "extra")
        if key in EXTRAS and key not in booking.extras:
            booking.extras.append(key)
            sky.changes.record("POST /extras", "extra added to basket", after={"extra": key, "price":
                               EXTRAS[key][1]}, scope=booking.code)  # fmt: skip
        return go("/extras")

    @app.post("/extras/none")
    async def no_extras(request: Request) -> Response:
        journey(request)
        await request.body()
        return go("/review")

    @app.get("/review", response_class=HTMLResponse)
    def review(request: Request) -> Response:
        session, booking = journey(request)
        if next_step(session, booking) != "/extras":
            return go(next_step(session, booking))
        return HTMLResponse(pages.final_page(booking, chosen(session, booking), consent=consent(request)))

    @app.post("/finalise")
    async def finalise(request: Request) -> Response:
        session, booking = journey(request)
        people = chosen(session, booking)
        if one(await form_of(request), "hazmat") != "yes" or next_step(session, booking) != "/extras":
            error = "Accept the hazardous materials policy to check in."
            return HTMLResponse(pages.final_page(booking, people, consent=consent(request), error=error), 422)
        with sky.lock:
            booking.checked_in = [t.id for t in people]
            sky.changes.record("POST /finalise", "checked in",
                               after={"passengers": [t.name for t in people], "seats": [t.seat for t in people],
                                      "extras": list(booking.extras)}, scope=booking.code)  # fmt: skip
        return go("/boarding")

    @app.get("/boarding", response_class=HTMLResponse)
    def boarding(request: Request) -> Response:
        _, booking = journey(request)
        if not booking.checked_in:
            return go("/travellers")
        people = [t for t in booking.travellers if t.id in booking.checked_in]
        return HTMLResponse(pages.boarding_page(booking, people, consent=consent(request)))

    @app.get("/pass/{tid}.pdf")
    def boarding_pass(request: Request, tid: int) -> Response:
        _, booking = journey(request)
        who = booking.traveller(tid)
        if who is None or tid not in booking.checked_in:
            return Response("No boarding pass for that passenger.", status_code=404)
        picture = Image.new("RGB", (600, 240), "white")
        ImageDraw.Draw(picture).text((20, 20), f"Skylark {booking.flight} {who.name} seat {who.seat}", fill="black")
        out = BytesIO()
        picture.save(out, "PDF")
        name = f"Skylark-{booking.code}-{who.first_name}.pdf"
        return Response(out.getvalue(), media_type="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip

    @app.get("/_test/changes")
    def test_changes(scope: str | None = None) -> dict[str, list[dict[str, object]]]:
        return {"changes": [c.to_json() for c in sky.changes.entries(scope)]}

    @app.post("/_test/reset")
    def test_reset() -> dict[str, str]:
        sky.reset()
        return {"status": "reset"}

    return app
