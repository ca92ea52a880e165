"""Target-aware risk: what a concrete action risks, judged from the action and what it acts on.

`click` is only `write` in the registry, but a click on "Delete forever" is irreversible. The words that
decide are data below; every verdict carries the reason a person would give.
"""

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Protocol

from backend.actions.registry import ActionSpec, Risk

# Names of controls whose effect cannot be taken back once the site has it.
IRREVERSIBLE_NAMES = [
    r"delete (forever|permanently|all|account)",
    r"(permanently|forever) (delete|remove)",
    r"remove (forever|permanently)",
    r"empty (trash|bin|spam|junk|deleted items|folder)",
    r"send( now| anyway| reply| message| email)?",
    r"pay( now| \S+)?",
    r"(confirm|complete|place|submit|finish|finali[sz]e) (my |your |the )?"
    r"(order|payment|purchase|booking|check[ -]?in)",
    r"purchase",
    r"buy( now)?",
    r"check[ -]?in( now)?",
    r"roll ?back( now)?",
    r"promote( to production)?",
    r"deploy( now| to production)?",
    r"redeploy",
    r"unsubscribe",
    r"confirm( unsubscribe| rollback| promotion| deploy)?",
    r"transfer( now)?",
    r"share",
    r"publish",
    r"report (spam|phishing)",
]
# Names of controls that spend money.
PAYING = re.compile(r"\b(pay|payment|purchase|buy|order)\b", re.I)
# Boxes whose tick is a statement made for the person (an airline's dangerous-goods declaration).
DECLARATIONS = re.compile(
    r"dangerous goods|hazardous (goods|materials|items)|prohibited (items|articles)|restricted (items|articles)|"
    r"\bI (confirm|certify|declare)\b|\bdeclar(e|ation)\b",
    re.I,
)
# A price as a page writes it: a currency sign or code beside an amount ("€18", "18,00 €", "+ USD 12.50",
# "US$5"). Every currency sign Unicode knows, so a site in any currency is judged alike.
CURRENCY_SIGNS = "".join(re.escape(c) for c in map(chr, range(0x20, 0x10000)) if unicodedata.category(c) == "Sc")
CURRENCY_CODES = (
    "EUR|USD|GBP|CHF|JPY|CNY|SEK|NOK|DKK|ISK|PLN|CZK|HUF|RON|BGN|TRY|AUD|NZD|CAD|MXN|BRL|ARS|CLP|COP|INR|"
    "IDR|THB|SGD|HKD|KRW|TWD|MYR|PHP|VND|ZAR|AED|SAR|QAR|ILS|EGP|MAD|NGN|KES|RUB|UAH"
)
_AMOUNT = r"(\d{1,3}(?:[ ,.\u00a0\u202f]\d{3})*(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)"
_MONEY = rf"(?:[A-Z]{{0,3}}[{CURRENCY_SIGNS}]|\b(?:{CURRENCY_CODES})\b)"
PRICE = re.compile(rf"{_MONEY}\s?[+]?\s?{_AMOUNT}|{_AMOUNT}\s?{_MONEY}")
# Answers that turn an offer down or take a choice back; they cost nothing whatever price sits beside them.
DECLINES = re.compile(
    r"^\W*(no( thanks| thank you)?|skip|not now|maybe later|cancel|close|dismiss|decline|remove|delete|"
    r"continue without|i don'?t (need|want)|don'?t add|do not add)\b",
    re.I,
)
# Controls that change something a person can undo (archive, trash, labels).
WRITE_NAMES = [
    r"archive",
    r"(move to )?(trash|bin)",
    r"delete",
    r"restore",
    r"undo",
    r"move to",
    r"label",
    r"star(red)?",
    r"(un)?flag",
    r"mark( as)? (read|unread|spam|junk|not spam|important|not important)",
    r"not (spam|junk)",
    r"save",
    r"update",
    r"submit",
    r"continue",
    r"next",
    r"apply",
    r"snooze",
    r"accept( all)?",
]
# Folders and views a webmail lists by name. Opening one is a read even when the noun is also a verb
# elsewhere ("Archive", "Trash", "Starred"): a button called "Archive" archives, a link called "Archive" opens.
FOLDER_NOUNS = re.compile(
    r"(inbox|outbox|trash|bin|recycle bin|deleted( items| messages| mail)?|spam|junk( mail| email| e mail)?|"
    r"bulk( mail)?|archived?|archives|all mail|sent( items| mail| messages)?|drafts?|starred|flagged|important|"
    r"snoozed|scheduled|unread|priority|primary|focused|other|updates|promotions|social|forums|chats?)",
    re.I,
)
# Controls that only choose which rows are ticked: "Select all", "Select: All", "Select > None",
# "Select all 79 conversations in Inbox", "Clear selection".
SELECTS = re.compile(
    r"^\W*((select|deselect|unselect)\W+(all|none|everything|nothing|this page|visible|\d+)\b.*|clear selection)\W*$",
    re.I,
)
# What a "Select" menu or a "Select: All | None" pair offers; bare, these words name a selection.
SELECT_CHOICES = re.compile(r"^\W*(all|none)\W*$", re.I)
SELECT_MENU_CHOICES = re.compile(r"^\W*(all|none|read|unread|starred|unstarred|flagged|unflagged)\W*$", re.I)
# Pagers: another page of the same list, or more of it. Bare "Next" is left out: in a booking flow it
# submits a step.
PAGERS = re.compile(
    r"^\W*((newer|older)( messages| conversations)?|((show|go to) (the )?)?(next|previous|first|last) page"
    r"( of (messages|mail|conversations|results))?|page \d+|(load|show) more( messages| conversations| mail)?)\W*$",
    re.I,
)
# Controls that open a menu of further controls ("More", "⋮"); each control in it is judged when clicked.
MENU_OPENERS = re.compile(r"^\W*(more( actions| options)?|actions|options|\u22ee|\u22ef|\u2026)\W*$", re.I)
# Controls that open a form to fill in; nothing leaves until its own Send, which is judged on its own.
FORM_OPENERS = re.compile(r"^\W*(compose|new (message|mail|email)|reply( all)?|forward)\W*$", re.I)
# A confirmation that says the step is final, whatever verb it uses: "Remove 2 messages permanently?".
FINAL_DIALOG = re.compile(r"\b(permanently|forever|cannot be undone|can't be undone|can not be undone)\b", re.I)
AFFIRMATIVE = re.compile(r"^(ok|okay|yes|confirm|continue|proceed|i understand|do it)\b", re.I)
READ_ROLES = {"tab", "treeitem", "menu", "menubar", "tablist"}
LOCAL_ROLES = {"checkbox", "radio", "switch", "option", "textbox", "searchbox", "combobox", "spinbutton", "slider"}
CHECKABLE_ROLES = {"checkbox", "radio", "switch", "option", "menuitemcheckbox", "menuitemradio"}
MENU_ITEM_ROLES = {"menuitem", "menuitemcheckbox", "menuitemradio", "option"}
# A URL path segment naming an irreversible verb: /unsubscribe/n1, /api/delete-all, /checkin/payment.
IRREVERSIBLE_SEGMENT = re.compile(
    r"^(delete|destroy|purge|empty|unsubscribe|pay|payment|purchase|send|rollback|promote|deploy|transfer)([-_].*)?$",
    re.I,
)
SAFE_KEYS = re.compile(
    r"^(Tab|Shift\+Tab|Escape|Arrow(Up|Down|Left|Right)|Page(Up|Down)|Home|End|Space|Shift|Control|Alt)$", re.I
)

