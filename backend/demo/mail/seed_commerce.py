"""Seeded travel, receipts, shipping, banking and security mail.

The Demo Air booking matches the Demo Air site: booking code DQ7K2M, passenger Alex Rivera, flight
DA 417 from Lisbon to Amsterdam, departing 20 hours after the mailbox is created.
"""

from datetime import datetime, timedelta

from backend.demo.mail.seed_senders import (
    ACCOUNTS,
    BANK,
    BOOKSHOP,
    CLOUDBOX,
    COFFEE,
    DEMO_AIR,
    DEMO_AIR_CHECKIN,
    GROCER,
    GYM,
    HOTEL,
    METRO,
    PARCEL,
    RIDENOW,
    STREAMLY,
    SeedMail,
)

BOOKING_CODE = "DQ7K2M"
PASSENGER_LAST_NAME = "Rivera"
FLIGHT_NUMBER = "DA 417"
FLIGHT_DEPARTS_AFTER = timedelta(hours=20)
FLIGHT_DURATION = timedelta(hours=2, minutes=50)
RESET_CODE = "731904"

RECEIPT = ("INBOX", "Receipts")
OLD_RECEIPT = ("Receipts",)
FINANCE = ("INBOX", "Finance")


def _when(moment: datetime) -> str:
    return moment.strftime("%a %d %b %Y, %H:%M") + " UTC"


def travel_mail(created_at: datetime) -> list[SeedMail]:
    departs = created_at + FLIGHT_DEPARTS_AFTER
    arrives = departs + FLIGHT_DURATION
    row = '<tr><td style="padding:4px 16px 4px 0;color:#5f6368">{}</td><td style="padding:4px 0"><b>{}</b></td></tr>'
    details = "".join(
        row.format(k, v)
        for k, v in [
            ("Booking code", BOOKING_CODE),
            ("Passenger", "Alex Rivera"),
            ("Flight", FLIGHT_NUMBER),
            ("From", "Lisbon (LIS), Terminal 1"),
            ("To", "Amsterdam (AMS)"),
            ("Departure", _when(departs)),
            ("Arrival", _when(arrives)),
            ("Fare", "Economy Light, 1 cabin bag"),
        ]
    )
    confirmation = (
        '<div style="font-family:Arial,sans-serif;max-width:560px">'
        '<div style="background:#0b4f8a;color:#fff;padding:16px 20px;font-size:20px">Demo Air</div>'
        '<div style="padding:20px">'
        "<p>Dear Alex Rivera,</p><p>Thank you for flying with Demo Air. Your booking is confirmed.</p>"
        f'<table style="border-collapse:collapse;margin:12px 0">{details}</table>'
        "<p>Online check-in opens 24 hours before departure. To check in, go to the Demo Air website and "
        f"enter your booking code <b>{BOOKING_CODE}</b> and your last name <b>{PASSENGER_LAST_NAME}</b>.</p>"
        "<p>Total paid: EUR 89.40 (card ending 4417).</p>"
        '<p style="color:#5f6368;font-size:12px">Demo Air. This is a service message about your booking.</p>'
        "</div></div>"
    )
    checkin_open = (
        "Hello Alex,\n\n"
        f"Check-in is now open for flight {FLIGHT_NUMBER} from Lisbon (LIS) to Amsterdam (AMS), departing "
        f"{_when(departs)}.\n\n"
        f"Check in on the Demo Air website with booking code {BOOKING_CODE} and last name "
        f"{PASSENGER_LAST_NAME}. Check-in closes 45 minutes before departure.\n\n"
        "Have a good flight,\nDemo Air"
    )
    hotel = (
        "Dear Alex Rivera,\n\nWe look forward to welcoming you at Canal House Hotel.\n\n"
        f"Check-in: {arrives.strftime('%a %d %b %Y')} from 15:00\nNights: 3\nRoom: Canal view double\n"
        "Reservation number: CH-88213\n\nThe hotel is a 20-minute train ride from Amsterdam Airport "
        "Schiphol. Free cancellation until 48 hours before arrival.\n\nCanal House Hotel, Amsterdam"
    )
    return [
        SeedMail(
            "demo-air-confirmation",
            DEMO_AIR,
            f"Your Demo Air booking is confirmed: Lisbon to Amsterdam ({BOOKING_CODE})",
            confirmation,
            9.2,
            labels=("INBOX", "Travel"),
            starred=True,
            html=True,
        ),
        SeedMail(
            "demo-air-checkin-open",
            DEMO_AIR_CHECKIN,
            f"Check-in is now open for your flight {FLIGHT_NUMBER} to Amsterdam",
            checkin_open,
            3.5 / 24,
            labels=("INBOX", "Travel"),
            unread=True,
        ),
        SeedMail(
            "demo-air-extras",
            DEMO_AIR,
            "Make your trip to Amsterdam even better",
            "Add a checked bag for EUR 25 or choose your seat from EUR 6. Offers are available until "
            "check-in closes.\n\nDemo Air",
            4.0,
            labels=("INBOX", "Travel"),
        ),
        SeedMail("hotel-booking", HOTEL, "Reservation confirmed: CH-88213", hotel, 8.7, labels=("Travel",)),
    ]


