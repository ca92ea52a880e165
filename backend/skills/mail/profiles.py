"""Site profiles for triage: the words a webmail uses for its controls, as its accessible names.

A profile is data: which names mean archive, mark read, star, the next page of the list, and the menu that
hides bulk actions. A webmail with no profile goes through the generic one, which knows the usual words
("Move to Archive", "Flag", "Next", "Load more", "More"). A profile is chosen by the inbox's address, or by
the page's title where the address says nothing (a Gmail inbox served from elsewhere); choosing one only
changes which names Deputy looks for, since the policy and the write gate judge every click on their own.

The Gmail profile is written from Gmail's public accessible names (toolbar buttons "Archive", "Report
spam", "Mark as read", "More email options"; pager "Older"; a row's star "Not starred" / "Starred") and is
tested only against a local page set that copies them, never against the real Gmail.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    name: str
    site: re.Pattern[str]  # the URLs it is for
    title: re.Pattern[str] | None  # page titles it is for, wherever the page is served
    verbs: dict[str, re.Pattern[str]]  # verb -> the names of the control that does it to the ticked rows
    star: re.Pattern[str]  # a row's own star (or flag) button
    older: re.Pattern[str]  # the control that shows the next page of older mail, or loads more of the list
    menu: re.Pattern[str]  # a closed menu of the list's toolbar that may hold the controls ("More")
    # The control back towards the newest mail: some webmails reopen the page of the list last shown.
    newer: re.Pattern[str] = re.compile(
        r"newer( messages| conversations)?|newest|((show|go to) (the )?)?(first|previous)( page)?|\u2039|\u00ab",
        re.IGNORECASE,
    )

    def verb_of(self, name: str) -> str | None:
        for verb, pattern in self.verbs.items():
            if pattern.fullmatch(name.strip()):
                return verb
        return None

    def is_star(self, name: str) -> bool:
        return bool(self.star.fullmatch(name.strip()))

    def is_older(self, name: str) -> bool:
        return bool(self.older.fullmatch(name.strip()))

    def is_newer(self, name: str) -> bool:
        return bool(self.newer.fullmatch(name.strip()))

    def is_menu(self, name: str) -> bool:
        return bool(self.menu.fullmatch(name.strip()))


def _words(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


DEMO_MAIL = Profile(
    "Demo Mail",
    _words(r"https?://[^/]+/mb/[^/]+/.*"),
    None,
    {"archive": _words("Archive"), "mark_read": _words("Mark as read"), "spam": _words("Report spam")},
    _words("Not starred|Starred"),
    _words("Older"),
    _words("More"),
)

GMAIL = Profile(
    "Gmail",
    _words(r"https://mail\.google\.com/.*"),
    # "Inbox (3) - someone@gmail.com - Gmail"
    re.compile(r".* - [^ ].* - Gmail"),
    {"archive": _words("Archive"), "mark_read": _words("Mark as read"), "spam": _words("Report spam")},
    _words("Not starred|Starred"),
    _words("Older"),
    _words("More email options|More"),
)

GENERIC = Profile(
    "generic",
    _words(".*"),
    None,
    {
        "archive": _words(r"(move to )?archive( selected| messages?)?"),
        "mark_read": _words(r"mark (as |selected as )?read"),
        "star": _words(r"(flag|star)( selected| messages?)?"),
        "spam": _words(r"(report spam|mark (as )?spam|junk|move to junk)"),
    },
    _words(r"(not )?(starred|flagged)|star|flag"),
    _words(
        r"older|((show|go to) (the )?)?next( page)?( of (messages|mail|conversations))?|older (messages|conversations)|"
        r"(load|show) more( messages| conversations| mail)?|\u203a|\u00bb|\u2192"
    ),
    _words(r"more( actions| options)?|actions|\u22ee|\u22ef|\u2026"),
)

PROFILES = (DEMO_MAIL, GMAIL)


def profile_for(url: str, title: str = "") -> Profile:
    """The profile of the webmail at this address, else the one whose title the page carries, else generic."""
    by_site = next((p for p in PROFILES if p.site.fullmatch(url)), None)
    by_title = next((p for p in PROFILES if p.title is not None and p.title.fullmatch(title.strip())), None)
    return by_site or by_title or GENERIC
