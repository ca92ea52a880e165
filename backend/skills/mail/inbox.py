"""Reading a webmail's message list as a person would: from the page snapshot, row by row.

A row is one message when it can be selected: by its checkbox, or (where the list has none to see) by
clicking the row itself, as desktop-style webmails select. Table rows, grid rows, list items, cards and
options all count. Its words, apart from controls, dates and sizes, read as the sender, the subject, label
chips and a snippet. Unread shows as a word ("Unread,", an "Unseen" icon's name), or, read in Deputy's own
world (`with_facts`), as an unread icon or class, or as bold among rows that are not. The sender's address,
which many lists keep only in a tooltip, comes from there too, so rules match the name or the address.
Nothing here trusts the page: a row counts only if its elements are ones the snapshot issued, and what it
says is kept as data for rules and the reader, never as an order.
"""

import re
from dataclasses import dataclass, field, replace

from backend.browser.rows import RowFacts
from backend.browser.snapshot import Snapshot
from backend.skills.mail.profiles import Profile
from backend.skills.mail.rules import Seen

_ELEMENT = re.compile(r'^\[(e\d+)\] ([\w-]+)(?: "((?:[^"\\]|\\.)*)")?(.*)$')
_TIME = r"\d{1,2}[:.]\d{2}(\s?[ap]\.?m\.?)?"
# Month and weekday names in the languages webmails are most often shown in, full or cut short.
_MONTHS = (
    r"jan(uary|vier|uar|eiro|v)?|feb(ruary|ruar)?|f[eé]vr?(ier)?|mar(ch|s)?|m[aä]r(z)?|apr(il)?|avr(il)?|may|mai|"
    r"jun(e|i)?|juin|jul(y|i)?|juil(let)?|aug(ust)?|ao[uû]t?|sep(t|tember|tembre)?|oct(ober|obre)?|okt(ober)?|"
    r"nov(ember|embre)?|dec(ember)?|d[eé]c(embre)?|dez(ember)?|ene(ro)?|abr(il)?|ago(sto)?|dic(iembre)?|"
    r"gen(naio)?|mag(gio)?|giu(gno)?|lug(lio)?|set(tembre)?|ott(obre)?|mei|okt|mrt"
)
_DAYS = (
    r"mon(day)?|tue(s|sday)?|wed(nesday)?|thu(r|rs|rsday)?|fri(day)?|sat(urday)?|sun(day)?|"
    r"montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|mo|di|mi|do|fr|sa|so|"
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bado|"
    r"domingo"
)
_WHEN = rf"(,?\s+(at\s+|um\s+|à\s+)?{_TIME})?"
_DATE = re.compile(
    rf"^({_TIME}|(today|yesterday|heute|gestern|aujourd'hui|hier|hoy|ayer|oggi|ieri){_WHEN}|"
    rf"({_DAYS})\.?,?(\s+\d{{1,2}}\.?(\s+({_MONTHS})\.?)?)?{_WHEN}|"
    rf"\d{{1,2}}\.?\s+({_MONTHS})\.?(\s+\d{{2,4}})?{_WHEN}|({_MONTHS})\.?\s+\d{{1,2}}(st|nd|rd|th)?(,?\s+\d{{4}})?{_WHEN}|"
    rf"\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}{_WHEN}|\d{{4}}-\d{{2}}-\d{{2}}.*)$",
    re.IGNORECASE,
)
# A date written at the end of a cell that also holds other words ("Fieldnotes Weekly Today 20:05"); only the
# forms no subject ends with, since "Class moved to 18:30" ends with a time.
_TRAILING_DATE = re.compile(
    rf"^(?P<rest>.*?\S)\s+(?P<date>(today|yesterday)({_WHEN})?|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}({_WHEN})?)$",
    re.IGNORECASE,
)
_SIZE = re.compile(r"^\d+([.,]\d+)?\s?(b|bytes?|kb|kib|mb|mib|gb|k|m)$", re.IGNORECASE)
_UNREAD = re.compile(r"^(unread|unseen|new)[,.:]?$", re.IGNORECASE)
_UNSUBSCRIBE = re.compile(r"unsubscribe|receiving this because|manage (your )?(email )?preferences", re.IGNORECASE)
_ATTACHMENT = re.compile(r"^(has )?attachments?$|^📎", re.IGNORECASE)
_SELECT_ALL = re.compile(r"select all|all messages", re.IGNORECASE)
_STARRED = re.compile(r"starred|flagged", re.IGNORECASE)
_UNREAD_NAME = re.compile(r"^\W*(unread|unseen)\b", re.IGNORECASE)
# Bold is unread only where some rows are bold and others are not (a list drawn all bold says nothing).
_BOLD = 600
# The contexts of one message in a list: a table or grid row, a list item (a card), an option of a listbox.
ITEM_CONTEXTS = ("row", "listitem", "option", "article")
# What the row's own element is, when the row itself is clickable (it opens the message).
_ROW_ROLES = {"clickable", "row", "listitem", "option", "article", "gridcell"}
# Icons and markers in a row that can say unread by their name.
_MARKER_ROLES = {"clickable", "img", "image", "button", "gridcell", "cell"}