_IRREVERSIBLE = re.compile(r"^\W*(" + "|".join(IRREVERSIBLE_NAMES) + r")\b", re.I)
_WRITE = re.compile(r"^\W*(" + "|".join(WRITE_NAMES) + r")\b", re.I)
# Unread counts and their words, which folder links carry beside the name: "Inbox (3)", "Junk 2 new".
_COUNT_WORDS = {"unread", "new"}


class Target(Protocol):
    """What risk needs to know of an element; the snapshot's ElementInfo provides it."""

    role: str
    name: str
    tag: str
    states: dict[str, str | bool]
    context: str
    dialog: str | None
    form_method: str | None
    form_action: str | None
    href: str | None


@dataclass(frozen=True)
class Assessment:
    risk: Risk
    reason: str
    payment: bool = False  # it spends money: nothing the user granted covers it


def price_in(text: str) -> str | None:
    """The first price above zero written in `text` ("€18.00"), or None: "€0", "0,00 €" and "Free" cost nothing."""
    for found in PRICE.finditer(text):
        if re.sub(r"\D", "", found.group(0)).strip("0"):
            return " ".join(found.group(0).split())
    return None


def _paid_choice(spec: ActionSpec, params: Any, target: Target, around: str) -> Assessment | None:
    """A click or tick on something that costs money (its name, its row or the words beside it show a price)
    adds a charge to the basket: that is a payment, so it asks every time, whatever the task was granted."""
    name = " ".join(target.name.split())
    if spec.name == "check" and not getattr(params, "checked", True):
        return None
    if DECLINES.match(name) or _opens_row(target) or (target.role == "link" and _navigates(target.href)):
        # Saying no costs nothing; a row or a link opens a page where the real choice is made and judged.
        return None
    # The words beside a control price it only when its own name is no known command: "Add" beside
    # "Priority boarding €12" buys it, while "Archive" in a row that mentions "$42" archives a mail.
    plain = not (_WRITE.match(name) or _IRREVERSIBLE.match(name) or FORM_OPENERS.match(name) or SELECTS.match(name))
    # A box ticked in a list's row picks that row (a mail, an order) for a toolbar; only its own label prices it.
    if spec.name == "check" and target.context.startswith(("row", "listitem")):
        plain = False
    price = price_in(name) or (price_in(around) if plain else None)
    if price is None:
        return None
    return Assessment(Risk.IRREVERSIBLE, f"{describe(target)} costs {price}; a paid choice is a payment", True)


