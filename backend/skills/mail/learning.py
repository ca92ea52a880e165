"""Rules Deputy learns, and retires: what the user keeps approving becomes a proposed rule; what the user
keeps undoing stops.

    a batch the user approved ─ its ticked items, by (verb, sender or domain) and (verb, category) ─ the
    third approval of one kind ─ a "rule" approval (one lifecycle) with how many seen messages it matches
    ─ approved: saved (with the user's edits) │ rejected: never proposed again

    an undone change that a rule made ─ one more undo against that rule ─ the second: the rule is retired,
    and the bus, the audit log and the task's summary say so

A rule is only learnt from a person's approvals of reversible changes the reader suggested (a change a rule
made teaches nothing new), never from mail the reader flagged, and never for an action that cannot be
undone. Triage keeps a small record of the messages it has seen (`SeenMail`), from which the card counts
how many past messages the rule would have matched.
"""

import json
import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from backend.clock import Clock
from backend.events import EventBus
from backend.models import Approval, ApprovalStatus, AuditRecord, RuleKind, SeenMail, Task, UserRule
from backend.policy.audit import AuditLog
from backend.policy.lifecycle import Draft, Lifecycle
from backend.skills.mail.inbox import Row, key_of
from backend.skills.mail.rules import RETIRE_AFTER_UNDOS, MailRule, Seen, describe, matches

log = logging.getLogger(__name__)

# How many separate approvals of one kind of change make Deputy propose a rule for it.
PROPOSE_AFTER = 3
# Verbs a learnt rule may carry: all of them reversible. Unsubscribe, send or delete are never learnt.
LEARNABLE = ("archive", "mark_read", "star", "label")
# The reader's categories that a deterministic rule can match: a newsletter carries an unsubscribe mark.
CATEGORY_MATCH: dict[str, dict[str, Any]] = {"newsletters": {"list_unsubscribe": True}}
# A proposed rule waits longer than an action: nothing is held up while it waits.
PROPOSAL_TTL = timedelta(days=7)
# Proposals waiting, turned down, or saved (and maybe deleted since): none is proposed again.
_REMEMBERED = (
    ApprovalStatus.PENDING,
    ApprovalStatus.APPROVED,
    ApprovalStatus.CLAIMED,
    ApprovalStatus.EXECUTED,
    ApprovalStatus.REJECTED,
)
_ADDRESS = re.compile(r"@([a-z0-9-]+(?:\.[a-z0-9-]+)+)", re.IGNORECASE)
EXAMPLES_SHOWN = 5


def signature(rule: MailRule) -> str:
    """What makes two rules the same rule: what they match and what they do, not their names or counters."""
    value = rule.model_dump(mode="json", include={"match", "action", "label"}, exclude_none=True)
    return json.dumps(value, sort_keys=True)


def seen_of(record: SeenMail) -> Seen:
    return Seen(record.sender, record.subject, record.snippet, record.unsubscribe, record.attachment)


def remember_seen(engine: Engine, clock: Clock, rows: list[Row], read: dict[str, tuple[str, bool, str]]) -> None:
    """Keep what triage saw of each row; `read`: key -> (the reader's category, flagged, suggested action) where
    it read it."""
    now = clock.now()
    with Session(engine) as session:
        known = {s.key: s for s in session.exec(select(SeenMail).where(col(SeenMail.key).in_([r.key for r in rows])))}
        for row in rows:
            record = known.get(row.key) or SeenMail(
                key=row.key[:700],
                sender=row.sender[:200],
                subject=row.subject[:400],
                first_seen_at=now,
                last_seen_at=now,
            )
            record.snippet = row.snippet[:400]
            record.unsubscribe = row.unsubscribe
            record.attachment = row.attachment
            record.last_seen_at = now
            if row.key in read:
                category, flagged, action = read[row.key]
                record.category, record.action = category, action
                record.suspicious = record.suspicious or flagged
            session.add(record)
            known[row.key] = record
        session.commit()


def verdicts_before(engine: Engine, keys: list[str]) -> dict[str, tuple[str, str, bool]]:
    """key -> (category, suggested action, flagged) for the messages among `keys` the reader already read.
    Both values were picked from the reader's fixed lists when it read them, never free text."""
    if not keys:
        return {}
    with Session(engine) as session:
        found = session.exec(select(SeenMail).where(col(SeenMail.key).in_(keys)))
        return {s.key: (s.category, s.action, s.suspicious) for s in found if s.category and s.action}


def seen_matching(engine: Engine, rule: MailRule) -> list[SeenMail]:
    with Session(engine) as session:
        return [s for s in session.exec(select(SeenMail).order_by(col(SeenMail.id))) if matches(rule, seen_of(s))]


