"""Reading a webmail's message list as a person would: from the page snapshot, row by row.

Each row with a checkbox is one message (a table row, a list item or card, an option): its words, apart from
controls and dates, read as the sender, the subject, label chips and a snippet. Unread shows as a word in the
row ("Unread,") or as the start of the row's own accessible name ("Unread, Rosa Marques, Dinner"); weight
alone is invisible to Deputy, so such mail counts as read. Nothing here trusts the page: a row counts only if
its checkbox is an element the snapshot issued, and what it says is kept as data for rules and the reader,
never as an order.
"""

import re
from dataclasses import dataclass, field

from backend.browser.snapshot import Snapshot
from backend.skills.mail.profiles import Profile
from backend.skills.mail.rules import Seen

_ELEMENT = re.compile(r'^\[(e\d+)\] ([\w-]+)(?: "((?:[^"\\]|\\.)*)")?(.*)$')
_DATE = re.compile(
    r"^(\d{1,2}:\d{2}(\s?[ap]m)?|[A-Z][a-z]{2} \d{1,2}|\d{1,2} [A-Z][a-z]{2}( \d{4})?(, \d{1,2}:\d{2})?|"
    r"\d{1,2}/\d{1,2}/\d{2,4}|yesterday|today|\d{4}-\d{2}-\d{2}.*)$",
    re.IGNORECASE,
)
_UNREAD = re.compile(r"^unread[,.:]?$", re.IGNORECASE)
_UNSUBSCRIBE = re.compile(r"unsubscribe|receiving this because|manage (your )?(email )?preferences", re.IGNORECASE)
_ATTACHMENT = re.compile(r"^(has )?attachments?$|^📎", re.IGNORECASE)
_SELECT_ALL = re.compile(r"select all|all messages", re.IGNORECASE)
_STARRED = re.compile(r"starred|flagged", re.IGNORECASE)
_UNREAD_NAME = re.compile(r"^\W*unread\b", re.IGNORECASE)
# The contexts of one message in a list: a table or grid row, a list item (a card), an option of a listbox.
ITEM_CONTEXTS = ("row", "listitem", "option", "article")
# What the row's own element is, when the row itself is clickable (it opens the message).
_ROW_ROLES = {"clickable", "row", "listitem", "option", "article", "gridcell"}


@dataclass(frozen=True)
class Row:
    """One message in the list, as the page showed it."""

    box: str  # the ref of its checkbox
    sender: str
    subject: str
    snippet: str = ""
    date: str = ""  # as the list shows it: it tells apart mail with the same sender and subject
    unread: bool = False
    unsubscribe: bool = False
    attachment: bool = False
    star: str | None = None  # the ref of its own star (or flag) button, if it has one
    starred: bool = False  # that button says the message is starred (or flagged) already
    open_ref: str | None = None  # a link that opens it, if the row has one

    @property
    def key(self) -> str:
        return key_of(self.sender, self.subject, self.date)

    @property
    def seen(self) -> Seen:
        return Seen(self.sender, self.subject, self.snippet, self.unsubscribe, self.attachment)


@dataclass
class ListPage:
    rows: list[Row] = field(default_factory=list)
    controls: dict[str, str] = field(default_factory=dict)  # verb -> ref of the control acting on ticked rows
    older: str | None = None  # the ref that shows the next (older) page, or loads more of the list
    menus: list[str] = field(default_factory=list)  # closed menus that may hold controls not shown yet


def key_of(sender: str, subject: str, date: str) -> str:
    return f"{sender}\n{subject}\n{date}"


def _parts(line: str) -> list[str]:
    return [p.strip() for p in line.split(" | ")]


def _unquote(name: str) -> str:
    return name.replace('\\"', '"').replace("\\\\", "\\")


def _row_lines(text: str) -> list[str]:
    """One line per row: a row's line ("- ...") with the lines indented under it (cells the snapshot had to
    show as sections of their own, such as a clickable star cell) joined on as further cells."""
    lines: list[str] = []
    row_indent = -1
    for raw in text.splitlines():
        indent = len(raw) - len(raw.lstrip(" "))
        content = raw.strip()
        if row_indent >= 0 and indent > row_indent and not content.startswith("- "):
            # "[e19] clickable: [e20] button" is a section header and its one line: both are cells.
            lines[-1] += " | " + content.replace(": [", " | [", 1)
            continue
        row_indent = indent if content.startswith("- ") else -1
        lines.append(content.removeprefix("- ").strip())
    return lines


def read_rows(snapshot: Snapshot, profile: Profile) -> ListPage:
    """The messages and the list's controls on this page of the list."""
    page = ListPage()
    for line in _row_lines(snapshot.text):
        parts = _parts(line)
        box = None
        texts: list[str] = []
        star = open_ref = None
        unread = attachment = starred = False
        date = ""
        for index, part in enumerate(parts):
            element = _ELEMENT.match(part)
            if element is None:
                if _UNREAD.match(part):
                    unread = True
                elif _ATTACHMENT.search(part):
                    attachment = True
                elif _DATE.match(part):
                    date = date or part
                elif part:
                    texts.append(part)
                continue
            ref, role, name = element.group(1), element.group(2), _unquote(element.group(3) or "")
            info = snapshot.elements.get(ref)
            if info is None:
                continue  # text that only looks like an element: the page wrote it
            if index == 0 and role in _ROW_ROLES:
                # The row's own name is not printed (its cells are); it may say what the eye sees as bold.
                unread = unread or bool(_UNREAD_NAME.match(info.name))
            elif role == "checkbox" and box is None and not _SELECT_ALL.search(name):
                box = ref
            elif role == "button" and profile.is_star(name):
                star = ref
                starred = info.states.get("pressed") is True or bool(_STARRED.fullmatch(name.strip()))
            elif role == "link" and name:
                texts.append(name)
                open_ref = open_ref or ref
            elif role in ("img", "image") and _ATTACHMENT.search(name):
                attachment = True
        if box is None or not texts or not snapshot.elements[box].context.startswith(ITEM_CONTEXTS):
            continue
        sender = texts[0]
        subject = texts[1] if len(texts) > 1 else ""
        snippet = texts[-1] if len(texts) > 2 else ""
        page.rows.append(
            Row(
                box=box,
                sender=sender,
                subject=subject,
                snippet=snippet,
                date=date,
                unread=unread,
                unsubscribe=bool(_UNSUBSCRIBE.search(snippet)),
                attachment=attachment,
                star=star,
                starred=starred,
                open_ref=open_ref,
            )
        )
    for info in snapshot.elements.values():
        if info.role not in ("button", "link", "menuitem") or info.context.startswith(ITEM_CONTEXTS):
            continue
        if info.states.get("disabled") is True:
            continue
        if info.role == "button" and info.states.get("expanded") is False and profile.is_menu(info.name):
            page.menus.append(info.ref)
            continue
        # A change is a button (a link named Archive is the folder, not the act of archiving).
        verb = profile.verb_of(info.name) if info.role != "link" else None
        if verb is not None and verb not in page.controls:
            page.controls[verb] = info.ref
        if page.older is None and profile.is_older(info.name):
            page.older = info.ref
    return page