def assess(spec: ActionSpec, params: Any, target: Target | None, around: str = "") -> Assessment:
    """The risk of running `spec` with `params` on `target` (the element its `ref` names, if any); `around` is
    what the page writes beside the target (its row, its tooltip, the text next to it)."""
    base = Assessment(spec.risk, f"{spec.name} is a {spec.risk.value} action")
    if spec.name in ("click", "check") and target is not None:
        paid = _paid_choice(spec, params, target, around)
        if paid is not None:
            return paid
    if spec.name == "click" and target is not None:
        found = _click_risk(target)
        if getattr(params, "accept_dialog", False):
            return Assessment(
                Risk.IRREVERSIBLE, f"it accepts the page's confirmation dialog after clicking {describe(target)}"
            )
        return found
    if spec.name == "type_text" and target is not None and getattr(params, "submit", False):
        submitted = _form_risk(target)
        return submitted or Assessment(Risk.LOCAL, f"it types into {describe(target)} and presses Enter")
    if spec.name == "press_key":
        key = getattr(params, "key", "")
        if SAFE_KEYS.match(key):
            return Assessment(Risk.LOCAL, f"{key} only moves focus or scrolls")
        return Assessment(Risk.WRITE, f"pressing {key} may trigger one of the page's shortcuts")
    if spec.name == "check" and target is not None:
        if getattr(params, "checked", True) and DECLARATIONS.search(target.name):
            return Assessment(Risk.IRREVERSIBLE, f"ticking {describe(target)} makes a declaration on your behalf")
        return Assessment(Risk.LOCAL, f"it only ticks {describe(target)}")
    return base


def _opens_row(target: Target) -> bool:
    if target.role != "clickable":
        return False
    # A list item holding nothing but this control is a toolbar's slot ("Move"), not a row of a list.
    alone = re.match(r'^\w+ "(.*)"$', target.context)
    if alone and alone.group(1) == target.name:
        return False
    return target.tag == "tr" or target.context.startswith(("row", "table", "list"))


