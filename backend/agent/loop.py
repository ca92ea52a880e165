"""The agent loop: sample, run each tool_use through the executor, return results, repeat.

Every action goes through the executor (policy, approvals, write gate). Every call is checked against the
budgets first and recorded in the ledger after. Tool failures, refusals and rejections go back to the model
as tool_result errors it can read; only the stop conditions end the task.
"""

import asyncio
import contextlib
import json
import logging
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from importlib import resources
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from backend.actions import registry
from backend.agent.conversation import Conversation, page_view, size_bytes
from backend.agent.llm import ModelClient, ModelUnavailable
from backend.browser.session import BrowserSession
from backend.browser.snapshot import Snapshot, fence
from backend.clock import Clock
from backend.dreaming.notes import preferences
from backend.events import EventBus
from backend.ledger.budgets import Book, BudgetExceeded, PriceUnknown
from backend.ledger.money import dollars, usd
from backend.ledger.pricing import worst_case_cost
from backend.models import ApprovalStatus, AppState, Task, TaskStatus
from backend.models.task import ENDED_TASK
from backend.policy.audit import AuditLog, account
from backend.policy.executor import Executor, Outcome
from backend.policy.lifecycle import Draft, Lifecycle
from backend.tasks import set_status

log = logging.getLogger(__name__)

# The API adds hidden tokens around tools and messages; this margin keeps the upper bound above them.
HIDDEN_TOKENS_MARGIN = 800
NO_PROGRESS_LIMIT = 3
QUESTION_TTL = timedelta(hours=12)


@dataclass
class AgentSettings:
    max_tokens: int = 1024
    step_limit: int = 30
    budget_raise_micro_usd: int = 50_000  # what a "budget" approval offers to add at least ($0.05)


@dataclass
class Agent:
    """What a task's run uses, each passed in: the loop reaches through none of them."""

    engine: Engine
    executor: Executor  # the one path for actions
    approvals: Lifecycle  # the agent's questions and budget raises
    browser: BrowserSession  # to read the task's page
    audit: AuditLog
    book: Book
    bus: EventBus
    clock: Clock
    model: ModelClient
    settings: AgentSettings

    async def run(self, task_id: str) -> None:
        run = TaskRun(self, task_id)
        try:
            await run.go()
        except asyncio.CancelledError:
            run.stop(TaskStatus.CANCELLED, "Cancelled by the user.")
            raise
        except Exception as error:  # a bug must end the task visibly, not leave it "running"
            log.exception("Task %s failed unexpectedly.", task_id)
            run.stop(TaskStatus.FAILED, f"Deputy hit an internal error: {error}")


def system_prompt() -> str:
    return resources.files("backend.agent").joinpath("prompts/system.md").read_text(encoding="utf-8")


def tool_definitions() -> list[dict[str, Any]]:
    return [spec.tool_definition() for spec in registry.for_model()]


def untrusted(text: str) -> str:
    return fence(text.splitlines())


def tool_result(tool_use_id: str, outcome: Outcome) -> dict[str, Any]:
    text = outcome.message
    prefix = {
        "denied": "Refused by Deputy's policy: ",
        "rejected": "",
        "expired": "",
        "stale": "",
        "error": "Error: ",
        "failed": "Failed: ",
    }.get(outcome.status, "")
    text = prefix + text
    if outcome.result is not None and outcome.result.data:
        data = {k: v for k, v in outcome.result.data.items() if k not in ("untrusted", "path")}
        if data:
            payload = json.dumps(data, ensure_ascii=False)[:8000]
            text += "\n" + (untrusted(payload) if outcome.result.data.get("untrusted") else payload)
    block: dict[str, Any] = {"type": "tool_result", "tool_use_id": tool_use_id, "content": text}
    if outcome.status not in ("done",):
        block["is_error"] = True
    return block