@dataclass(frozen=True)
class Row:
    """One message in the list, as the page showed it."""

    box: str  # the ref of its checkbox, or "" where the row is selected by clicking it (see `pick`)
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
    pick: str = ""  # an element of the row to click to select it, where it has no checkbox to tick
    address: str = ""  # the sender's address, where the page holds it (a tooltip, an attribute)
    selected: bool = False  # it reads as selected now
    weight: int = 0  # the heaviest font weight of its text

    @property
    def key(self) -> str:
        return key_of(self.sender, self.subject, self.date)

    @property
    def handle(self) -> str:
        """The ref that stands for the row: its checkbox, or the element to click to select it."""
        return self.box or self.pick

    @property
    def seen(self) -> Seen:
        return Seen(self.sender, self.subject, self.snippet, self.unsubscribe, self.attachment, self.address)


@dataclass(frozen=True)
class Mover:
    """A "Messages to" folder list and the Move control beside it."""

    folders: str  # the ref of the folder list
    move: str  # the ref of the control that moves the ticked rows to the chosen folder


@dataclass
class ListPage:
    rows: list[Row] = field(default_factory=list)
    controls: dict[str, str] = field(default_factory=dict)  # verb -> ref of the control acting on ticked rows
    older: str | None = None  # the ref that shows the next (older) page, or loads more of the list
    newer: str | None = None  # the ref that goes back towards the first (newest) page
    menus: list[str] = field(default_factory=list)  # closed menus that may hold controls not shown yet
    mover: Mover | None = None  # where archiving is a move to the Archive folder


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


def _cells(parts: list[str]) -> list[str]:
    """The row's cells, with a date written at the end of a cell's other words split off as a cell of its own."""
    cells = []
    for part in parts:
        trailing = _TRAILING_DATE.match(part) if not _ELEMENT.match(part) else None
        cells.extend([trailing.group("rest"), trailing.group("date")] if trailing else [part])
    return cells


