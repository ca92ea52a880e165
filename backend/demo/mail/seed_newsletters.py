"""Seeded newsletters (each with an unsubscribe link) and obvious spam."""

from backend.demo.mail.seed_senders import (
    CITY_EATS,
    GARDEN,
    LAUNCHLIST,
    NEWSLETTERS,
    RUN_CLUB,
    SHOPMART,
    WEEKLY_BYTE,
    Address,
    SeedMail,
    unsubscribe_footer,
)

NEWS = ("INBOX", "Newsletters")


def _issue(list_id: str, title: str, paragraphs: list[str], accent: str) -> str:
    body = "".join(f'<p style="line-height:1.5">{p}</p>' for p in paragraphs)
    return (
        '<div style="font-family:Georgia,serif;max-width:600px;color:#202124">'
        f'<div style="border-bottom:4px solid {accent};padding:8px 0;font-size:22px;font-weight:bold">'
        f"{NEWSLETTERS[list_id]}</div>"
        f'<h2 style="font-size:18px;margin:16px 0 8px">{title}</h2>{body}'
        f"{unsubscribe_footer(list_id, NEWSLETTERS[list_id])}</div>"
    )


def _newsletter(
    key: str,
    sender: Address,
    list_id: str,
    subject: str,
    paragraphs: list[str],
    days: float,
    labels: tuple[str, ...] = NEWS,
    unread: bool = False,
) -> SeedMail:
    accents = {"weekly-byte": "#1a73e8", "garden-notes": "#188038", "city-eats": "#d93025"}
    html = _issue(list_id, subject, paragraphs, accents.get(list_id, "#f29900"))
    return SeedMail(key, sender, subject, html, days, labels, unread, html=True, list_id=list_id)


NEWSLETTER_MAIL = [
    _newsletter(
        "byte-41",
        WEEKLY_BYTE,
        "weekly-byte",
        "Issue #41: Why your p95 lies to you",
        [
            "This week: percentiles computed per host and then averaged are not percentiles. We look at "
            "three dashboards that got it wrong and how to fix them.",
            "Also: a tiny SQLite trick for write-heavy workloads, and a reader's question about retries.",
        ],
        0.5,
        labels=NEWS,
        unread=True,
    ),
    _newsletter(
        "byte-40",
        WEEKLY_BYTE,
        "weekly-byte",
        "Issue #40: Boring technology, revisited",
        ["Ten years on, is choosing boring technology still the right call? Mostly yes, with two caveats."],
        7.5,
        labels=NEWS,
    ),
    _newsletter(
        "byte-39",
        WEEKLY_BYTE,
        "weekly-byte",
        "Issue #39: The cost of a flaky test",
        ["We measured how much a single flaky test costs a team of twenty. The answer is uncomfortable."],
        14.5,
        labels=NEWS,
    ),
    _newsletter(
        "byte-38",
        WEEKLY_BYTE,
        "weekly-byte",
        "Issue #38: Caches are hard",
        ["Cache invalidation stories from readers, ranked from mildly annoying to career-defining."],
        21.5,
        labels=("Newsletters",),
    ),
    _newsletter(
        "garden-spring",
        GARDEN,
        "garden-notes",
        "What to sow this month",
        [
            "Tomatoes, peppers and basil can go outside once nights stay above 10°C.",
            "Balcony tip: herbs in terracotta pots need water every day in a hot spell.",
        ],
        3.7,
        labels=NEWS,
    ),
    _newsletter(
        "garden-lemons",
        GARDEN,
        "garden-notes",
        "Citrus trees in pots: a short guide",
        ["Feed every two weeks in spring, keep the soil moist but never soggy, and protect from frost."],
        18.7,
        labels=NEWS,
    ),
    _newsletter(
        "eats-new-openings",
        CITY_EATS,
        "city-eats",
        "Five new openings worth the queue",
        [
            "A tiny ramen counter in Arroios, a natural wine bar in Graça, and the bakery everyone is talking about.",
        ],
        1.5,
        labels=NEWS,
        unread=True,
    ),
    _newsletter(
        "eats-brunch",
        CITY_EATS,
        "city-eats",
        "The brunch list (updated)",
        ["Our updated list of brunch spots, now with three places that take reservations."],
        10.5,
        labels=NEWS,
    ),
    _newsletter(
        "eats-markets",
        CITY_EATS,
        "city-eats",
        "Weekend markets guide",
        ["Where to find the best cheese, fish and flowers on Saturday mornings."],
        24.5,
        labels=("Newsletters",),
    ),
    _newsletter(
        "run-club-schedule",
        RUN_CLUB,
        "run-club",
        "This week's runs",
        [
            "Tuesday 19:00: intervals at the stadium. Thursday 07:00: easy 8 km along the river. "
            "Sunday 09:00: long run, 16-20 km, coffee after.",
        ],
        2.5,
        labels=NEWS,
    ),
    _newsletter(
        "run-club-race",
        RUN_CLUB,
        "run-club",
        "Half marathon sign-ups are open",
        ["Club members get 15% off the city half marathon. Sign up before the end of the month."],
        16.0,
        labels=NEWS,
    ),
    *(
        _newsletter(
            f"shopmart-{n}",
            SHOPMART,
            "shopmart",
            subject,
            [text, "Offer valid while stocks last. Prices include VAT."],
            days,
            labels=NEWS,
            unread=days < 2,
        )
        for n, (subject, text, days) in enumerate(
            [
                ("48 hours only: 30% off headphones", "Our best-selling headphones, now 30% off.", 0.2),
                ("Your weekend deals are here", "Kitchen, garden and more, up to 50% off.", 4.4),
                ("Back in stock: the bamboo desk", "The desk you looked at is back in stock.", 8.4),
                ("Free delivery this week", "Free delivery on every order over EUR 20.", 15.4),
                ("Spring sale preview", "Members get early access to the spring sale.", 22.4),
            ]
        )
    ),
    *(
        _newsletter(
            f"launchlist-{n}",
            LAUNCHLIST,
            "launchlist",
            subject,
            [text],
            days,
            labels=NEWS,
        )
        for n, (subject, text, days) in enumerate(
            [
                ("Today's top launches", "A markdown editor for teams, a budget app, and a font pairing tool.", 0.1),
                ("Today's top launches", "An open-source status page and a habit tracker that texts you.", 1.1),
                ("Today's top launches", "A calendar that books travel time for you.", 2.1),
                ("This week's most upvoted", "The five launches our readers liked most this week.", 6.1),
            ]
        )
    ),
]

