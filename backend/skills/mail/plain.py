"""Plain-English mail rules: a sentence ("archive newsletters from shopmart.example") becomes a deterministic
`MailRule` once, before it is shown to the user as a proposal; it never runs as text.

With a model key, one tool-less call on the small model answers with JSON that must validate as a MailRule;
without one (or if that call cannot be made), a small parser reads the common forms. Either way the result
is only data in the rule's own fields (sender, domain, subject words, the unsubscribe and attachment marks,
an action from a fixed list, a label's name): no words of it ever become a URL or a recipient.
"""

import json
import logging
import re
from dataclasses import dataclass

from backend.agent.llm import ModelClient, ModelUnavailable
from backend.ledger.budgets import Book, BudgetExceeded, PriceUnknown
from backend.ledger.pricing import worst_case_cost
from backend.skills.mail.rules import MailRule, MailRuleError

log = logging.getLogger(__name__)

MAX_TEXT = 500
MAX_TOKENS = 300
HIDDEN_TOKENS_MARGIN = 200
FORMS = (
    "say what to do (archive, star, mark read, or label NAME) and which mail: from a sender, from a domain, "
    "with 'words' in the subject, newsletters, or with attachments. For example: "
    '"archive newsletters from shopmart.example" or "label receipts with \'invoice\' in the subject as Finance"'
)


class PlainRuleError(ValueError):
    """A sentence Deputy cannot turn into a rule; the message says what it can read."""


@dataclass(frozen=True)
class Reading:
    rule: MailRule
    left_out: str = ""  # what the sentence asked that a rule cannot match ("I haven't opened in a month")
    by: str = "offline"  # "model" or "offline": who read the sentence


_NEVER = re.compile(
    r"\b(delete|deleting|trash|unsubscribe|forward|forwarding|reply|replying|send|sending|purge|erase|block)\b",
    re.IGNORECASE,
)
_QUOTED = r"['\"\u2018\u2019\u201c\u201d]"
_UNQUOTED = r"[^'\"\u2018\u2019\u201c\u201d]+"
_NOT_A_NAME = r"(?!(?:as|to|into|in|under|with|folder|label)\b)"
_LABEL_VERB = re.compile(r"\b(label(?:led|ed)?|tag(?:ged)?|move|put)\b", re.IGNORECASE)
_LABEL_NAME = re.compile(
    rf"\b(?:as|to|into|in|under|with)\s+(?:the\s+)?(?:label\s+)?"
    rf"{_QUOTED}?(\w[\w&-]*(?: {_NOT_A_NAME}[\w&-]+){{0,3}}){_QUOTED}?"
    r"(?:\s+(?:label|folder))?\s*[.!]?$",
    re.IGNORECASE,
)
_VERBS = (
    ("mark_read", re.compile(r"\bmark(?: (?:them|it|those|these|all))?(?: as)? read\b|\bas read\b", re.IGNORECASE)),
    ("archive", re.compile(r"\barchiv\w*|\bfile away\b|\bskip the inbox\b", re.IGNORECASE)),
    ("star", re.compile(r"\bstar\w*|\bflag\w*", re.IGNORECASE)),
)
_DOMAIN = re.compile(r"\bfrom (?:anyone at |anything at |the domain )?@?([a-z0-9-]+(?:\.[a-z0-9-]+)+)\b", re.IGNORECASE)
_SENDER = re.compile(
    rf"\bfrom {_QUOTED}?(.+?){_QUOTED}?(?=$|[.,;]| (?:with|whose|that|which|about|if|when|and|as|into|to|i|having)\b)",
    re.IGNORECASE,
)
_SUBJECT = re.compile(
    rf"\b(?:subject|titled|title|about)(?: (?:line|has|says|contains|containing|with|of))*:? "
    rf"{_QUOTED}({_UNQUOTED}){_QUOTED}"
    rf"|{_QUOTED}({_UNQUOTED}){_QUOTED} in (?:the|their|its) subject",
    re.IGNORECASE,
)
_NEWSLETTERS = re.compile(r"\b(newsletters?|mailing lists?|bulk mail|marketing( mail| emails?)?|promotions?)\b", re.I)
_ATTACHMENTS = re.compile(r"\b(with|having|that have|has|carrying) (an? )?attach(ed|ments?)\b|\battachments\b", re.I)
# Words that say nothing about which mail: what remains after these is what a rule could not use.
_FILLER = frozenset(
    re.findall(
        r"\w+",
        "a all an and any are as at automatically every everything for from i in into is it its mail mails message "
        "messages email emails my of please that the their them these this those to which with always whenever "
        "when should get gets",
    )
)