def read_rows(snapshot: Snapshot, profile: Profile) -> ListPage:
    """The messages and the list's controls on this page of the list."""
    page = ListPage()
    in_messages: set[str] = set()  # the refs of every element in a message's row
    for line in _row_lines(snapshot.text):
        parts = _cells(_parts(line))
        box = None
        pick = ""
        texts: list[str] = []
        dates: list[tuple[int, str]] = []  # where in the texts each date-like cell stood
        star = open_ref = None
        unread = attachment = starred = False
        for index, part in enumerate(parts):
            element = _ELEMENT.match(part)
            if element is None:
                if _UNREAD.match(part):
                    unread = True
                elif _ATTACHMENT.search(part):
                    attachment = True
                elif _DATE.match(part):
                    dates.append((len(texts), part))
                elif part and not _SIZE.match(part):
                    texts.append(part)
                continue
            ref, role, name = element.group(1), element.group(2), _unquote(element.group(3) or "")
            info = snapshot.elements.get(ref)
            if info is None:
                continue  # text that only looks like an element: the page wrote it
            if index == 0 and role in _ROW_ROLES:
                # The row's own name is not printed (its cells are); it may say what the eye sees as bold.
                unread = unread or bool(_UNREAD_NAME.match(info.name))
                pick = ref
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
            elif role in _MARKER_ROLES and _UNREAD.match(name.strip()):
                unread = True
        date = _date_of(dates, texts)
        if not texts:
            continue
        if box is not None and snapshot.elements[box].context.startswith(ITEM_CONTEXTS):
            pick = ""
        elif (pick or open_ref) and date and len(texts) > 1:
            # No checkbox to tick (or none a person can see): the row is selected by clicking it. Toolbars and
            # folder lists are rows of links too; a message row has a sender, a subject and a date.
            box, pick = "", pick or str(open_ref)
        else:
            continue
        in_messages.update(e.group(1) for e in map(_ELEMENT.match, parts) if e is not None)
        sender = texts[0]
        subject = texts[1] if len(texts) > 1 else ""
        snippet = texts[-1] if len(texts) > 2 else ""
        page.rows.append(
            Row(
                box=box or "",
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
                pick=pick,
            )
        )
    for info in snapshot.elements.values():
        # A message's own controls act on it alone; a toolbar or pager may sit in a list item of its own.
        if info.role not in _CONTROL_ROLES or info.ref in in_messages:
            continue
        # A real `disabled` cannot be clicked; aria-disabled often can (the webmail re-enables it on selection).
        if info.states.get("disabled") is True:
            continue
        closed_menu = info.states.get("expanded") is False or info.role == "menuitem"
        if info.role != "link" and closed_menu and profile.is_menu(info.name):
            page.menus.append(info.ref)
            continue
        # A change is a button or menu item (a link named Archive is the folder, not the act of archiving).
        verb = profile.verb_of(info.name) if info.role != "link" else None
        if verb is not None and verb not in page.controls:
            page.controls[verb] = info.ref
        # A pager marked disabled in any way is the end of the list, not a page to turn to.
        if page.older is None and profile.is_older(info.name) and not info.states.get("disabled"):
            page.older = info.ref
        # "First page" before "Previous page": fewer turns back to the newest mail.
        first = page.newer is None or re.match(r"\W*(first|newest)", info.name, re.IGNORECASE)
        if first and profile.is_newer(info.name) and not info.states.get("disabled"):
            page.newer = info.ref
    page.mover = _mover(snapshot)
    return page


# Controls that act on the ticked rows or turn the page, whatever role the page gave them.
_CONTROL_ROLES = {"button", "link", "menuitem", "clickable"}
# A "move to" folder list and its button, as webmails without an Archive button offer it.
_FOLDER_LIST = re.compile(r"(target|destination)( mailbox| folder)?:?|(move|messages) to|folder:?", re.IGNORECASE)
_MOVE = re.compile(r"move( to| selected| messages?)?", re.IGNORECASE)


def _mover(snapshot: Snapshot) -> Mover | None:
    """The folder list and Move control that archive the ticked rows where no control says Archive."""
    lists = [
        e
        for e in snapshot.elements.values()
        if e.role in ("combobox", "listbox") and _FOLDER_LIST.fullmatch(e.name.strip() or "")
    ]
    moves = [
        e
        for e in snapshot.elements.values()
        if e.role in _CONTROL_ROLES and _MOVE.fullmatch(e.name.strip()) and e.states.get("disabled") is not True
    ]
    if not lists or not moves:
        return None
    return Mover(folders=lists[0].ref, move=moves[0].ref)


def _date_of(dates: list[tuple[int, str]], texts: list[str]) -> str:
    """The row's date: the date-like cell with figures in it (a time, a day), else the first one. The others
    go back among the texts where they stood, since a subject can be a weekday ("Friday")."""
    if not dates:
        return ""
    chosen = next((d for d in dates if any(c.isdigit() for c in d[1])), dates[0])
    for offset, (at, text) in enumerate(d for d in dates if d is not chosen):
        texts.insert(at + offset, text)
    return chosen[1]


def with_facts(page: ListPage, facts: dict[str, RowFacts]) -> ListPage:
    """The rows with what Deputy's world read of them: the sender's address, selection, and unread shown by an
    icon, a class or a bold row among rows that are not bold."""
    weights = {f.weight for f in facts.values()}
    bold_tells = len(weights) > 1 and max(weights) >= _BOLD
    rows = []
    for row in page.rows:
        fact = facts.get(row.handle)
        if fact is None:
            rows.append(row)
            continue
        bold = bold_tells and fact.weight >= _BOLD and fact.weight == max(weights)
        rows.append(
            replace(
                row,
                address=row.address or fact.address_of(row.sender),
                unread=row.unread or fact.unread_icon or bold,
                selected=fact.selected,
                weight=fact.weight,
            )
        )
    return replace(page, rows=rows)