RECEIPTS = [
    SeedMail(
        "bookshop-order",
        BOOKSHOP,
        "Order CB-20931 confirmed",
        "Thanks for your order!\n\nThe Overstory (paperback) EUR 14.90\nPiranesi (paperback) EUR 11.50\n"
        "A Field Guide to Getting Lost EUR 12.00\n\nTotal: EUR 38.40\nShipping with ParcelPoint: 2-4 days.",
        6.0,
        labels=RECEIPT,
    ),
    SeedMail(
        "streamly-this-month",
        STREAMLY,
        "Your Streamly receipt",
        "Streamly Standard, monthly plan: EUR 9.99\nPaid with card ending 4417.\n"
        "Next payment on the same day next month. Manage your plan in Account settings.",
        3.0,
        labels=RECEIPT,
    ),
    SeedMail(
        "streamly-last-month",
        STREAMLY,
        "Your Streamly receipt",
        "Streamly Standard, monthly plan: EUR 9.99\nPaid with card ending 4417.",
        33.0,
        labels=OLD_RECEIPT,
    ),
    SeedMail(
        "grocer-1",
        GROCER,
        "Your GreenGrocer delivery receipt",
        "Delivered today between 18:00 and 19:00. 14 items, EUR 52.18. One substitution: oat milk "
        "(1 l) instead of oat milk barista.",
        2.4,
        labels=RECEIPT,
    ),
    SeedMail(
        "grocer-2",
        GROCER,
        "Your GreenGrocer delivery receipt",
        "Delivered between 19:00 and 20:00. 11 items, EUR 41.70.",
        9.5,
        labels=OLD_RECEIPT,
    ),
    SeedMail(
        "grocer-3",
        GROCER,
        "Your GreenGrocer delivery receipt",
        "Delivered between 18:00 and 19:00. 17 items, EUR 63.02.",
        16.4,
        labels=OLD_RECEIPT,
    ),
    SeedMail(
        "metro-topup",
        METRO,
        "Metro Card top-up successful",
        "Your Metro Card ending 0921 was topped up with EUR 40.00. New balance: EUR 46.35.",
        7.3,
        labels=RECEIPT,
    ),
    SeedMail(
        "metro-topup-old",
        METRO,
        "Metro Card top-up successful",
        "Your Metro Card ending 0921 was topped up with EUR 40.00. New balance: EUR 44.10.",
        29.1,
        labels=OLD_RECEIPT,
    ),
    SeedMail(
        "cloudbox-invoice",
        CLOUDBOX,
        "CloudBox invoice INV-5530",
        "CloudBox Plus (200 GB), annual plan: EUR 29.00. Thank you for staying with CloudBox.",
        12.0,
        labels=RECEIPT,
    ),
    SeedMail(
        "gym-renewal",
        GYM,
        "Membership renewed",
        "Your Harbour Gym membership has been renewed for another month (EUR 34.00). See you on the mats!",
        18.0,
        labels=RECEIPT,
    ),
    *(
        SeedMail(
            f"ridenow-{n}",
            RIDENOW,
            f"Your {when} trip with RideNow",
            f"Thanks for riding, Alex.\n\n{route}\nTotal: EUR {fare}\nDriver: {driver}\nRate your trip in the app.",
            days,
            labels=RECEIPT if days < 10 else OLD_RECEIPT,
        )
        for n, (when, route, fare, driver, days) in enumerate(
            [
                ("Monday evening", "Cais do Sodré to Alvalade, 7.2 km", "8.40", "Rui", 1.6),
                ("Friday night", "Bairro Alto to home, 4.1 km", "6.10", "Ana", 5.7),
                ("Wednesday morning", "Home to Santa Apolónia, 5.5 km", "7.25", "Jorge", 10.3),
                ("Saturday afternoon", "Belém to Príncipe Real, 6.8 km", "9.90", "Marta", 13.6),
                ("Tuesday evening", "Office to home, 9.0 km", "11.20", "Paulo", 20.5),
                ("Sunday night", "Airport to home, 8.4 km", "13.60", "Inês", 31.2),
            ]
        )
    ),
    *(
        SeedMail(
            f"coffee-{n}",
            COFFEE,
            "Your Pixel Coffee receipt",
            f"{order}\nTotal: EUR {total}\nYou have {stamps} of 10 stamps. Thanks for stopping by!",
            days,
            labels=RECEIPT if days < 10 else OLD_RECEIPT,
        )
        for n, (order, total, stamps, days) in enumerate(
            [
                ("1 flat white, 1 pastel de nata", "4.10", 7, 0.7),
                ("1 cortado", "1.90", 6, 4.2),
                ("2 filter coffees, 1 banana bread", "7.30", 5, 11.1),
                ("1 iced latte", "3.60", 4, 23.9),
            ]
        )
    ),
]