def read_offline(text: str) -> Reading:
    """The common forms, without a model; PlainRuleError says what could not be read."""
    said = " ".join(text.split())
    if not said:
        raise PlainRuleError("The rule is empty: " + FORMS + ".")
    never = _NEVER.search(said)
    if never:
        raise PlainRuleError(
            f"A mail rule cannot '{never.group(0).lower()}': rules only archive, star, mark read "
            "or label, so nothing they do is lost. " + FORMS + "."
        )
    used: list[tuple[int, int]] = []
    action, label = None, None
    labelled = _LABEL_VERB.search(said)
    if labelled and not _VERBS[1][1].search(said[: labelled.start()]):
        named = _LABEL_NAME.search(said)
        if named is None:
            raise PlainRuleError('Say the label\'s name at the end, e.g. "label mail from ShopMart as Receipts".')
        action, label = "label", named.group(1).strip()
        used += [labelled.span(), named.span()]
    else:
        for verb, pattern in _VERBS:
            hit = pattern.search(said)
            if verb == "mark_read" and hit and hit.group(0).lower() == "as read":
                mark = re.search(r"\bmark\b", said, re.IGNORECASE)
                hit = hit if mark else None
                used += [mark.span()] if mark else []
            if hit:
                action = verb
                used.append(hit.span())
                break
    if action is None:
        raise PlainRuleError("Deputy could not tell what the rule should do: " + FORMS + ".")
    # The rest is read with the action's words blanked, so a label named "Newsletters" is not a match.
    said = "".join(" " if any(a <= i < b for a, b in used) else c for i, c in enumerate(said))
    match: dict[str, object] = {}
    if hit := _DOMAIN.search(said):
        match["domain"] = hit.group(1).lower()
        used.append(hit.span())
    elif hit := _SENDER.search(said):
        match["sender"] = hit.group(1).strip()
        used.append(hit.span())
    if hit := _SUBJECT.search(said):
        match["subject_words"] = (hit.group(1) or hit.group(2)).split()[:10]
        used.append(hit.span())
    if hit := _NEWSLETTERS.search(said):
        match["list_unsubscribe"] = True
        used.append(hit.span())
    if hit := _ATTACHMENTS.search(said):
        match["has_attachment"] = True
        used.append(hit.span())
    if not match:
        raise PlainRuleError("Deputy could not tell which mail the rule is for: " + FORMS + ".")
    value: dict[str, object] = {"match": match, "action": action}
    if label:
        value["label"] = label
    try:
        rule = MailRule.from_value(value)
    except MailRuleError as error:
        raise PlainRuleError(str(error)) from None
    return Reading(rule, _left_out(said, used))


def _left_out(said: str, used: list[tuple[int, int]]) -> str:
    """The words a rule could not use, as the user wrote them (from the first such word to the last)."""
    spans = [
        m.span()
        for m in re.finditer(r"[\w']+", said)
        if m.group(0).lower() not in _FILLER and not any(a <= m.start() < b for a, b in used)
    ]
    return said[spans[0][0] : spans[-1][1]] if spans else ""


SYSTEM = """You turn one sentence, a user's wish for their email, into one mail rule. You have no tools and \
nothing you write is run. A rule matches only what an inbox list shows and does one reversible thing.

Answer with JSON only, of this shape:
{"match": {"sender": TEXT or null, "domain": DOMAIN or null, "subject_words": [WORD, ...], \
"list_unsubscribe": true or null, "has_attachment": true or null}, "action": "archive" | "mark_read" | \
"star" | "label", "label": NAME or null, "left_out": TEXT}
where sender is part of the sender's name as shown, domain a sender domain such as shop.example, \
subject_words words every matching subject contains, list_unsubscribe true for newsletters and bulk mail, \
has_attachment true for mail with attachments, label the label's name (only for "label"), and left_out the \
part of the wish a rule cannot express (such as time or whether mail was opened), or "". If the wish asks to \
delete, send, forward, reply or unsubscribe, answer {"error": "why"}."""


@dataclass
class RuleWriter:
    """One tool-less call on the small model, checked against the budgets before and recorded after."""

    model: ModelClient
    book: Book

    async def write(self, task_id: str, text: str) -> Reading:
        request = [{"role": "user", "content": [{"type": "text", "text": text}]}]
        upper = (len(SYSTEM.encode()) + len(text.encode())) // 2 + HIDDEN_TOKENS_MARGIN
        try:
            reservation = self.book.reserve(task_id, worst_case_cost(self.model.model, upper, MAX_TOKENS))
        except (BudgetExceeded, PriceUnknown) as error:
            raise ModelUnavailable(str(error)) from None
        try:
            reply = await self.model.create([{"type": "text", "text": SYSTEM}], [], request, MAX_TOKENS)
        except BaseException:
            self.book.release(reservation)
            raise
        self.book.record(reservation, reply.model, reply.usage, 1, reply.latency_ms, reply.stop_reason)
        answer = "".join(b.get("text", "") for b in reply.content if b.get("type") == "text")
        return parse_answer(answer)


def parse_answer(answer: str) -> Reading:
    """The model's JSON as a rule: only the rule's own fields are kept, and it must validate as a MailRule."""
    start, end = answer.find("{"), answer.rfind("}")
    try:
        raw = json.loads(answer[start : end + 1]) if start >= 0 else None
    except ValueError:
        raw = None
    if not isinstance(raw, dict):
        raise PlainRuleError("The model did not answer with a rule. " + FORMS + ".")
    if isinstance(raw.get("error"), str):
        raise PlainRuleError(f"That is not something a rule can do ({raw['error'][:200]}). " + FORMS + ".")
    left_out = raw.get("left_out") if isinstance(raw.get("left_out"), str) else ""
    match = raw.get("match")
    if isinstance(match, dict):
        match = {k: v for k, v in match.items() if v not in (None, [], "")}
    value = {"match": match, "action": raw.get("action")}
    if raw.get("label"):
        value["label"] = raw["label"]
    try:
        rule = MailRule.from_value(value)  # the name is Deputy's own sentence, never the model's
    except MailRuleError as error:
        raise PlainRuleError(f"The model's reading is not a rule Deputy can use: {error}") from None
    return Reading(rule, str(left_out)[:200], "model")
