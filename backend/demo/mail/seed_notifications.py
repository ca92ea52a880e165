"""Seeded machine mail: calendar invitations and notifications from work tools and a social network."""

from backend.demo.mail.seed_senders import (
    CALENDAR,
    CODEHUB,
    DANIEL,
    FRIENDBOOK,
    LENA,
    OMAR,
    PRIYA,
    TASKTRACK,
    SeedMail,
)

WORK = ("INBOX", "Work")


def _invite(key: str, title: str, organizer: str, when: str, where: str, days: float, unread: bool) -> SeedMail:
    body = (
        '<div style="font-family:Arial,sans-serif;border:1px solid #dadce0;border-radius:8px;padding:16px;'
        'max-width:520px">'
        f'<div style="font-size:18px;margin-bottom:8px">{title}</div>'
        f'<div style="color:#3c4043">When: <b>{when}</b></div>'
        f'<div style="color:#3c4043">Where: {where}</div>'
        f'<div style="color:#3c4043">Organizer: {organizer}</div>'
        '<div style="color:#3c4043">Guests: alex@demo-mail.test and others</div>'
        '<p style="color:#5f6368;font-size:12px;margin-top:12px">Invitation from Demo Calendar. '
        "Reply to this invitation in Demo Calendar.</p></div>"
    )
    return SeedMail(key, CALENDAR, f"Invitation: {title} @ {when}", body, days, WORK, unread, html=True)


INVITES = [
    _invite("invite-q3", "Q3 planning", PRIYA.name, "Tue 10:00-11:30", "Room Tejo / video call", 0.8, True),
    _invite("invite-search", "Search perf sync", LENA.name, "Wed 15:00-15:30", "Video call", 1.7, False),
    _invite("invite-review", "Incident review", DANIEL.name, "Thu 11:00-12:00", "Room Douro", 4.8, False),
    _invite("invite-offsite", "Offsite: day 1", "Northwind People Team", "28th 09:30-18:00", "Sintra", 15.6, False),
    _invite("invite-demo", "Sprint demo", OMAR.name, "Fri 16:00-16:45", "Main hall", 9.8, False),
]

TASKS = [
    SeedMail(
        f"tasktrack-{n}",
        TASKTRACK,
        f"[SRCH-{ticket}] {title}",
        f"{who} {action} SRCH-{ticket}: {title}\n\nStatus: {status}\nAssignee: Alex Rivera\n\n"
        "You are receiving this because you are watching this issue.",
        days,
        WORK if days < 12 else ("Work",),
        unread=days < 1,
    )
    for n, (ticket, title, who, action, status, days) in enumerate(
        [
            (412, "Ranking step dominates p95 latency", "Lena Fischer", "commented on", "In progress", 0.55),
            (409, "Add canary step to config deploys", "Daniel Kim", "assigned you", "To do", 4.95),
            (401, "Cache top results per prefix", "Lena Fischer", "updated", "In review", 6.5),
            (398, "Search results missing accents", "Omar Haddad", "reopened", "To do", 8.2),
            (390, "Index rebuild takes 40 minutes", "Priya Shah", "changed the priority of", "High", 13.8),
            (377, "Flaky test in search API suite", "Daniel Kim", "commented on", "In progress", 17.2),
            (366, "Remove legacy query parser", "Alex Rivera", "resolved", "Done", 25.4),
            (351, "Typo in empty search state", "Omar Haddad", "closed", "Done", 34.0),
        ]
    )
]

CODE = [
    SeedMail(
        f"codehub-{n}",
        CODEHUB,
        f"[northwind/search] {title} (#{pr})",
        f"{who} {action} pull request #{pr}: {title}\n\n{comment}\n\n"
        "Reply to this email directly or view it on CodeHub.",
        days,
        WORK if days < 12 else ("Work",),
        unread=days < 1,
    )
    for n, (pr, title, who, action, comment, days) in enumerate(
        [
            (873, "Validate *_timeout_ms fields", "Omar Haddad", "requested your review on", "", 2.75),
            (
                869,
                "Ranking cache behind a flag",
                "Lena Fischer",
                "commented on",
                "> Should we bound the cache by memory instead of entries?",
                0.35,
            ),
            (866, "Canary step for config deploys", "Daniel Kim", "approved", "Looks good, ship it.", 3.1),
            (858, "Drop legacy query parser", "Priya Shah", "merged", "", 25.3),
            (851, "Fix accent folding in tokenizer", "Omar Haddad", "commented on", "Nice catch!", 9.1),
            (840, "Speed up index rebuild", "Lena Fischer", "closed", "Superseded by #851.", 19.0),
        ]
    )
]

SOCIAL = [
    SeedMail(
        f"friendbook-{n}",
        FRIENDBOOK,
        subject,
        f"{text}\n\nSee it on Friendbook. Manage notification settings in your account.",
        days,
        ("INBOX",) if days < 10 else (),
    )
    for n, (subject, text, days) in enumerate(
        [
            ("Tia Okafor tagged you in a photo", "Tia Okafor tagged you in 'New flat, new plants!'.", 2.6),
            ("Jordan Lee commented on your post", "Jordan: 'That overhang was NOT a V3.'", 5.9),
            ("You have 3 new friend suggestions", "People you may know: Rui, Inês and Chidi.", 12.8),
            ("Sam Rivera shared a memory with you", "Sam shared '5 years ago: family trip to Madeira'.", 20.2),
        ]
    )
]

NOTIFICATIONS = [*INVITES, *TASKS, *CODE, *SOCIAL]
