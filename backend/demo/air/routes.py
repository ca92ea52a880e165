"""Demo Air's pages and form posts. Every read is a GET and every change is a POST."""

import re
from enum import IntEnum

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from backend.demo.air import booking_pages, checkin, step_pages
from backend.demo.air.boarding import pass_pdf, pass_png
from backend.demo.air.booking import Booking, Passenger
from backend.demo.air.formdata import read_form
from backend.demo.air.passport import FIELDS, DetailsForm, check_details
from backend.demo.air.payment import check_card
from backend.demo.air.seatmap import Seat, parse_seat, render_seat_map
from backend.demo.air.store import CONSENT_COOKIE, SESSION_COOKIE, AirStore, CheckinSession
from backend.demo.air.window import CheckinWindow, checkin_window

BOOKING_CODE = re.compile(r"[A-Z0-9]{6}")


class Stage(IntEnum):
    TRIP = 0
    DETAILS = 1
    SEATS = 2
    PAYMENT = 3
    CONFIRM = 4
    DONE = 5


class Detour(Exception):
    """The traveller asked for a step they cannot be on yet (or any more): send them where they belong."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def consented(request: Request) -> bool:
    return CONSENT_COOKIE in request.cookies


def build_router(store: AirStore) -> APIRouter:
    router = APIRouter()

    def journey(request: Request, need: Stage) -> tuple[CheckinSession, Booking]:
        """The session and booking for a step, or a Detour to the step the traveller should be on."""
        session = store.session(request.cookies.get(SESSION_COOKIE))
        booking = store.bookings.get(session.booking_code) if session else None
        if session is None or booking is None:
            raise Detour("/?expired=1")
        if need is Stage.TRIP:
            return session, booking
        if need is Stage.DONE:
            if not booking.checked_in:
                raise Detour("/checkin/trip")
            return session, booking
        if booking.checked_in:
            raise Detour("/checkin/done")
        if checkin_window(booking.flight, store.clock.now()) is not CheckinWindow.OPEN:
            raise Detour("/checkin/trip")
        if need is Stage.DETAILS:
            return session, booking
        if not booking.details_done:
            raise Detour("/checkin/passengers")
        if need is Stage.SEATS:
            return session, booking
        if need is Stage.PAYMENT:
            if not session.basket:
                raise Detour("/checkin/confirm" if booking.seats_done else "/checkin/seats")
            return session, booking
        if session.basket:
            raise Detour("/checkin/payment")
        if not booking.seats_done:
            raise Detour("/checkin/seats")
        return session, booking

    @router.get("/", response_class=HTMLResponse)
    async def find_form(request: Request, expired: str | None = None) -> HTMLResponse:
        notice = "Your check-in session has ended. Find your booking again to continue." if expired else ""
        return HTMLResponse(booking_pages.find_page(consent=consented(request), values={}, errors={}, notice=notice))

    @router.post("/checkin/find")
    async def find_booking(request: Request) -> Response:
        form = await read_form(request)
        values = {"booking_code": form.get("booking_code", "").strip(), "last_name": form.get("last_name", "").strip()}
        code = re.sub(r"\s", "", values["booking_code"]).upper()
        errors: dict[str, str] = {}
        if not code:
            errors["booking_code"] = "Enter your booking code."
        elif not BOOKING_CODE.fullmatch(code):
            errors["booking_code"] = "A booking code has 6 letters and numbers, for example AB12CD."
        if not values["last_name"]:
            errors["last_name"] = "Enter the last name of a passenger on the booking."
        booking = None if errors else store.find(code, values["last_name"])
        if booking is None:
            page = booking_pages.find_page(
                consent=consented(request), values=values, errors=errors, not_found=not errors
            )
            return HTMLResponse(page, status_code=422)
        with store.lock:
            store.sessions.pop(request.cookies.get(SESSION_COOKIE, ""), None)
        session = store.open_session(booking)
        response = see_other("/checkin/trip")
        response.set_cookie(SESSION_COOKIE, session.token, httponly=True, samesite="lax", path="/")
        return response

    @router.get("/checkin/trip", response_class=HTMLResponse)
    async def trip(request: Request) -> HTMLResponse:
        _, booking = journey(request, Stage.TRIP)
        return HTMLResponse(booking_pages.trip_page(booking, store.clock.now(), consent=consented(request)))

    def saved_forms(booking: Booking) -> list[DetailsForm]:
        forms = []
        for p in booking.passengers:
            values = p.details.to_json() if p.details else dict.fromkeys(FIELDS, "")
            forms.append(DetailsForm(p, values, {}))
        return forms

    @router.get("/checkin/passengers", response_class=HTMLResponse)
    async def passengers(request: Request) -> HTMLResponse:
        _, booking = journey(request, Stage.DETAILS)
        return HTMLResponse(step_pages.passengers_page(booking, saved_forms(booking), consent=consented(request)))

    @router.post("/checkin/passengers")
    async def save_passengers(request: Request) -> Response:
        _, booking = journey(request, Stage.DETAILS)
        form = await read_form(request)
        today = store.clock.now().date()
        checked = [check_details(p, form, today, booking.flight.departure.date()) for p in booking.passengers]
        if any(c.errors for c in checked):
            page = step_pages.passengers_page(booking, checked, consent=consented(request))
            return HTMLResponse(page, status_code=422)
        checkin.save_details(store, booking, checked, "POST /checkin/passengers")
        return see_other("/checkin/seats")

    @router.get("/checkin/seats", response_class=HTMLResponse)
    async def seats(request: Request) -> HTMLResponse:
        session, booking = journey(request, Stage.SEATS)
        return HTMLResponse(step_pages.seats_page(booking, session, consent=consented(request)))

    @router.get("/checkin/seatmap", response_class=HTMLResponse)
    async def seat_map(request: Request) -> HTMLResponse:
        session, booking = journey(request, Stage.SEATS)
        holders = {seat: pid for pid, seat in checkin.chosen_seats(booking, session).items()}
        return HTMLResponse(render_seat_map(store.taken_seats(booking), holders))

    @router.post("/checkin/bags")
    async def add_bags(request: Request) -> Response:
        session, booking = journey(request, Stage.SEATS)
        await read_form(request)
        checkin.add_bags(store, session, booking, "POST /checkin/bags")
        return see_other("/checkin/seats")

    def seat_choices(booking: Booking, form: dict[str, str]) -> tuple[dict[int, Seat], str]:
        taken = store.taken_seats(booking)
        choices: dict[int, Seat] = {}
        for p in booking.passengers:
            code = form.get(f"seat_{p.id}", "").strip()
            seat = parse_seat(code)
            if not code:
                return {}, f"Choose a seat for {p.name}."
            if seat is None:
                return {}, f"Seat {code} does not exist on this aircraft. Choose a seat on the map."
            if seat.code in taken:
                return {}, f"Seat {seat.code} is already taken. Choose another seat for {p.name}."
            if seat in choices.values():
                return {}, f"Seat {seat.code} is chosen twice. Each passenger needs their own seat."
            choices[p.id] = seat
        return choices, ""

    @router.post("/checkin/seats")
    async def choose_seats(request: Request) -> Response:
        session, booking = journey(request, Stage.SEATS)
        choices, error = seat_choices(booking, await read_form(request))
        if error:
            page = step_pages.seats_page(booking, session, error, consent=consented(request))
            return HTMLResponse(page, status_code=422)
        checkin.choose_seats(store, session, booking, choices, "POST /checkin/seats")
        return see_other("/checkin/payment" if session.basket else "/checkin/confirm")

    @router.get("/checkin/payment", response_class=HTMLResponse)
    async def payment(request: Request) -> HTMLResponse:
        session, booking = journey(request, Stage.PAYMENT)
        return HTMLResponse(step_pages.payment_page(booking, session, {}, {}, consent=consented(request)))

    @router.post("/checkin/payment")
    async def pay(request: Request) -> Response:
        session, booking = journey(request, Stage.PAYMENT)
        card = check_card(await read_form(request), store.clock.now().date())
        if card.last4 is None:
            page = step_pages.payment_page(booking, session, card.values, card.errors, consent=consented(request))
            return HTMLResponse(page, status_code=422)
        checkin.take_payment(store, session, booking, card.last4, "POST /checkin/payment")
        return see_other("/checkin/confirm")

    @router.post("/checkin/basket/remove")
    async def remove_item(request: Request) -> Response:
        session, booking = journey(request, Stage.PAYMENT)
        key = (await read_form(request)).get("item", "")
        if not checkin.remove_from_basket(store, session, booking, key, "POST /checkin/basket/remove"):
            raise HTTPException(404, "That item is not in your basket any more. Go back to the payment page.")
        return see_other("/checkin/payment")

    @router.get("/checkin/confirm", response_class=HTMLResponse)
    async def confirm(request: Request) -> HTMLResponse:
        session, booking = journey(request, Stage.CONFIRM)
        return HTMLResponse(
            step_pages.confirm_page(
                booking, paid=session.paid, consent=consented(request), final_label=store.final_label
            )
        )

    @router.post("/checkin/complete")
    async def complete(request: Request) -> Response:
        session, booking = journey(request, Stage.CONFIRM)
        form = await read_form(request)
        if form.get("dangerous_goods") != "confirmed":
            error = "Confirm that no one on this booking is carrying dangerous goods before you check in."
            page = step_pages.confirm_page(
                booking, error, paid=session.paid, consent=consented(request), final_label=store.final_label
            )
            return HTMLResponse(page, status_code=422)
        checkin.check_in(store, booking, "POST /checkin/complete")
        return see_other("/checkin/done")

    @router.get("/checkin/done", response_class=HTMLResponse)
    async def done(request: Request) -> HTMLResponse:
        _, booking = journey(request, Stage.DONE)
        return HTMLResponse(step_pages.done_page(booking, consent=consented(request)))

    @router.get("/checkin/boarding-pass", response_class=HTMLResponse)
    async def boarding_passes(request: Request) -> HTMLResponse:
        _, booking = journey(request, Stage.DONE)
        return HTMLResponse(step_pages.boarding_page(booking, consent=consented(request)))

    def pass_holder(request: Request, passenger_id: int) -> tuple[Booking, Passenger]:
        _, booking = journey(request, Stage.DONE)
        passenger = booking.passenger(passenger_id)
        if passenger is None:
            raise HTTPException(404, f"Booking {booking.code} has no passenger {passenger_id}.")
        return booking, passenger

    def file_name(booking: Booking, passenger: Passenger, ext: str) -> str:
        return f"DemoAir-{booking.code}-{passenger.last_name}-{passenger.first_name}.{ext}"

    @router.get("/checkin/boarding-pass/{passenger_id}.png")
    async def boarding_png(request: Request, passenger_id: int, download: bool = False) -> Response:
        booking, passenger = pass_holder(request, passenger_id)
        disposition = "attachment" if download else "inline"
        headers = {"Content-Disposition": f'{disposition}; filename="{file_name(booking, passenger, "png")}"'}
        return Response(pass_png(booking, passenger), media_type="image/png", headers=headers)

    @router.get("/checkin/boarding-pass/{passenger_id}.pdf")
    async def boarding_pdf(request: Request, passenger_id: int) -> Response:
        booking, passenger = pass_holder(request, passenger_id)
        headers = {"Content-Disposition": f'attachment; filename="{file_name(booking, passenger, "pdf")}"'}
        return Response(pass_pdf(booking, passenger), media_type="application/pdf", headers=headers)

    @router.get("/baggage-rules", response_class=HTMLResponse)
    async def baggage_rules(request: Request) -> HTMLResponse:
        return HTMLResponse(booking_pages.baggage_rules_page(consent=consented(request)))

    return router
