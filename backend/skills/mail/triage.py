"""Triage: read the inbox page by page, sort it with rules first (zero tokens), then the reader, and ask for
each kind of change once, as a batch the user can untick item by item.

    open the inbox ─ read every page's rows ─ saved rules ─┬─ matched: planned, no model call
                                                          └─ the rest: the reader, one call per page (or
                                                             "waiting for a model key")
    planned changes, grouped by kind ─ batch approvals (at most 20 items each) ─ approved: exactly the
    ticked items run, one by one, each through the executor (recorded, with its undo)

Mail the reader calls suspicious is flagged to the user and nothing it asks for is done. Suggestions that
cannot be undone (unsubscribe) or that write mail (a reply) are listed for the user, never run from here.
Every row read is remembered (what the list shows), approved batches teach the learner, which proposes a
rule after the third approval of one kind, and each change a rule made is tied to it, so undoing it counts.
"""

import asyncio
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from backend.agent.llm import NO_KEY_MESSAGE
from backend.agent.runner import Jobs
from backend.browser.session import BrowserSession
from backend.clock import Clock
from backend.events import EventBus
from backend.models import ApprovalStatus, AuditRecord, RuleKind, Task, TaskStatus, UserRule
from backend.models.task import ENDED_TASK
from backend.policy.audit import AuditLog, account
from backend.policy.engine import MAX_DESTRUCTIVE_PER_TASK, MAX_ITEMS_PER_ACTION
from backend.policy.executor import Executor
from backend.policy.lifecycle import Draft, Lifecycle
from backend.skills.checkin.trips import keep_trip
from backend.skills.mail.inbox import ListPage, Row, key_of, read_rows, with_facts
from backend.skills.mail.labels import covers, label_choice, label_control
from backend.skills.mail.learning import Learner, remember_seen, verdicts_before
from backend.skills.mail.profiles import profile_for
from backend.skills.mail.reader import Reader, ReaderStopped
from backend.skills.mail.rules import ACTION_WORDS, MailRule, first_match
from backend.tasks import set_status

log = logging.getLogger(__name__)

INSTRUCTION = re.compile(r"\btriage\b|\bsort (my )?(inbox|mail)\b", re.IGNORECASE)
MAX_PAGES = 6
EVERY_ROW = 1_000  # a list page's rows, all shown by one snapshot
MESSAGES_PER_CALL = 50
# The words of a control's kind that a batch of each verb covers (checked by the executor).
# A "Move" beside a folder list archives where the site has no Archive button: triage picks the folder itself.
COVERS = {"archive": ["archive", "move"], "mark_read": ["read"], "star": ["star", "starred", "flag", "flagged"]}
ARCHIVE_FOLDER = "Archive"
RUNNABLE = (*COVERS, "label")
NOUNS = {"archive": "Archive", "mark_read": "Mark read", "star": "Star", "label": "Label"}


def is_triage(instruction: str) -> bool:
    return bool(INSTRUCTION.search(instruction))


@dataclass(frozen=True)
class Planned:
    row: Row
    verb: str
    why: str  # "rule 3" or "the reader: newsletters"
    rule_id: int | None = None
    label: str | None = None  # for "label": the label's name, from a rule or the reader's fixed categories


@dataclass
class Sorted:
    planned: list[Planned] = field(default_factory=list)
    flagged: list[tuple[Row, str]] = field(default_factory=list)
    suggested: list[tuple[Row, str]] = field(default_factory=list)  # unsubscribe / draft a reply: the user's call
    waiting: list[Row] = field(default_factory=list)  # not covered by a rule, and no model to read them
    by_rules: int = 0
    by_reader: int = 0
    read_before: int = 0  # sorted as the reader sorted them on an earlier pass, with no model call
    calls: int = 0
    stopped: str = ""


def saved_rules(engine: Engine) -> list[tuple[int, MailRule]]:
    with Session(engine) as session:
        stored = session.exec(select(UserRule).where(UserRule.kind == RuleKind.MAIL).order_by(col(UserRule.id))).all()
    rules = []
    for rule in stored:
        try:
            rules.append((int(rule.id or 0), MailRule.model_validate(rule.value)))
        except ValueError:
            log.warning("Mail rule %s is not a valid rule any more; it is skipped.", rule.id)
    return rules


