"""Seeded mail from family, friends and colleagues, with Alex's own replies in Sent and two drafts."""

from backend.demo.mail.seed_senders import (
    ALEX,
    BEN,
    DANIEL,
    JORDAN,
    LENA,
    LUCIA,
    MARIA,
    OMAR,
    PEOPLE_TEAM,
    PRIYA,
    SAM,
    TIA,
    SeedMail,
)

SENT = ("SENT",)

FAMILY_AND_FRIENDS = [
    SeedMail(
        "mom-sunday-lunch",
        MARIA,
        "Sunday lunch?",
        "Hi querido,\n\nAre you coming for lunch on Sunday? Your father wants to make the grilled sardines "
        "again, and Sam said he might bring Inês. Let me know so I buy enough bread.\n\n"
        "Also, did you ever find the blue umbrella? I think you took it home after Easter.\n\n"
        "Beijinhos,\nMãe",
        0.3,
        labels=("INBOX", "Family"),
        unread=True,
    ),
    SeedMail(
        "mom-photos",
        MARIA,
        "Photos from the garden",
        "The lemon tree finally has flowers! I took some photos but I don't know how to attach them on the "
        "new phone. Sam will show me on Sunday.\n\nLove,\nMãe",
        6.2,
        labels=("INBOX", "Family"),
    ),
    SeedMail(
        "mom-doctor",
        MARIA,
        "Doctor went fine",
        "Just so you don't worry: the check-up was fine, blood pressure is normal. The doctor says I should "
        "walk more, so your father and I will start going to the river in the mornings.\n\nMãe",
        17.5,
        labels=("Family",),
    ),
    SeedMail(
        "sam-birthday",
        SAM,
        "Mom's birthday present",
        "Hey,\n\nMom's birthday is in three weeks. I was thinking we split a weekend in Porto for her and "
        "Dad: train + two nights somewhere nice. Around 320 euros each. You in?\n\n"
        "If yes, send me your half whenever, no rush.\n\nSam",
        2.1,
        labels=("INBOX", "Family"),
        unread=True,
        starred=True,
    ),
    SeedMail(
        "alex-reply-sam-birthday",
        ALEX,
        "Re: Mom's birthday present",
        "Porto is a great idea, count me in. I'll send my half at the end of the month.\n\nAlex\n\n"
        "On Tuesday, Sam Rivera wrote:\n> Mom's birthday is in three weeks. I was thinking we split a "
        "weekend in Porto for her and Dad.",
        1.9,
        labels=SENT,
        to=(SAM,),
        in_reply_to="sam-birthday",
    ),
    SeedMail(
        "sam-football",
        SAM,
        "Match on Saturday",
        "Benfica game is at 20:30 on Saturday. I have an extra ticket if you want it, otherwise I'll ask "
        "Rui. Tell me by Thursday.",
        9.4,
        labels=("INBOX", "Family"),
    ),
    SeedMail(
        "lucia-recipe",
        LUCIA,
        "The bacalhau recipe you asked for",
        "Querida Alex,\n\nHere it is, the way your grandmother made it:\n\n"
        "- 500 g salt cod, soaked for two days (change the water often!)\n"
        "- 1 kg potatoes, thinly sliced\n- 3 onions, 2 cloves of garlic\n- good olive oil, lots of it\n"
        "- black olives and parsley to finish\n\nLayer everything and bake for 40 minutes. Don't skimp on "
        "the oil.\n\nUm abraço,\nTia Lúcia",
        22.0,
        labels=("Family",),
        starred=True,
    ),
    SeedMail(
        "jordan-climbing",
        JORDAN,
        "Climbing Thursday?",
        "Yo! Bouldering gym Thursday after work? They reset the blue circuit and apparently the overhang "
        "problem is brutal. 19:00 at the usual place?\n\nJ",
        1.2,
        unread=True,
    ),
    SeedMail(
        "alex-reply-jordan",
        ALEX,
        "Re: Climbing Thursday?",
        "I'm in. 19:00 works, I'll bring the chalk you left at mine.\n\n> Bouldering gym Thursday after "
        "work? They reset the blue circuit.",
        1.1,
        labels=SENT,
        to=(JORDAN,),
        in_reply_to="jordan-climbing",
    ),
    SeedMail(
        "jordan-book",
        JORDAN,
        "That book I mentioned",
        "It's 'The Overstory' by Richard Powers. Long but worth it. I can lend you my copy when I see you.",
        12.3,
    ),
    SeedMail(
        "tia-housewarming",
        TIA,
        "Housewarming party 🎉",
        "<p>Hi friends!</p><p>We finally finished unpacking, so come celebrate with us on "
        "<b>Saturday the 21st from 18:00</b> at the new flat (Rua das Flores 12, 3rd floor).</p>"
        "<p>Bring nothing but yourselves. OK, maybe ice.</p><p>Tia &amp; Chidi</p>",
        4.5,
        html=True,
        to=(ALEX, JORDAN, BEN),
    ),
    SeedMail(
        "alex-reply-tia",
        ALEX,
        "Re: Housewarming party 🎉",
        "Wouldn't miss it! I'll bring ice and maybe a plant for the balcony.\n\nAlex",
        4.3,
        labels=SENT,
        to=(TIA,),
        in_reply_to="tia-housewarming",
    ),
    SeedMail(
        "tia-thanks",
        TIA,
        "Thank you for the plant!",
        "It's already on the balcony and looks very happy. Chidi named it Gerald. Thanks for coming!\n\nT.",
        27.0,
        labels=(),
    ),
    SeedMail(
        "ben-parcel",
        BEN,
        "Your parcel is with me",
        "Hi Alex, the courier left a box for you at my door this morning (looks like books). I'm home after "
        "18:00 if you want to pick it up.\n\nBen (2nd floor)",
        3.3,
    ),
    SeedMail(
        "alex-reply-ben",
        ALEX,
        "Re: Your parcel is with me",
        "Thank you Ben! I'll knock around 18:30.\n\nAlex",
        3.2,
        labels=SENT,
        to=(BEN,),
        in_reply_to="ben-parcel",
    ),
    SeedMail(
        "ben-wifi",
        BEN,
        "Building wifi / noise",
        "Hi neighbour, sorry about the drilling on Saturday, we were putting up shelves. Should be done now. "
        "By the way the building wifi password changed, it's on the notice board downstairs.\n\nBen",
        19.8,
        labels=(),
    ),
]

