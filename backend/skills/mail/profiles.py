"""Site profiles for triage: the words a webmail uses for its controls, as its accessible names.

A profile is data: which names mean archive, mark read, star, and the next page of the list. A webmail with
no profile goes through the generic one, which knows the usual words ("Move to Archive", "Flag", "Next").
The Gmail profile is written from Gmail's public accessible names and is untested here.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    name: str
    site: re.Pattern[str]  # the URLs it is for
    verbs: dict[str, re.Pattern[str]]  # verb -> the names of the control that does it to the ticked rows
    star: re.Pattern[str]  # a row's own star (or flag) button
    older: re.Pattern[str]  # the control that shows the next page of older mail

    def verb_of(self, name: str) -> str | None:
        for verb, pattern in self.verbs.items():
            if pattern.fullmatch(name.strip()):
                return verb
        return None

    def is_star(self, name: str) -> bool:
        return bool(self.star.fullmatch(name.strip()))

    def is_older(self, name: str) -> bool:
        return bool(self.older.fullmatch(name.strip()))


def _words(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


DEMO_MAIL = Profile(
    "Demo Mail",
    _words(r"https?://[^/]+/mb/[^/]+/.*"),
    {"archive": _words("Archive"), "mark_read": _words("Mark as read"), "spam": _words("Report spam")},
    _words("Not starred|Starred"),
    _words("Older"),
)

GMAIL = Profile(
    "Gmail",
    _words(r"https://mail\.google\.com/.*"),
    {"archive": _words("Archive"), "mark_read": _words("Mark as read"), "spam": _words("Report spam")},
    _words("Not starred|Starred"),
    _words("Older"),
)

GENERIC = Profile(
    "generic",
    _words(".*"),
    {
        "archive": _words(r"(move to )?archive( selected| messages?)?"),
        "mark_read": _words(r"mark (as |selected as )?read"),
        "star": _words(r"(flag|star)( selected| messages?)?"),
        "spam": _words(r"(report spam|mark (as )?spam|junk|move to junk)"),
    },
    _words(r"(not )?(starred|flagged)|star|flag"),
    _words(r"older|next( page)?|older messages|\u203a|\u00bb|\u2192"),
)

PROFILES = (DEMO_MAIL, GMAIL)


def profile_for(url: str) -> Profile:
    return next((p for p in PROFILES if p.site.fullmatch(url)), GENERIC)