def _done_already(verb: str, row: Row) -> bool:
    """Marking read mail read, or starring starred mail, would change nothing (a star toggles it off)."""
    return (verb == "mark_read" and not row.unread) or (verb == "star" and row.starred)


def batch_sentence(verb: str, items: list[dict[str, str]], label: str | None = None) -> str:
    kinds = Counter(item.get("category", "") for item in items)
    kind, count = kinds.most_common(1)[0] if kinds else ("", 0)
    noun = f"{kind} messages" if kind and count == len(items) else "messages"
    said = f"{NOUNS[verb]} {len(items)} {noun}"
    return f"{said} '{label}'" if verb == "label" and label else said


@dataclass
class Triage:
    """Triage runs: each part it uses is passed in (the app wires `run_later` as the batches' runner)."""

    engine: Engine
    executor: Executor  # the one path for actions
    approvals: Lifecycle  # batch approvals
    browser: BrowserSession  # to read the inbox
    audit: AuditLog
    bus: EventBus
    clock: Clock
    reader: Reader | None = None
    learner: Learner | None = None  # proposes rules from approvals, retires rules the user undoes

    # ---- a task ------------------------------------------------------------------------------------

    def __post_init__(self) -> None:
        self.jobs = Jobs(self._guarded, self.browser.close_tab)
        if self.learner is not None:
            self.executor.undo_listeners.append(self.learner.undone)

    def start(self, task_id: str) -> None:
        self.jobs.start(task_id)

    def is_running(self, task_id: str) -> bool:
        return self.jobs.is_running(task_id)

    def cancel(self, task_id: str) -> bool:
        return self.jobs.cancel(task_id)

    async def stop_all(self) -> None:
        await self.jobs.stop_all()

    async def _guarded(self, task_id: str) -> None:
        try:
            await self.run(task_id)
        except asyncio.CancelledError:
            self._end(task_id, TaskStatus.CANCELLED, "Cancelled by the user.")
            raise
        except Exception as error:  # a bug must end the task visibly, not leave it "running"
            log.exception("Triage task %s failed unexpectedly.", task_id)
            self._end(task_id, TaskStatus.FAILED, f"Deputy hit an internal error: {error}")

    def _status(self, task_id: str, status: TaskStatus, summary: str | None = None) -> None:
        with Session(self.engine) as session:
            task = session.get(Task, task_id)
            if task is None or task.status in ENDED_TASK:
                return
            set_status(session, task, status, self.clock.now(), summary)
            session.commit()
        kind = "task.finished" if status in ENDED_TASK else "task.updated"
        self.bus.publish(kind, {"id": task_id, "status": status.value, "summary": summary})

    def _end(self, task_id: str, status: TaskStatus, why: str) -> None:
        self.approvals.void_open(task_id, ("batch",), "Its triage ended first.")
        self._status(task_id, status, f"{why} {account(self.engine, task_id).sentence()}".strip())

    def _note(self, task_id: str, kind: str, reason: str, detail: dict[str, Any] | None = None) -> None:
        self.audit.append(task_id, kind, "triage", reason=reason, detail=detail)

    async def run(self, task_id: str) -> None:
        with Session(self.engine) as session:
            task = session.get(Task, task_id)
            if task is None:
                raise LookupError(f"No task {task_id!r}.")
            url, unattended = task.url, task.unattended
        self._status(task_id, TaskStatus.RUNNING)
        if not url:
            self._end(task_id, TaskStatus.FAILED, "Triage needs the inbox's address: start it with a URL.")
            return
        opened = await self.executor.propose(task_id, "navigate", {"url": url}, origin="user")
        if opened.status != "done":
            self._end(task_id, TaskStatus.FAILED, f"Could not open {url}: {opened.message}")
            return
        rows = await self._read_all(task_id)
        result = await self._sort(task_id, rows)
        self._note(task_id, "triage", self._report(len(rows), result), self._detail(result))
        batches = self._propose_batches(task_id, result.planned, url, waits=not unattended)
        if unattended:
            # Nobody is watching: the batches wait for the user (the digest lists them) and run when approved.
            queued = f" {len(batches)} batch approval(s) wait for you." if batches else ""
            said = f"{self._report(len(rows), result)}{queued} {account(self.engine, task_id).sentence()}"
            self._status(task_id, TaskStatus.FINISHED, said.strip())
            return
        if batches:
            self._status(task_id, TaskStatus.WAITING, f"Waiting for {len(batches)} batch approval(s).")
        await self._answer_batches(task_id, batches)
        self._end(task_id, TaskStatus.FINISHED, self._report(len(rows), result))

    # ---- reading -----------------------------------------------------------------------------------

    async def _page(self, task_id: str) -> ListPage:
        tab = await self.browser.tab(task_id)
        await tab.settle()
        snapshot = await tab.snapshot(max_items=EVERY_ROW)  # every row of the list, in one look
        page = read_rows(snapshot, profile_for(snapshot.url, snapshot.title))
        # What the rows show beyond their words (an address in a tooltip, bold, an icon, a selection).
        return with_facts(page, await tab.row_facts([row.handle for row in page.rows]))

    async def _read_all(self, task_id: str) -> list[Row]:
        rows: list[Row] = []
        seen: set[str] = set()
        for _ in range(MAX_PAGES):
            page = await self._page(task_id)
            fresh = [r for r in page.rows if r.key not in seen]
            if not fresh:
                break
            rows.extend(fresh)
            seen.update(r.key for r in fresh)
            if page.older is None:
                break
            turned = await self.executor.propose(task_id, "click", {"ref": page.older}, origin="triage")
            if turned.status != "done":
                break
        return rows

    async def _sort(self, task_id: str, rows: list[Row]) -> Sorted:
        result = Sorted()
        rules = saved_rules(self.engine)
        rest: list[tuple[int, Row]] = []
        for number, row in enumerate(rows):
            hit = first_match(rules, row.seen)
            if hit is None:
                rest.append((number, row))
                continue
            rule_id, rule = hit
            result.by_rules += 1
            if _done_already(rule.action, row):
                continue
            if rule.action in RUNNABLE:
                result.planned.append(Planned(row, rule.action, f"rule {rule_id}: {rule.name}", rule_id, rule.label))
            else:
                result.suggested.append((row, f"{ACTION_WORDS[rule.action]} '{rule.label}' (rule {rule_id})"))
        # A message the reader already read (same sender, subject and date) is not read, nor paid for, again:
        # its verdict then is planned as it was.
        before = verdicts_before(self.engine, [row.key for _, row in rest])
        unread: list[tuple[int, Row]] = []
        for number, row in rest:
            verdict = before.get(row.key)
            if verdict is None:
                unread.append((number, row))
                continue
            result.read_before += 1
            category, action, flagged = verdict
            self._plan(result, row, category, action, "flagged as suspicious when it was first read" if flagged else "")
        rest = unread
        read: dict[str, tuple[str, bool, str]] = {}
        try:
            if self.reader is None:
                result.waiting = [row for _, row in rest]
                return result
            await self._read(task_id, rest, result, read)
            return result
        finally:
            remember_seen(self.engine, self.clock, rows, read)

    async def _read(
        self, task_id: str, rest: list[tuple[int, Row]], result: Sorted, read: dict[str, tuple[str, bool, str]]
    ) -> None:
        """The reader's verdicts on what no rule covered, a page of messages per call."""
        assert self.reader is not None
        for start in range(0, len(rest), MESSAGES_PER_CALL):
            chunk = rest[start : start + MESSAGES_PER_CALL]
            try:
                reading = await self.reader.read(task_id, [(n, r.seen) for n, r in chunk], result.calls + 1)
            except ReaderStopped as stopped:
                result.stopped = str(stopped)
                result.waiting.extend(r for _, r in rest[start:])
                break
            result.calls += reading.calls
            for number, row in chunk:
                verdict = reading.verdicts.get(number)
                if verdict is None:
                    result.waiting.append(row)
                    continue
                result.by_reader += 1
                read[row.key] = (verdict.c, verdict.suspicious, verdict.a)
                if verdict.c == "travel" and verdict.t is not None and not verdict.suspicious:
                    keep_trip(self.engine, verdict.t, row.key, self.clock.now())
                self._plan(result, row, verdict.c, verdict.a, verdict.x.strip() if verdict.suspicious else "")

    @staticmethod
    def _plan(result: Sorted, row: Row, category: str, action: str, suspicious: str) -> None:
        """What a verdict (the reader's now, or the one it gave this message before) asks to do with a row."""
        if suspicious:
            result.flagged.append((row, suspicious))
        elif action == "label":
            # The label is the reader's category, from a fixed list: never words the reader wrote.
            result.planned.append(Planned(row, "label", f"the reader: {category}", label=category.title()))
        elif action in RUNNABLE and not _done_already(action, row):
            result.planned.append(Planned(row, action, f"the reader: {category}"))
        elif action in ("unsubscribe", "draft_reply"):
            result.suggested.append((row, "Unsubscribe" if action == "unsubscribe" else "Draft a reply"))

    def _report(self, total: int, result: Sorted) -> str:
        parts = [f"Read {total} messages: {result.by_rules} sorted by your rules (no model call)"]
        if result.read_before:
            parts.append(f"{result.read_before} as the reader sorted them before (no model call)")
        if result.by_reader:
            parts.append(f"{result.by_reader} by the reader in {result.calls} call(s)")
        if result.flagged:
            parts.append(f"{len(result.flagged)} flagged as suspicious (nothing they ask was done)")
        if result.waiting:
            why = result.stopped or NO_KEY_MESSAGE
            parts.append(
                f"{len(result.waiting)} waiting for a model key. {why}"
                if not result.stopped
                else f"{len(result.waiting)} left unsorted: {why}"
            )
        return "; ".join(parts) + "."

    def _detail(self, result: Sorted) -> dict[str, Any]:
        def item(row: Row) -> dict[str, str]:
            return {"sender": row.sender, "subject": row.subject}

        return {
            "by_rules": result.by_rules,
            "by_reader": result.by_reader,
            "read_before": result.read_before,
            "calls": result.calls,
            "flagged": [{**item(r), "why": why} for r, why in result.flagged],
            "suggested": [{**item(r), "suggestion": s} for r, s in result.suggested],
            "waiting": [item(r) for r in result.waiting],
        }

    # ---- batches -----------------------------------------------------------------------------------

    def _propose_batches(self, task_id: str, planned: list[Planned], url: str, waits: bool = True) -> list[str]:
        by_verb: dict[tuple[str, str | None], list[Planned]] = {}
        for plan in planned[:MAX_DESTRUCTIVE_PER_TASK]:
            by_verb.setdefault((plan.verb, plan.label if plan.verb == "label" else None), []).append(plan)
        ids = []
        for (verb, label), plans in by_verb.items():
            for start in range(0, len(plans), MAX_ITEMS_PER_ACTION):
                chunk = plans[start : start + MAX_ITEMS_PER_ACTION]
                items = [
                    {
                        "sender": p.row.sender,
                        "subject": p.row.subject,
                        "date": p.row.date,
                        "why": p.why,
                        "category": p.why.split(": ", 1)[1] if p.rule_id is None else "",
                        "rule_id": p.rule_id,
                        **({"label": label} if label else {}),
                    }
                    for p in chunk
                ]
                summary = batch_sentence(verb, items, label)
                covered = covers(label or "") if verb == "label" else COVERS[verb]
                extra = {"label": label} if label else {}
                approval = self.approvals.create(
                    Draft(
                        task_id=task_id,
                        kind="batch",
                        action=verb,
                        params={"verb": verb, "covers": covered, "url": url, "items": items, "exclude": [], **extra},
                        summary=summary,
                        objects=[f"{i['sender']}: {i['subject']} ({i['date']})".replace(" ()", "") for i in items],
                        policy_reason=f"Needs your approval: {summary.lower()}; untick any you want left alone.",
                        risk="write",
                        target=f"{len(items)} messages in the inbox",
                        page_url=url,
                        fingerprint="batch",
                    ),
                    waits=waits,
                )
                ids.append(approval.id)
        return ids

    async def _answer_batches(self, task_id: str, batches: list[str]) -> None:
        lifecycle = self.approvals
        waiting = {asyncio.ensure_future(lifecycle.wait(b)): b for b in batches}
        while waiting:
            done, _ = await asyncio.wait(list(waiting), return_when=asyncio.FIRST_COMPLETED)
            for future in done:
                batch_id = waiting.pop(future)
                if future.result() is ApprovalStatus.APPROVED:
                    self._status(task_id, TaskStatus.RUNNING)
                    await self.run_batch(batch_id)
            if waiting:
                self._status(task_id, TaskStatus.WAITING, f"Waiting for {len(waiting)} batch approval(s).")

    async def run_later(self, batch_id: str) -> None:
        """An approved batch nobody waits for (a restart): run it once, on a fresh tab."""
        await self.run_batch(batch_id)
        approval = self.approvals.get(batch_id)
        if approval is not None:
            await self.browser.close_tab(approval.task_id)

    async def run_batch(self, batch_id: str) -> None:
        """Run exactly the ticked items of an approved batch, each through the executor under the batch."""
        lifecycle = self.approvals
        approval = lifecycle.get(batch_id)
        if approval is None or not lifecycle.claim(batch_id):
            return
        params = approval.params
        verb, task_id = str(params["verb"]), approval.task_id
        skip = set(params.get("exclude") or [])
        chosen = [item for n, item in enumerate(params["items"]) if n not in skip]
        done, failed = 0, []
        for item in chosen:
            why = await self._act_on(task_id, str(params["url"]), verb, item, batch_id)
            if not why and item.get("rule_id") is not None:
                self._applied(task_id, batch_id, int(item["rule_id"]))
            if why:
                failed.append(f"{item['subject']!r}: {why}")
            else:
                done += 1
        said = f"{NOUNS[verb]}: {done} of {len(chosen)} done"
        if failed:
            said += "; not done: " + "; ".join(failed)
        lifecycle.finish(batch_id, ApprovalStatus.EXECUTED, ("Done: " if not failed else "Partly done: ") + said)
        if self.learner is not None and done:
            self.learner.after_batch(batch_id)

    def _applied(self, task_id: str, batch_id: str, rule_id: int) -> None:
        """Tie the change just recorded to the rule that caused it, so undoing it counts against the rule."""
        with Session(self.engine) as session:
            last = session.exec(
                select(AuditRecord)
                .where(AuditRecord.approval_id == batch_id, AuditRecord.kind == "executed")
                .order_by(col(AuditRecord.id).desc())
            ).first()
        if last is not None and last.undo is not None:
            self.audit.append(
                task_id,
                "rule_applied",
                "triage",
                reason=f"rule {rule_id} did this",
                detail={"rule_id": rule_id, "record": last.id},
                approval_id=batch_id,
            )

    async def _act_on(self, task_id: str, url: str, verb: str, item: dict[str, Any], batch_id: str) -> str:
        """Do `verb` to the message `item`, alone; '' when done, else why not."""
        key = key_of(str(item["sender"]), str(item["subject"]), str(item.get("date", "")))
        row, page = await self._find(task_id, url, key)
        if row is None:
            return "it is no longer in the list"
        origin = "triage"
        if verb == "star" and row.star:
            outcome = await self.executor.propose(task_id, "click", {"ref": row.star}, origin=origin, under=batch_id)
            return "" if outcome.status == "done" else outcome.message
        why = await self._select(task_id, row, page)
        if why:
            return why
        if verb == "label":
            return await self._label(task_id, row, str(item.get("label") or ""), batch_id)
        page = await self._page(task_id)
        if [r for r in page.rows if r.selected and r.key != row.key]:
            # The site's control acts on every selected row: never on one the user did not approve.
            await self._unselect(task_id, row)
            return "other messages were selected with it, so nothing was done"
        control = page.controls.get(verb)
        for menu in page.menus if control is None else []:
            # Bulk actions hidden in a menu ("More" -> "Move to archive"): opening a menu only shows it.
            opened = await self.executor.propose(task_id, "click", {"ref": menu}, origin=origin)
            page = await self._page(task_id)
            control = page.controls.get(verb)
            if opened.status != "done" or control is not None:
                break
        if control is None and verb == "archive" and page.mover is not None:
            return await self._move(task_id, page, batch_id)
        if control is None:
            await self._unselect(task_id, row)
            return f"this site shows no control to {NOUNS[verb].lower()}"
        outcome = await self.executor.propose(task_id, "click", {"ref": control}, origin=origin, under=batch_id)
        return "" if outcome.status == "done" else outcome.message

    async def _select(self, task_id: str, row: Row, page: ListPage) -> str:
        """Select the row the way its list selects: tick its checkbox, or click the row; '' once it is selected."""
        if row.box:
            ticked = await self.executor.propose(task_id, "check", {"ref": row.box, "checked": True}, origin="triage")
            return "" if ticked.status == "done" else ticked.message
        if row.selected:
            return ""
        # A row already selected (the message open beside the list) is replaced by a plain click; with none,
        # Ctrl (Meta on macOS) selects this one alone without opening it.
        others = any(r.selected for r in page.rows if r.key != row.key)
        picked = await self.executor.propose(
            task_id, "select_row", {"ref": row.pick, "add": not others}, origin="triage"
        )
        return "" if picked.status == "done" else picked.message

    async def _unselect(self, task_id: str, row: Row) -> None:
        if row.box:
            await self.executor.propose(task_id, "check", {"ref": row.box, "checked": False}, origin="triage")

    async def _move(self, task_id: str, page: ListPage, batch_id: str) -> str:
        """Archive the selected row through a folder list and its Move control."""
        assert page.mover is not None
        chosen = await self.executor.propose(
            task_id, "select_option", {"ref": page.mover.folders, "values": [ARCHIVE_FOLDER]}, origin="triage"
        )
        if chosen.status != "done":
            return f"this site has no {ARCHIVE_FOLDER} folder to move it to"
        moved = await self.executor.propose(task_id, "click", {"ref": page.mover.move}, origin="triage", under=batch_id)
        return "" if moved.status == "done" else moved.message

    async def _label(self, task_id: str, row: Row, label: str, batch_id: str) -> str:
        """Label the selected row through the site's own label control and the label's own menu item."""
        origin = "triage"
        tab = await self.browser.tab(task_id)
        await tab.settle()
        control = label_control(await tab.snapshot())
        if control is None:
            await self._unselect(task_id, row)
            return "this site shows no control to label mail"
        opened = await self.executor.propose(task_id, "click", {"ref": control}, origin=origin, under=batch_id)
        if opened.status != "done":
            return opened.message
        await tab.settle()
        choice = label_choice(await tab.snapshot(), label)
        if choice is None:
            await self.executor.propose(task_id, "press_key", {"key": "Escape"}, origin=origin)
            await self._unselect(task_id, row)
            return f"this site has no label '{label}'"
        outcome = await self.executor.propose(task_id, "click", {"ref": choice}, origin=origin, under=batch_id)
        return "" if outcome.status == "done" else outcome.message

    async def _find(self, task_id: str, url: str, key: str) -> tuple[Row | None, ListPage]:
        """The row of this message: on the page shown now, else from the list's first page onwards."""
        page = await self._page(task_id)
        row = next((r for r in page.rows if r.key == key), None)
        if row is not None:
            return row, page
        await self.executor.propose(task_id, "navigate", {"url": url}, origin="triage")
        page = await self._page(task_id)
        for _ in range(MAX_PAGES):
            # Some webmails reopen the page of the list last shown: back to the newest first, looking on the way.
            row = next((r for r in page.rows if r.key == key), None)
            if row is not None:
                return row, page
            if page.newer is None:
                break
            turned = await self.executor.propose(task_id, "click", {"ref": page.newer}, origin="triage")
            if turned.status != "done":
                break
            page = await self._page(task_id)
        for _ in range(MAX_PAGES):
            page = await self._page(task_id)
            row = next((r for r in page.rows if r.key == key), None)
            if row is not None or page.older is None:
                return row, page
            turned = await self.executor.propose(task_id, "click", {"ref": page.older}, origin="triage")
            if turned.status != "done":
                break
        return None, page