def past_matches(engine: Engine, rule: MailRule) -> int:
    return len(seen_matching(engine, rule))


def who(sender: str) -> tuple[str, dict[str, Any]]:
    """The kind of sender a learnt rule keys on: the domain where the list shows an address, else the
    sender as the list shows it (most webmail shows only a name)."""
    found = _ADDRESS.search(sender)
    if found:
        return f"domain {found.group(1).lower()}", {"domain": found.group(1).lower()}
    return f"sender {sender}", {"sender": sender}


@dataclass(frozen=True)
class Candidate:
    verb: str
    label: str | None
    kind: str  # "sender ShopMart", "domain shopmart.example", "category newsletters"
    match: dict[str, Any]
    batches: frozenset[str]
    items: tuple[str, ...]  # keys of the messages approved

    def rule(self) -> MailRule:
        value: dict[str, Any] = {"match": self.match, "action": self.verb}
        if self.label:
            value["label"] = self.label
        return MailRule.model_validate(value)


@dataclass
class Learner:
    """Proposes rules from approvals, saves the approved ones, and retires rules the user keeps undoing."""

    engine: Engine
    approvals: Lifecycle
    audit: AuditLog
    bus: EventBus
    clock: Clock

    # ---- proposing ---------------------------------------------------------------------------------

    def candidates(self) -> list[Candidate]:
        """Every kind of change a person approved, with the approvals and messages behind it."""
        with Session(self.engine) as session:
            batches = session.exec(
                select(Approval).where(
                    Approval.kind == "batch",
                    col(Approval.status).in_([ApprovalStatus.EXECUTED, ApprovalStatus.CLAIMED]),
                    col(Approval.decided_by).startswith("user:"),
                )
            ).all()
        found: dict[tuple[str, str | None, str], tuple[dict[str, Any], set[str], list[str]]] = {}
        for batch in sorted(batches, key=lambda b: b.created_at):
            skip = set(batch.params.get("exclude") or [])
            verb = str(batch.params.get("verb", ""))
            if verb not in LEARNABLE:
                continue
            for number, item in enumerate(batch.params.get("items") or []):
                if number in skip or item.get("rule_id") is not None:
                    continue  # unticked, or a rule's own doing
                label = item.get("label") if verb == "label" else None
                kinds = [who(str(item["sender"]))]
                category = str(item.get("category") or "")
                if category in CATEGORY_MATCH:
                    kinds.append((f"category {category}", CATEGORY_MATCH[category]))
                key = key_of(str(item["sender"]), str(item["subject"]), str(item.get("date", "")))
                for kind, match in kinds:
                    entry = found.setdefault((verb, label, kind), (match, set(), []))
                    entry[1].add(batch.id)
                    entry[2].append(key)
        return [
            Candidate(verb, label, kind, match, frozenset(ids), tuple(keys))
            for (verb, label, kind), (match, ids, keys) in found.items()
        ]

    def known_rules(self) -> list[MailRule]:
        """Saved mail rules, and proposals waiting, turned down or once saved: none is proposed again."""
        rules = []
        with Session(self.engine) as session:
            for stored in session.exec(select(UserRule).where(UserRule.kind == RuleKind.MAIL)):
                try:
                    rules.append(MailRule.model_validate(stored.value))
                except ValueError:
                    continue
            for proposal in session.exec(
                select(Approval).where(Approval.kind == "rule", col(Approval.status).in_(_REMEMBERED))
            ):
                try:
                    rules.append(MailRule.model_validate(proposal.params["rule"]))
                except (KeyError, ValueError):
                    continue
        return rules

    def after_batch(self, batch_id: str) -> str | None:
        """After an approved batch ran: propose at most one rule that its approvals now call for."""
        batch = self.approvals.get(batch_id)
        if batch is None or not (batch.decided_by or "").startswith("user:"):
            return None
        known = self.known_rules()
        signatures = {signature(r) for r in known}
        with Session(self.engine) as session:
            seen = {s.key: s for s in session.exec(select(SeenMail))}
        # The sender (or domain) first: the narrower rule is the one a person would write.
        ranked = sorted(self.candidates(), key=lambda c: (not c.kind.startswith(("sender", "domain")), c.kind))
        for candidate in ranked:
            if batch_id not in candidate.batches or len(candidate.batches) < PROPOSE_AFTER:
                continue
            rule = candidate.rule()
            if signature(rule) in signatures:
                continue
            shown = [seen_of(seen[k]) if k in seen else Seen(*k.split("\n")[:2]) for k in candidate.items]
            if all(any(matches(r, s) for r in known if not r.retired) for s in shown):
                continue  # a rule (saved or proposed) already explains these approvals
            matching = seen_matching(self.engine, rule)
            if any(s.suspicious for s in matching):
                log.info("No rule proposed for %s: mail it matches was flagged as suspicious.", candidate.kind)
                continue
            why = (
                f"You approved '{rule.action.replace('_', ' ')}' for mail of the {candidate.kind} "
                f"{len(candidate.batches)} times."
            )
            return self.propose(batch.task_id, rule, why, matching).id
        return None

    def propose(self, task_id: str, rule: MailRule, why: str, matching: list[SeenMail], left_out: str = "") -> Approval:
        """A "rule" approval: the rule as data, what it would match; saved only when approved."""
        count = len(matching)
        said = f"Save the rule: {describe(rule)}"
        objects = [f"Would have matched {count} message(s) Deputy has seen"]
        objects += [f"{s.sender}: {s.subject}" for s in matching[:EXAMPLES_SHOWN]]
        if left_out:
            objects.append(f"Left out (a rule cannot match it): {left_out}")
        params: dict[str, Any] = {"rule": rule.to_value(), "past_matches": count, "why": why}
        if left_out:
            params["left_out"] = left_out
        return self.approvals.create(
            Draft(
                task_id=task_id,
                kind="rule",
                action="mail_rule",
                params=params,
                summary=said,
                objects=objects,
                policy_reason=f"{why} Saved only if you approve; you may change what it matches first.",
                risk="local",
                target=f"{count} past message(s) match",
                fingerprint="rule",
                ttl=PROPOSAL_TTL,
            ),
            waits=False,
        )

    # ---- saving ------------------------------------------------------------------------------------

    async def save(self, approval_id: str) -> None:
        """The runner of approved "rule" approvals: save the rule (as edited), once."""
        approval = self.approvals.get(approval_id)
        if approval is None or not self.approvals.claim(approval_id):
            return
        try:
            rule = MailRule.model_validate({**approval.params["rule"], "undos": 0, "retired": False})
        except (KeyError, ValueError) as error:
            self.approvals.finish(approval_id, ApprovalStatus.VOID, f"It is not a rule Deputy can save: {error}")
            return
        with Session(self.engine) as session:
            stored = UserRule(kind=RuleKind.MAIL.value, value=rule.to_value(), created_at=self.clock.now())
            session.add(stored)
            session.commit()
            session.refresh(stored)
        count = past_matches(self.engine, rule)
        said = f"Saved as rule {stored.id}: {rule.name} (it matches {count} message(s) seen so far)."
        self.audit.append(
            approval.task_id,
            "rule_saved",
            approval.decided_by or "user",
            reason=said,
            detail={"rule_id": stored.id, "summary": said},
            approval_id=approval_id,
        )
        self.approvals.finish(approval_id, ApprovalStatus.EXECUTED, said)

    # ---- retiring ----------------------------------------------------------------------------------

    def undone(self, record_id: int, task_id: str) -> None:
        """An undo listener: undoing a change a rule made counts against that rule; the second retires it."""
        with Session(self.engine) as session:
            applied = [
                r
                for r in session.exec(
                    select(AuditRecord).where(AuditRecord.task_id == task_id, AuditRecord.kind == "rule_applied")
                )
                if (r.detail or {}).get("record") == record_id
            ]
            if not applied:
                return
            rule_id = int((applied[0].detail or {})["rule_id"])
            stored = session.get(UserRule, rule_id)
            if stored is None or stored.kind != RuleKind.MAIL:
                return
            rule = MailRule.model_validate(stored.value)
            if rule.retired:
                return
            rule.undos += 1
            rule.retired = rule.undos >= RETIRE_AFTER_UNDOS
            stored.value = rule.to_value()
            session.add(stored)
            session.commit()
        if not rule.retired:
            note = f"rule {rule_id}: you undid what it did once; one more undo retires it"
            self.audit.append(task_id, "rule_undone", "policy", reason=note, detail={"rule_id": rule_id})
            return
        said = f"rule {rule_id} retired: you undid it {_times(rule.undos)}"
        self.audit.append(task_id, "rule_retired", "policy", reason=said, detail={"rule_id": rule_id, "summary": said})
        self.bus.publish("rule.retired", {"id": rule_id, "task_id": task_id, "name": rule.name, "message": said})
        with Session(self.engine) as session:
            task = session.get(Task, task_id)
            if task is not None:
                task.summary = f"{task.summary or ''} {said[0].upper()}{said[1:]}.".strip()
                task.updated_at = self.clock.now()
                session.add(task)
                session.commit()
        log.info("Task %s: %s.", task_id, said)


def _times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")