class TaskRun:
    def __init__(self, agent: Agent, task_id: str) -> None:
        self.agent = agent
        self.task_id = task_id
        self.step = 0
        self.last_snapshot: Snapshot | None = None
        self.last_input_total = 0
        self.seen: Counter[str] = Counter()
        self.stopped = False
        self.unattended = False  # a scheduled run: approvals are queued for the user, never waited on

    # ---- state -------------------------------------------------------------------------------------

    def _task(self, session: Session) -> Task:
        task = session.get(Task, self.task_id)
        if task is None:
            raise LookupError(f"No task {self.task_id!r}.")
        return task

    def status(self, status: TaskStatus, summary: str | None = None, claim: str | None = None) -> None:
        with Session(self.agent.engine) as session:
            task = self._task(session)
            set_status(session, task, status, self.agent.clock.now(), summary)
            if claim is not None:
                task.claim = claim
            session.commit()
        kind = "task.finished" if status in ENDED_TASK else "task.updated"
        self.agent.bus.publish(
            kind, {"id": self.task_id, "status": status.value, "summary": summary, "step": self.step}
        )

    def stop(self, status: TaskStatus, why: str | None, waste: str | None = None, claim: str | None = None) -> None:
        """End the task. Its summary says what the audit log shows was done; the model's account is kept
        apart, as its claim."""
        if self.stopped:
            return
        self.stopped = True
        if waste is not None:
            self._audit("waste", waste)
        self.agent.approvals.void_open(self.task_id, ("question", "budget"), "Its task ended first.")
        done = account(self.agent.engine, self.task_id).sentence()
        summary = f"{why} {done}" if why else done
        self.status(status, summary, claim)
        log.info("Task %s ended: %s (%s).", self.task_id, status.value, summary)

    def _audit(self, kind: str, reason: str, detail: dict[str, Any] | None = None) -> None:
        self.agent.audit.append(self.task_id, kind, "agent", reason=reason, detail=detail)

    def _paused(self) -> bool:
        with Session(self.agent.engine) as session:
            state = session.get(AppState, 1)
            return bool(state and state.paused)

    async def _wait_while_paused(self) -> None:
        if not self._paused():
            return
        self.status(TaskStatus.WAITING, "Paused: waiting for the user to resume Deputy.")
        # Wake on any event (a resume publishes state.changed) and look again; the state is in the database.
        sub = self.agent.bus.subscribe()
        try:
            while self._paused():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(sub.queue.get(), 1.0)
        finally:
            self.agent.bus.unsubscribe(sub)
        self.status(TaskStatus.RUNNING)

    # ---- the loop ----------------------------------------------------------------------------------

    async def go(self) -> None:
        agent = self.agent
        with Session(agent.engine) as session:
            task = self._task(session)
            instruction, url = task.instruction, task.url
            self.unattended = task.unattended
        self.status(TaskStatus.RUNNING)
        if url:
            opened = await agent.executor.propose(self.task_id, "navigate", {"url": url}, origin="user")
            if opened.status != "done":
                self.stop(TaskStatus.FAILED, f"Could not open {url}: {opened.message}")
                return
        # Notes the person kept are preferences for the model; the policy never reads them.
        convo = Conversation(system_prompt() + preferences(agent.engine), tool_definitions())
        convo.start(instruction, url, await self._page())
        appended = size_bytes(convo.request())
        while not self.stopped:
            await self._wait_while_paused()
            if self.step >= agent.settings.step_limit:
                self.stop(TaskStatus.FAILED, f"Stopped after {self.step} model calls (the step limit).")
                return
            request = convo.request()
            total = size_bytes(request)
            upper = min(total // 2, self.last_input_total + appended // 2) if self.step else total // 2
            worst = worst_case_cost(agent.model.model, upper + HIDDEN_TOKENS_MARGIN, agent.settings.max_tokens)
            try:
                try:
                    reservation = agent.book.reserve(self.task_id, worst)
                except BudgetExceeded:
                    # The byte bound is generous; near the limit, ask the API for the exact count (free).
                    exact = await agent.model.count_tokens(request["system"], request["tools"], request["messages"])
                    if exact is None:
                        raise
                    worst = worst_case_cost(agent.model.model, exact, agent.settings.max_tokens)
                    reservation = agent.book.reserve(self.task_id, worst)
            except BudgetExceeded as over:
                if not await self._ask_for_budget(over):
                    return
                continue
            except PriceUnknown as unknown:
                self.stop(TaskStatus.FAILED, str(unknown))
                return
            try:
                reply = await agent.model.create(
                    request["system"], request["tools"], request["messages"], agent.settings.max_tokens
                )
            except ModelUnavailable as error:
                agent.book.release(reservation)
                self.stop(TaskStatus.FAILED, str(error))
                return
            except BaseException:
                agent.book.release(reservation)
                raise
            self.step += 1
            agent.book.record(reservation, reply.model, reply.usage, self.step, reply.latency_ms, reply.stop_reason)
            self.last_input_total = reply.usage.total_input + reply.usage.output_tokens
            before = len(convo.messages)
            convo.add_reply(reply.content)
            await self._act(convo, reply.content)
            appended = sum(size_bytes({"m": m}) for m in convo.messages[before:])

    async def _page(self) -> str:
        tab = await self.agent.browser.tab(self.task_id)
        await tab.settle()
        snapshot = await tab.snapshot()
        view = page_view(snapshot, self.last_snapshot)
        self.last_snapshot = snapshot
        tabs = tab.pages
        if len(tabs) > 1:
            view += f"\n(This task has {len(tabs)} tabs; you are on tab {tabs.index(tab.page)}.)"
        return view

    async def _act(self, convo: Conversation, content: list[dict[str, Any]]) -> None:
        uses = [block for block in content if block.get("type") == "tool_use"]
        said = " ".join(block.get("text", "") for block in content if block.get("type") == "text").strip()
        if not uses:
            self._audit("waste", "The model answered without using a tool.", {"text": said[:500]})
            convo.add_results([], None, "Use the tools to act, and call finish_task when the task is done.")
            if self.seen["no-tool"] >= 1:
                self.stop(TaskStatus.FAILED, "The model stopped without finishing the task.", waste="no tool use twice")
            self.seen["no-tool"] += 1
            return
        results = []
        for use in uses:
            if self.stopped:
                results.append({"type": "tool_result", "tool_use_id": use["id"], "content": "Not run: the task ended."})
                continue
            outcome = await self._propose(use["name"], use.get("input") or {}, said or None)
            results.append(tool_result(use["id"], outcome))
            result = outcome.result
            if result is not None and result.finished:
                ended = TaskStatus.FINISHED if result.ok else TaskStatus.FAILED
                self.stop(ended, None if result.ok else "The task could not be done.", claim=result.summary)
            elif outcome.status == "done" and result is not None and result.question:
                results[-1] = await self._ask_user(use["id"], result.question)
            key = json.dumps(
                [self.last_snapshot.fingerprint if self.last_snapshot else "", use["name"], use.get("input")]
            )
            self.seen[key] += 1
            if self.seen[key] >= NO_PROGRESS_LIMIT and not self.stopped:
                self.stop(
                    TaskStatus.FAILED,
                    f"Stopped: the model tried {use['name']} on the same page {NO_PROGRESS_LIMIT} times "
                    "without progress.",
                    waste="loop detected",
                )
        page = None if self.stopped else await self._page()
        convo.add_results(results, page)

    async def _propose(self, name: str, params: dict[str, Any], reason: str | None) -> Outcome:
        executor = self.agent.executor
        self.agent.bus.publish("step.started", {"task_id": self.task_id, "step": self.step, "action": name})
        outcome = await executor.propose(
            self.task_id, name, params, origin="model", reason=reason, waits=not self.unattended
        )
        if outcome.status == "pending" and outcome.approval_id and self.unattended:
            # Nobody is watching: the approval waits for the user and runs when they approve; the task moves on.
            return Outcome(
                "pending",
                f"Queued for the user's approval ({outcome.approval_id}); it runs if they approve it later. "
                "Do not try it another way; go on with what needs no approval.",
                outcome.approval_id,
                outcome.audit_id,
            )
        if outcome.status == "pending" and outcome.approval_id:
            self.status(TaskStatus.WAITING, f"Waiting for approval {outcome.approval_id}.")
            outcome = await executor.resolve(outcome.approval_id)
            self.status(TaskStatus.RUNNING)
        return outcome

    async def _ask_user(self, tool_use_id: str, question: str) -> dict[str, Any]:
        """Ask the user (popup, CLI, tray) and wait; the answer goes back to the model as the tool's result."""
        if self.unattended:
            return {
                "type": "tool_result",
                "tool_use_id": tool_use_id,
                "content": "Nobody can answer during a scheduled run. Do without the answer, or finish the task.",
                "is_error": True,
            }
        lifecycle = self.agent.approvals
        approval = lifecycle.create(
            Draft(
                task_id=self.task_id,
                kind="question",
                action="ask_user",
                params={"question": question},
                summary=f"Deputy asks: {question}",
                policy_reason="The agent needs your answer to go on.",
                risk="read",
                ttl=QUESTION_TTL,
            )
        )
        self.status(TaskStatus.WAITING, f"Waiting for your answer: {question}")
        status = await lifecycle.wait(approval.id)
        answered = lifecycle.get(approval.id)
        self.status(TaskStatus.RUNNING)
        if status is ApprovalStatus.APPROVED and answered is not None:
            lifecycle.finish(approval.id, ApprovalStatus.EXECUTED, "Answered.")
            answer = str(answered.params.get("answer", ""))
            return {"type": "tool_result", "tool_use_id": tool_use_id, "content": f"The user answered: {answer}"}
        why = answered.decision_reason if answered is not None and answered.decision_reason else "no answer came"
        return {
            "type": "tool_result",
            "tool_use_id": tool_use_id,
            "content": f"The user did not answer ({why}). Do without the answer, or finish the task.",
            "is_error": True,
        }

    async def _ask_for_budget(self, over: BudgetExceeded) -> bool:
        """Pause and ask for more budget; True if the user added some."""
        agent = self.agent
        if over.scope == "daily":
            self.stop(TaskStatus.FAILED, f"{over} Raise the daily budget with `deputy rules` to continue.")
            return False
        if self.unattended:
            self.stop(TaskStatus.FAILED, f"{over} A scheduled run stops at its job's budget instead of asking.")
            return False
        lifecycle = agent.approvals
        add = max(agent.settings.budget_raise_micro_usd, over.needed * 2)
        approval = lifecycle.create(
            Draft(
                task_id=self.task_id,
                kind="budget",
                action="raise_budget",
                params={"add_usd": usd(add), "add_micro_usd": add},
                summary=f"Add {dollars(add)} to this task's budget ({dollars(over.limit)} now)",
                policy_reason=f"{over} Approve to add {dollars(add)}.",
                risk="write",
                target=f"this task's budget ({dollars(over.limit)})",
                fingerprint="budget",
                ttl=timedelta(minutes=60),
            )
        )
        self.status(TaskStatus.WAITING, f"Paused before a call that could cross the budget; approval {approval.id}.")
        status = await lifecycle.wait(approval.id)
        if status is not ApprovalStatus.APPROVED:
            self.stop(TaskStatus.FAILED, f"Stopped at the budget ({dollars(over.limit)}); no more budget was given.")
            return False
        answered = lifecycle.get(approval.id)
        extra = int((answered.params if answered else {}).get("add_micro_usd", add))
        with Session(agent.engine) as session:
            task = self._task(session)
            task.budget_micro_usd = (task.budget_micro_usd or over.limit) + extra
            session.add(task)
            session.commit()
        lifecycle.finish(approval.id, ApprovalStatus.EXECUTED, f"Added {dollars(extra)} to the task's budget.")
        self.status(TaskStatus.RUNNING)
        return True
