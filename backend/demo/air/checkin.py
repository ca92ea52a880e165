"""The changes a traveller can make during check-in; each one is written to the change log.

Routes check the session and the form first; these functions assume valid input and change state whole.
"""

from backend.demo.air.booking import BasketItem, Booking, format_cents
from backend.demo.air.passport import DetailsForm
from backend.demo.air.seatmap import Seat
from backend.demo.air.store import AirStore, CheckinSession

BAG_CENTS = 3500


def save_details(store: AirStore, booking: Booking, forms: list[DetailsForm], endpoint: str) -> None:
    with store.lock:
        for form in forms:
            passenger, details = form.passenger, form.details
            if details is None or details == passenger.details:
                continue
            before = passenger.details.to_json() if passenger.details else None
            passenger.details = details
            store.changes.record(
                endpoint,
                "passenger details saved",
                before=before,
                after={"passenger": passenger.name, **details.to_json()},
                scope=booking.code,
            )


def _set_seat(store: AirStore, booking: Booking, passenger_id: int, seat: Seat, endpoint: str) -> None:
    passenger = booking.passenger(passenger_id)
    if passenger is None or passenger.seat == seat.code:
        return
    before = {"passenger": passenger.name, "seat": passenger.seat}
    passenger.seat = seat.code
    store.changes.record(
        endpoint,
        "seat chosen",
        before=before,
        after={"passenger": passenger.name, "seat": seat.code, "price": format_cents(seat.price_cents)},
        scope=booking.code,
    )


def choose_seats(
    store: AirStore, session: CheckinSession, booking: Booking, choices: dict[int, Seat], endpoint: str
) -> None:
    """Free seats are the passenger's at once; a paid seat waits in the basket until it is paid for."""
    with store.lock:
        for passenger_id, seat in choices.items():
            pending = [i for i in session.basket if i.key == f"seat-{passenger_id}"]
            current = booking.passenger(passenger_id)
            if seat.price_cents == 0 or (current is not None and current.seat == seat.code):
                _set_seat(store, booking, passenger_id, seat, endpoint)
                if pending:
                    session.basket = [i for i in session.basket if i.key != f"seat-{passenger_id}"]
                    store.changes.record(
                        endpoint, "seat removed from basket", before=pending[0].to_json(), scope=booking.code
                    )
                continue
            item = BasketItem("seat", passenger_id, seat.price_cents, seat.code)
            if pending and pending[0] == item:
                continue
            session.put(item)
            store.changes.record(
                endpoint,
                "seat added to basket",
                before=pending[0].to_json() if pending else None,
                after=item.to_json(),
                scope=booking.code,
            )


def add_bags(store: AirStore, session: CheckinSession, booking: Booking, endpoint: str) -> None:
    with store.lock:
        for passenger in booking.passengers:
            item = BasketItem("bag", passenger.id, BAG_CENTS)
            if item in session.basket or passenger.bags:
                continue
            session.put(item)
            store.changes.record(endpoint, "checked bag added to basket", after=item.to_json(), scope=booking.code)


def remove_from_basket(store: AirStore, session: CheckinSession, booking: Booking, key: str, endpoint: str) -> bool:
    with store.lock:
        found = [i for i in session.basket if i.key == key]
        if not found:
            return False
        session.basket = [i for i in session.basket if i.key != key]
        store.changes.record(
            endpoint, f"{found[0].kind} removed from basket", before=found[0].to_json(), scope=booking.code
        )
        return True


def take_payment(store: AirStore, session: CheckinSession, booking: Booking, last4: str, endpoint: str) -> None:
    with store.lock:
        items = list(session.basket)
        store.changes.record(
            endpoint,
            "payment taken",
            after={
                "amount": format_cents(session.basket_total),
                "currency": "EUR",
                "card_last4": last4,
                "items": [item.to_json() for item in items],
            },
            scope=booking.code,
        )
        session.basket = []
        session.paid = True
        for item in items:
            passenger = booking.passenger(item.passenger_id)
            if passenger is None:
                continue
            if item.kind == "seat" and item.seat:
                seat = Seat(int(item.seat[:-1]), item.seat[-1])
                _set_seat(store, booking, item.passenger_id, seat, endpoint)
            elif item.kind == "bag":
                before = {"passenger": passenger.name, "bags": passenger.bags}
                passenger.bags += 1
                store.changes.record(
                    endpoint,
                    "checked bag added",
                    before=before,
                    after={"passenger": passenger.name, "bags": passenger.bags},
                    scope=booking.code,
                )


def check_in(store: AirStore, booking: Booking, endpoint: str) -> None:
    with store.lock:
        # Sequence numbers follow the travellers who checked in before, as on a real departure list.
        first = len(booking.flight.occupied) // 2 + 1
        for index, passenger in enumerate(booking.passengers):
            passenger.sequence = first + index
        booking.checked_in = True
        store.changes.record(
            endpoint,
            "checked in",
            before={"checked_in": False},
            after={
                "checked_in": True,
                "flight": booking.flight.number,
                "passengers": [
                    {"name": p.name, "seat": p.seat, "sequence": p.sequence, "bags": p.bags} for p in booking.passengers
                ],
            },
            scope=booking.code,
        )


def chosen_seats(booking: Booking, session: CheckinSession) -> dict[int, str]:
    """Each passenger's seat as the traveller sees it: a seat waiting for payment counts as chosen."""
    pending = {item.passenger_id: item.seat for item in session.basket if item.kind == "seat" and item.seat}
    return {p.id: seat for p in booking.passengers if (seat := pending.get(p.id) or p.seat) is not None}