def _click_risk(target: Target) -> Assessment:
    name = " ".join(target.name.split())
    what = describe(target)
    if _opens_row(target):
        # A row of a list (a mail, an order) opens when clicked; its text is content, not a command, and any
        # change it tries is held by the write gate.
        return Assessment(Risk.READ, f"the {target.tag} row in {target.context} opens that item")
    if FORM_OPENERS.match(name) and target.form_method is None:
        return Assessment(Risk.LOCAL, f"{what} only opens a form; nothing is sent until Send")
    if _IRREVERSIBLE.match(name):
        return Assessment(Risk.IRREVERSIBLE, f"{what} cannot be undone once the site has it", bool(PAYING.search(name)))
    final = target.dialog and (_IRREVERSIBLE.search(target.dialog) or FINAL_DIALOG.search(target.dialog))
    if final and AFFIRMATIVE.match(name):
        return Assessment(Risk.IRREVERSIBLE, f"{what} confirms the dialog {target.dialog!r}")
    folder = _folder_opened(target, name)
    if folder:
        return Assessment(Risk.READ, f"{what} only opens the {folder} folder; looking at a folder changes nothing")
    if _only_selects(target, name):
        return Assessment(Risk.LOCAL, f"{what} only ticks rows on the page; nothing changes until an action is chosen")
    # A link that opens a page is a GET wherever it sits; a form around it (a list's form) sends nothing.
    by_link = target.role == "link" and _navigates(target.href)
    if PAGERS.match(name) and target.role in ("button", "link") and (target.form_method in (None, "get") or by_link):
        return Assessment(Risk.READ, f"{what} only shows another page of the list")
    if MENU_OPENERS.match(name) and target.role in ("button", "clickable", *MENU_ITEM_ROLES) and not target.form_method:
        return Assessment(Risk.READ, f"{what} only opens a menu")
    submitted = _form_risk(target, clicked=True)
    if submitted is not None and submitted.risk is Risk.IRREVERSIBLE:
        return submitted
    if _WRITE.match(name):
        return Assessment(Risk.WRITE, f"{what} changes something on the site")
    if submitted is not None:
        return submitted
    if target.role == "link" and target.href and not target.href.startswith("javascript:"):
        if _acts_when_opened(target.href):
            return Assessment(Risk.WRITE, f"{what} leads to {target.href}, which may act when opened")
        return Assessment(Risk.READ, f"{what} only navigates to {target.href}")
    if target.role in READ_ROLES or "expanded" in target.states:
        return Assessment(Risk.READ, f"{what} only opens or switches a view")
    if target.role in CHECKABLE_ROLES:
        return Assessment(Risk.LOCAL, f"{what} only ticks or unticks a choice on the page")
    if target.role in LOCAL_ROLES:
        return Assessment(Risk.LOCAL, f"{what} only puts the cursor in a field; nothing is sent by clicking it")
    return Assessment(Risk.WRITE, f"clicking {what} may change something")


def _folder_opened(target: Target, name: str) -> str | None:
    """The folder a link, tab or tree item opens ("Trash", "All mail"), if its name is one; else None."""
    words = re.sub(r"[\W\d_]+", " ", name.lower()).split()
    while words and words[-1] in _COUNT_WORDS:
        words.pop()
    noun = " ".join(words)
    if not noun or not FOLDER_NOUNS.fullmatch(noun):
        return None
    if target.role in ("tab", "treeitem") or (target.role in MENU_ITEM_ROLES | {"link"} and _navigates(target.href)):
        return noun.capitalize()
    return None


def _navigates(href: str | None) -> bool:
    """An href that opens a page or a view: not a script, not a bare "#", not a path that acts when opened."""
    if not href or href.lower().startswith("javascript:") or href.endswith("#"):
        return False
    return not _acts_when_opened(href)


def _only_selects(target: Target, name: str) -> bool:
    # In a dialog, "All" may answer "Delete which messages?": there the word is not a selection.
    if target.dialog:
        return False
    if SELECTS.match(name):
        return target.role in ("button", "link", "clickable", *MENU_ITEM_ROLES, *CHECKABLE_ROLES)
    if target.role in MENU_ITEM_ROLES:
        return bool(SELECT_MENU_CHOICES.match(name))
    return target.role == "button" and bool(SELECT_CHOICES.match(name))


def _form_risk(target: Target, *, clicked: bool = False) -> Assessment | None:
    # Enter in a field submits its form; a click on a field or a checkbox does not, only a button does.
    if clicked:
        is_submitter = target.role == "button" or (target.tag == "button" and target.role not in LOCAL_ROLES)
    else:
        is_submitter = target.role == "button" or target.tag in ("input", "button") or target.role in LOCAL_ROLES
    if not is_submitter or target.form_method is None:
        return None
    method = target.form_method.lower()
    action = target.form_action or ""
    if method == "get":
        return Assessment(Risk.READ, f"{describe(target)} submits a search-style form (GET {action or 'same page'})")
    if _acts_when_opened(action):
        return Assessment(Risk.IRREVERSIBLE, f"{describe(target)} submits a form to {action}")
    return Assessment(Risk.WRITE, f"{describe(target)} submits a form ({method.upper()} {action or 'same page'})")


def _acts_when_opened(url: str) -> bool:
    return any(IRREVERSIBLE_SEGMENT.match(part) for part in re.split(r"[/?&=#.]", url))


def describe(target: Target) -> str:
    """The target as a person would say it: the button 'Archive' in row \"Acme — receipt\"."""
    label = f"the {target.role or target.tag} {target.name!r}" if target.name else f"an unnamed {target.role}"
    return f"{label} in {target.context}" if target.context else label
