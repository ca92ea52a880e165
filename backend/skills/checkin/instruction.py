"""The check-in task as the model reads it: the booking, who travels (names and placeholders, never values),
and how a check-in is done on any airline's site."""

from dataclasses import dataclass

from backend.recipes.template import fill
from backend.traveller.placeholders import Personal

STEPS = """How to check in:
- Dismiss a cookie wall with its most private choice ("Only necessary", "Reject all") if one covers the page.
- Find the booking with the booking code and the last name; then fill each passenger's details.
- Fill personal details only by writing the placeholders above exactly as shown into the field asking for
  them (type_text or select_option); Deputy fills the real values. For a date typed as text, add the form the
  field asks for, e.g. {{traveller.date_of_birth:DD/MM/YYYY}}. Never type a placeholder into a chat, a
  message or a search box.
- Choose a free seat for each passenger, by their seat preference. Never choose a seat or anything else
  that costs money, and never pay: if only paid seats are left, skip seat choice if the site allows, or
  finish and say so.
- Tick the dangerous-goods (or similar) declaration when the site asks for it; Deputy shows its text to the
  person for approval. Then press the final check-in button; Deputy asks the person first.
- If the site says the session ended, find the booking again and continue where the site puts you.
- When checked in, open the boarding pass and download it (PDF or image) with the download action for each
  passenger, then call finish_task."""


@dataclass(frozen=True)
class CheckinRequest:
    url: str  # the airline's check-in page
    booking_code: str
    last_name: str
    airline: str = ""
    flight: str = ""


# What a check-in's recipe is known by on an airline's site: the booking and its last name differ between runs.
TEMPLATE = "Check in booking {{booking_code}} for {{last_name}}"


def recipe_values(request: CheckinRequest) -> dict[str, str]:
    return {"booking_code": request.booking_code, "last_name": request.last_name}


def short_instruction(request: CheckinRequest) -> str:
    """The check-in said as its recipe's template says it, the values filled in (a replay's instruction)."""
    return str(fill(TEMPLATE, recipe_values(request)))


def instruction(request: CheckinRequest, travellers: Personal) -> str:
    on = f" on {request.airline}" if request.airline else ""
    flight = f", flight {request.flight}" if request.flight else ""
    return (
        f"Check in booking {request.booking_code}{flight}{on} (last name {request.last_name}) for every "
        f"passenger of the booking.\nTravellers (use these placeholders for their details):\n"
        f"{travellers.for_model()}\n\n{STEPS}"
    )
