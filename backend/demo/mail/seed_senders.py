"""Who writes to the seeded mailbox, and the shape of one seeded message.

All names, companies and domains are invented for Deputy's demo; `.test` and `.example` domains never
resolve, so nothing in the seed can reach a real inbox or site.
"""

from dataclasses import dataclass
from datetime import timedelta

from backend.demo.mail.message import Address

ALEX = Address("Alex Rivera", "alex@demo-mail.test")

# Family and friends
MARIA = Address("Maria Rivera", "maria.rivera@familypost.test")
SAM = Address("Sam Rivera", "sam.rivera@familypost.test")
LUCIA = Address("Lucia Rivera", "tia.lucia@familypost.test")
JORDAN = Address("Jordan Lee", "jordan.lee@postbox.test")
TIA = Address("Tia Okafor", "tia@okafor.test")
BEN = Address("Ben Carter", "ben.carter@postbox.test")

# Work: Alex is a product engineer at Northwind Labs
PRIYA = Address("Priya Shah", "priya.shah@northwind.test")
DANIEL = Address("Daniel Kim", "daniel.kim@northwind.test")
LENA = Address("Lena Fischer", "lena.fischer@northwind.test")
OMAR = Address("Omar Haddad", "omar.haddad@northwind.test")
PEOPLE_TEAM = Address("Northwind People Team", "people@northwind.test")
HELPDESK = Address("Northwind IT Helpdesk", "helpdesk@northwind.test")
TASKTRACK = Address("TaskTrack", "notifications@tasktrack.test")
CODEHUB = Address("CodeHub", "notifications@codehub.test")
CALENDAR = Address("Demo Calendar", "calendar-noreply@demo-mail.test")

# Travel
DEMO_AIR = Address("Demo Air", "bookings@demo-air.test")
DEMO_AIR_CHECKIN = Address("Demo Air", "checkin@demo-air.test")
HOTEL = Address("Canal House Hotel", "reservations@canalhouse.test")

# Shops, services, money
BOOKSHOP = Address("Corner Bookshop", "orders@cornerbookshop.test")
STREAMLY = Address("Streamly", "billing@streamly.test")
GROCER = Address("GreenGrocer", "receipts@greengrocer.test")
METRO = Address("Metro Card", "no-reply@metrocard.test")
CLOUDBOX = Address("CloudBox", "no-reply@cloudbox.test")
COFFEE = Address("Pixel Coffee", "hello@pixelcoffee.test")
RIDENOW = Address("RideNow", "receipts@ridenow.test")
PARCEL = Address("ParcelPoint", "tracking@parcelpoint.test")
BANK = Address("Bank of Demo", "alerts@bankofdemo.test")
ACCOUNTS = Address("Demo Mail Accounts", "accounts-noreply@demo-mail.test")
FRIENDBOOK = Address("Friendbook", "notify@friendbook.test")
GYM = Address("Harbour Gym", "frontdesk@harbourgym.test")

# Newsletters (each has a mailing list id for its unsubscribe link)
WEEKLY_BYTE = Address("The Weekly Byte", "issue@weeklybyte.test")
GARDEN = Address("Garden Notes", "hello@gardennotes.test")
CITY_EATS = Address("City Eats Lisbon", "newsletter@cityeats.test")
RUN_CLUB = Address("Riverside Run Club", "digest@riversiderun.test")
SHOPMART = Address("ShopMart Deals", "deals@shopmart.test")
LAUNCHLIST = Address("LaunchList Daily", "daily@launchlist.test")

NEWSLETTERS = {
    "weekly-byte": "The Weekly Byte",
    "garden-notes": "Garden Notes",
    "city-eats": "City Eats Lisbon",
    "run-club": "Riverside Run Club",
    "shopmart": "ShopMart Deals",
    "launchlist": "LaunchList Daily",
}

USER_LABELS = ("Family", "Finance", "Newsletters", "Receipts", "Travel", "Work")


@dataclass(frozen=True)
class SeedMail:
    """One seeded message; `key` names it in the seed and fixes its id across mailboxes and runs."""

    key: str
    sender: Address
    subject: str
    body: str
    days_ago: float
    labels: tuple[str, ...] = ("INBOX",)
    unread: bool = False
    starred: bool = False
    html: bool = False
    to: tuple[Address, ...] = (ALEX,)
    cc: tuple[Address, ...] = ()
    list_id: str | None = None
    trashed_days_ago: float | None = None
    in_reply_to: str | None = None

    @property
    def age(self) -> timedelta:
        return timedelta(days=self.days_ago)


def unsubscribe_footer(list_id: str, name: str) -> str:
    """The HTML footer every newsletter carries; the link is relative, so it stays inside the mailbox."""
    return (
        '<div style="margin-top:24px;padding-top:12px;border-top:1px solid #e0e0e0;'
        'font-size:12px;color:#70757a">'
        f"You are receiving this because you subscribed to {name} as alex@demo-mail.test. "
        f'<a href="unsubscribe/{list_id}">Unsubscribe</a></div>'
    )