SHIPPING = [
    SeedMail(
        "parcel-shipped",
        PARCEL,
        "Your parcel is on its way (CB-20931)",
        "Good news: your parcel from Corner Bookshop has shipped.\nTracking number: PP 4471 0093 2218\n"
        "Estimated delivery: in 2-3 days.",
        5.2,
    ),
    SeedMail(
        "parcel-out",
        PARCEL,
        "Out for delivery today",
        "Your parcel PP 4471 0093 2218 is out for delivery. Delivery window: 09:00-13:00.",
        3.5,
    ),
    SeedMail(
        "parcel-delivered",
        PARCEL,
        "Delivered: left with a neighbour",
        "Your parcel PP 4471 0093 2218 was delivered at 10:12 and left with a neighbour (flat 2B).",
        3.4,
    ),
    SeedMail(
        "parcel-shopmart",
        PARCEL,
        "Your parcel is on its way (SM-77812)",
        "Your ShopMart order SM-77812 has shipped. Tracking number: PP 5520 1187 0046.\nEstimated delivery: tomorrow.",
        0.4,
        unread=True,
    ),
]

MONEY_AND_SECURITY = [
    SeedMail(
        "cloudbox-reset-code",
        CLOUDBOX,
        "Your CloudBox password reset code",
        f"Hi Alex,\n\nSomeone asked to reset the password of your CloudBox account. Your reset code is:\n\n"
        f"    {RESET_CODE}\n\nThe code expires in 30 minutes. If you didn't ask for this, you can ignore this "
        "message: your password stays the same.\n\nCloudBox staff will never ask you for this code.",
        0.15,
        unread=True,
    ),
    SeedMail(
        "accounts-new-signin",
        ACCOUNTS,
        "Security alert: new sign-in on Linux",
        "Your Demo Mail account alex@demo-mail.test was just used to sign in on a new device.\n\n"
        "Device: Chromium on Linux\nLocation: Lisbon, Portugal\n\n"
        "If this was you, you don't need to do anything. If not, change your password in Settings.",
        2.2,
    ),
    SeedMail(
        "accounts-recovery-phone",
        ACCOUNTS,
        "Recovery phone number updated",
        "The recovery phone number for alex@demo-mail.test was changed to +351 ••• ••• 218. "
        "If you didn't make this change, review your account security now.",
        24.0,
        labels=(),
    ),
    SeedMail(
        "bank-statement",
        BANK,
        "Your monthly statement is ready",
        "Your statement for the current account ending 8830 is ready in online banking. "
        "For your security, we never send statements as attachments.",
        4.7,
        labels=FINANCE,
    ),
    SeedMail(
        "bank-salary",
        BANK,
        "Payment received: EUR 3,240.00",
        "A payment of EUR 3,240.00 from NORTHWIND LABS LDA was received in your account ending 8830.",
        8.9,
        labels=FINANCE,
    ),
    SeedMail(
        "bank-new-device",
        BANK,
        "New device added to online banking",
        "A new device (Pixel 8) was added to your online banking on the date of this message. If this "
        "wasn't you, call us on the number on the back of your card.",
        26.5,
        labels=("Finance",),
    ),
    SeedMail(
        "bank-card-payment",
        BANK,
        "Card payment over EUR 200",
        "A card payment of EUR 249.00 at HARBOUR BIKES was made with your card ending 4417.",
        13.2,
        labels=FINANCE,
    ),
]


def commerce_mail(created_at: datetime) -> list[SeedMail]:
    return [*travel_mail(created_at), *RECEIPTS, *SHIPPING, *MONEY_AND_SECURITY]