WORK = [
    SeedMail(
        "priya-roadmap",
        PRIYA,
        "Q3 roadmap draft for review",
        "Hi team,\n\nI've put the Q3 roadmap draft in the shared folder. Main themes:\n\n"
        "1. Offline mode for the mobile app\n2. Faster search (target: p95 under 300 ms)\n"
        "3. Retire the old billing service\n\nPlease leave comments by Friday. Alex, can you size the search "
        "work with Lena?\n\nThanks,\nPriya",
        0.9,
        labels=("INBOX", "Work"),
        unread=True,
        to=(ALEX, DANIEL, LENA, OMAR),
    ),
    SeedMail(
        "lena-search-sizing",
        LENA,
        "Re: Q3 roadmap draft for review",
        "Alex, I had a first look at the search numbers. Most of the p95 comes from the ranking step, not "
        "the index. I think it's 3-4 weeks for the two of us. Coffee tomorrow to go through it?\n\nLena\n\n"
        "> Alex, can you size the search work with Lena?",
        0.6,
        labels=("INBOX", "Work"),
        unread=True,
        cc=(PRIYA,),
    ),
    SeedMail(
        "daniel-incident",
        DANIEL,
        "Postmortem: checkout errors on Tuesday",
        "Hi all,\n\nSummary of Tuesday's incident: a config change raised the payment timeout to 0 ms, so "
        "every checkout failed for 14 minutes. We rolled back at 11:42.\n\nAction items:\n"
        "- Validate timeouts in the config schema (Omar)\n- Alert on checkout error rate > 2% (Daniel)\n"
        "- Add a canary step to config deploys (Alex)\n\nDaniel",
        5.1,
        labels=("INBOX", "Work"),
        to=(ALEX, OMAR, PRIYA),
    ),
    SeedMail(
        "alex-reply-incident",
        ALEX,
        "Re: Postmortem: checkout errors on Tuesday",
        "Thanks Daniel. I'll have a first version of the canary step ready for review next Wednesday.\n\n"
        "Alex\n\n> Add a canary step to config deploys (Alex)",
        4.9,
        labels=SENT,
        to=(DANIEL,),
        cc=(OMAR, PRIYA),
        in_reply_to="daniel-incident",
    ),
    SeedMail(
        "omar-code-review",
        OMAR,
        "Can you review my timeout validation PR?",
        "Hey Alex, it's small: a min/max check on every *_timeout_ms field plus tests. Link is in CodeHub. "
        "Would love to merge before the release on Thursday.\n\nOmar",
        2.8,
        labels=("INBOX", "Work"),
    ),
    SeedMail(
        "omar-lunch",
        OMAR,
        "Team lunch Friday",
        "Booking the Lebanese place for Friday 12:30. Reply if you're vegetarian or can't make it.",
        8.0,
        labels=("Work",),
        to=(ALEX, DANIEL, LENA, PRIYA),
    ),
    SeedMail(
        "priya-one-on-one",
        PRIYA,
        "Notes from our 1:1",
        "Thanks for the chat today. Summary:\n- You'll lead the search performance work in Q3.\n"
        "- Let's revisit the conference budget after the offsite.\n- Please send me your vacation dates "
        "for the summer by the end of the month.\n\nPriya",
        11.2,
        labels=("INBOX", "Work"),
        starred=True,
    ),
    SeedMail(
        "lena-design-doc",
        LENA,
        "Design doc: ranking cache",
        "I wrote up the ranking cache idea. Short version: cache the top 200 results per query prefix for 60 "
        "seconds, invalidate on document writes. Comments welcome, especially on the invalidation part.",
        14.6,
        labels=("INBOX", "Work"),
    ),
    SeedMail(
        "alex-reply-design-doc",
        ALEX,
        "Re: Design doc: ranking cache",
        "Nice write-up. On invalidation: could we bump a per-index version on writes and put the version in "
        "the cache key? Then nothing needs to be deleted, old entries just age out.\n\nAlex",
        14.1,
        labels=SENT,
        to=(LENA,),
        in_reply_to="lena-design-doc",
    ),
    SeedMail(
        "daniel-oncall",
        DANIEL,
        "On-call swap next week?",
        "Any chance you could swap on-call with me next week? I have a wedding on Saturday. I'd take your "
        "week in two weeks.",
        3.9,
        labels=("INBOX", "Work"),
        unread=True,
    ),
    SeedMail(
        "people-benefits",
        PEOPLE_TEAM,
        "Open enrolment for benefits closes Friday",
        "Reminder: open enrolment for health and pension benefits closes this Friday at 17:00. Log in to the "
        "People portal to review your choices. If you change nothing, your current plan continues.",
        6.8,
        labels=("INBOX", "Work"),
    ),
    SeedMail(
        "people-offsite",
        PEOPLE_TEAM,
        "Offsite in Sintra: logistics",
        "The offsite is on the 28th-29th in Sintra. Buses leave the office at 08:30. Dietary requirements "
        "to this address by Monday, please.",
        15.7,
        labels=("Work",),
    ),
]

DRAFTS = [
    SeedMail(
        "draft-landlord",
        ALEX,
        "Boiler repair",
        "Hello Mr. Santos,\n\nThe boiler stopped working again on Sunday evening. Could the technician come "
        "this week? I'm home after 17:00 on",
        1.5,
        labels=("DRAFT",),
        to=(),
    ),
    SeedMail(
        "draft-priya-vacation",
        ALEX,
        "Summer vacation dates",
        "Hi Priya,\n\nMy summer vacation dates: 4-18 August. I'll make sure the search work is handed over "
        "before I leave.\n\nAlex",
        0.8,
        labels=("DRAFT",),
        to=(PRIYA,),
    ),
]

PERSONAL_MAIL = [*FAMILY_AND_FRIENDS, *WORK, *DRAFTS]