SPAM_MAIL = [
    SeedMail(
        "spam-prize",
        Address("Prize Center", "winner@prize-center.example"),
        "Congratulations!!! You have been selected",
        "You are our lucky visitor of the day. Claim your new smartphone now, just pay EUR 1.95 shipping.",
        1.3,
        labels=("SPAM",),
        unread=True,
    ),
    SeedMail(
        "spam-crypto",
        Address("CryptoMax Signals", "vip@cryptomax.example"),
        "Turn EUR 250 into EUR 10,000 in 7 days",
        "Our AI trading bot never loses. Limited spots left. Reply YES to join the VIP group.",
        3.8,
        labels=("SPAM",),
        unread=True,
    ),
    SeedMail(
        "spam-inheritance",
        Address("Barrister Elliot Banks", "e.banks.chambers@lawmail.example"),
        "Unclaimed inheritance in your family name",
        "Dear Rivera, I write regarding an unclaimed estate of USD 4.7 million belonging to a deceased "
        "client with your surname. Kindly send your full name and bank details to proceed.",
        6.6,
        labels=("SPAM",),
    ),
    SeedMail(
        "spam-pharmacy",
        Address("Online Pharmacy", "sales@cheap-meds.example"),
        "Best prices, no prescription",
        "All medications 80% off. Discreet shipping worldwide.",
        11.9,
        labels=("SPAM",),
    ),
    SeedMail(
        "spam-phish-bank",
        Address("Bank of Demo Security", "security@bankofdemo-verify.example"),
        "Your account has been limited",
        "We noticed unusual activity. Verify your identity within 24 hours at "
        "http://bankofdemo-verify.example/login or your account will be closed.",
        2.9,
        labels=("SPAM",),
    ),
]
