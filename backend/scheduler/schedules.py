"""Deputy's schedule: jobs added, listed, switched on and off, removed and run now; each run recorded.

add ─ APScheduler job (its store is Deputy's database) ─ due (Deputy's clock) ─┬─ still useful: one run
                                                                              └─ too late: skipped, said
a run ─ its kind's work (unattended) ─ recorded (ScheduledRun) ─ "schedule.ran" to every surface
"""

import asyncio
import logging
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from apscheduler.job import Job
from apscheduler.jobstores.base import JobLookupError
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlmodel import Session, col, select

from backend.models import ScheduledRun
from backend.models.schedule import RunStatus, ScheduleCreate
from backend.scheduler.clockwork import Clockwork
from backend.scheduler.kinds import BUILTIN, KINDS, Kind, Ran, Run, RunError, check_params

if TYPE_CHECKING:
    from backend.api.deps import AppContext

log = logging.getLogger(__name__)

JOB_TABLE = "scheduled_job"


class ScheduleError(Exception):
    """A request about the schedule that cannot be done; `status` is the HTTP status the API gives it."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


async def fire(
    kind: str,
    params: dict[str, Any],
    when: dict[str, Any],
    schedules: "Schedules | None" = None,
    run: Run | None = None,
) -> None:
    """What every stored job calls: its kind's work, recorded. APScheduler checks a job's stored arguments
    (kind, params, when) against this signature; the live parts are passed in when it runs."""
    if schedules is None or run is None:
        raise RuntimeError("A scheduled job runs only through Deputy's schedule.")
    await schedules.execute(run, KINDS[kind])


class Schedules:
    def __init__(self, ctx: "AppContext") -> None:
        self.ctx = ctx
        self.clock = ctx.clock
        self.timezone = datetime.now().astimezone().tzinfo
        self.scheduler = Clockwork(
            ctx.clock,
            self._due,
            jobstores={"default": SQLAlchemyJobStore(engine=ctx.engine, tablename=JOB_TABLE)},
            timezone=self.timezone,
        )
        self._running: dict[str, asyncio.Task[None]] = {}

    # ---- start and stop --------------------------------------------------------------------------

    def start(self) -> None:
        """On the server's loop: runs cut off by a stop are told as such, then missed runs are looked at."""
        now = self.clock.now()
        with Session(self.ctx.engine) as session:
            for run in session.exec(select(ScheduledRun).where(ScheduledRun.status == RunStatus.RUNNING)):
                run.status = RunStatus.INTERRUPTED
                run.finished_at = now
                run.summary = "Deputy stopped while this ran; it was not finished."
                session.add(run)
            session.commit()
        self.scheduler.start()
        for schedule_id, (kind, when) in BUILTIN.items():
            if self.scheduler.get_job(schedule_id) is None:
                self._add(schedule_id, KINDS[kind], "Offer check-in when a trip's window opens", {}, when, True)

    async def stop(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        jobs = list(self._running.values())
        for job in jobs:
            job.cancel()
        await asyncio.gather(*jobs, return_exceptions=True)

    def wakeup(self) -> None:
        """Look for due jobs now (after the clock moved, or on wake from sleep)."""
        self.scheduler.wakeup()

    # ---- the jobs --------------------------------------------------------------------------------

    def _trigger(self, when: dict[str, Any]) -> BaseTrigger:
        now = self.clock.now().astimezone(self.timezone)
        if "cron" in when:
            try:
                return CronTrigger.from_crontab(when["cron"], timezone=self.timezone)
            except ValueError as error:
                raise ScheduleError(422, f"{when['cron']!r} is not a cron schedule: {error}.") from None
        if "every_seconds" in when:
            every = timedelta(seconds=int(when["every_seconds"]))
            return IntervalTrigger(seconds=every.total_seconds(), start_date=now + every, timezone=self.timezone)
        at = when["at"]
        at = at if at.tzinfo is not None else at.replace(tzinfo=self.timezone)
        if at <= now:
            raise ScheduleError(422, f"{at.isoformat()} has passed: a one-off job needs a time in the future.")
        return DateTrigger(run_date=at, timezone=self.timezone)

    def add(self, body: ScheduleCreate) -> dict[str, Any]:
        kind = KINDS.get(body.kind)
        if kind is None:
            raise ScheduleError(422, f"No kind of job {body.kind!r}; the kinds are {', '.join(sorted(KINDS))}.")
        try:
            params = check_params(kind, dict(body.params))
        except ValueError as error:
            raise ScheduleError(422, f"Cannot add this job: {error}.") from None
        when: dict[str, Any] = (
            {"cron": body.cron}
            if body.cron
            else {"every_seconds": body.every_seconds}
            if body.every_seconds
            else {"at": body.at}
            if body.at
            else dict(kind.default_when)
        )
        title = (body.title or "").strip() or kind.title
        return self._add("s_" + secrets.token_hex(5), kind, title, params, when, body.enabled)

    def _add(
        self, schedule_id: str, kind: Kind, title: str, params: dict[str, Any], when: dict[str, Any], enabled: bool
    ) -> dict[str, Any]:
        trigger = self._trigger(when)
        first = trigger.get_next_fire_time(None, self.clock.now().astimezone(self.timezone))
        stored_when = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in when.items()}
        job = self.scheduler.add_job(
            fire,
            trigger=trigger,
            id=schedule_id,
            name=title,
            kwargs={"kind": kind.name, "params": params, "when": stored_when},
            next_run_time=first if enabled else None,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=None,
        )
        log.info("Added scheduled job %s (%s).", schedule_id, title)
        return self.public(job)

    def _job(self, schedule_id: str) -> Job:
        job = self.scheduler.get_job(schedule_id)
        if job is None:
            raise ScheduleError(404, f"No scheduled job {schedule_id!r}; `deputy schedule` lists them.")
        return job

    def find(self, prefix: str) -> str:
        """A job's id from any unique prefix of it (what the CLI shows)."""
        ids = [job.id for job in self.scheduler.get_jobs() if job.id.startswith(prefix)]
        if len(ids) != 1:
            some = "No" if not ids else "More than one"
            raise ScheduleError(404, f"{some} scheduled job matches {prefix!r}; `deputy schedule` lists them.")
        return ids[0]

    def list(self) -> list[dict[str, Any]]:
        # Built-in jobs are Deputy's own plumbing (the check-in offer), not something the user set up.
        return [self.public(job) for job in self.scheduler.get_jobs() if job.id not in BUILTIN]

    def get(self, schedule_id: str) -> dict[str, Any]:
        return self.public(self._job(schedule_id))

    def remove(self, schedule_id: str) -> dict[str, Any]:
        job = self._job(schedule_id)
        shown = self.public(job)
        try:
            self.scheduler.remove_job(schedule_id)
        except JobLookupError:
            raise ScheduleError(404, f"No scheduled job {schedule_id!r}.") from None
        return shown

    def set_enabled(self, schedule_id: str, enabled: bool) -> dict[str, Any]:
        job = self._job(schedule_id)
        upcoming = job.trigger.get_next_fire_time(None, self.clock.now().astimezone(self.timezone)) if enabled else None
        if enabled and upcoming is None:
            raise ScheduleError(409, f"{job.name} has no run left to switch on (its time has passed).")
        job = self.scheduler.modify_job(schedule_id, next_run_time=upcoming)
        return self.public(job)

    def run_now(self, schedule_id: str) -> dict[str, Any]:
        job = self._job(schedule_id)
        if schedule_id in self._running:
            raise ScheduleError(409, f"{job.name} is running now; wait for it to finish.")
        run = self._record(job, self.clock.now(), 0, "user")
        self._start(job, run)
        return {**self.public(job), "run_id": run.run_id}

    # ---- runs ------------------------------------------------------------------------------------

    def _due(self, job: Job, due: datetime, missed: int) -> None:
        kind = KINDS.get(job.kwargs.get("kind", ""))
        now = self.clock.now()
        if kind is None:
            log.warning("Scheduled job %s is of a kind Deputy no longer has; it is left alone.", job.id)
            return
        if job.id in self._running:
            log.info("Scheduled job %s is still running; this run is not started twice.", job.id)
            return
        late = now - due
        if kind.grace is not None and late > kind.grace:
            self._skip(job, due, missed, late, kind)
            return
        self._start(job, self._record(job, due, missed, "schedule"))

    def _skip(self, job: Job, due: datetime, missed: int, late: timedelta, kind: Kind) -> None:
        hours = late.total_seconds() / 3600
        with Session(self.ctx.engine) as session:
            session.add(
                ScheduledRun(
                    schedule_id=job.id,
                    kind=kind.name,
                    title=job.name,
                    due_at=due,
                    started_at=self.clock.now(),
                    finished_at=self.clock.now(),
                    status=RunStatus.SKIPPED,
                    missed=missed,
                    summary=f"Missed by {hours:.1f} h (Deputy was not running); too late to be useful, so not run.",
                )
            )
            session.commit()

    def _record(self, job: Job, due: datetime, missed: int, by: str) -> Run:
        with Session(self.ctx.engine) as session:
            record = ScheduledRun(
                schedule_id=job.id,
                kind=str(job.kwargs["kind"]),
                title=job.name,
                due_at=due,
                started_at=self.clock.now(),
                missed=missed,
                by=by,
            )
            session.add(record)
            session.commit()
            run_id = int(record.id or 0)
        return Run(job.id, run_id, job.name, dict(job.kwargs.get("params") or {}))

    def _start(self, job: Job, run: Run) -> None:
        loop = self.ctx.loop
        assert loop is not None

        def begin() -> None:
            task = loop.create_task(job.func(**job.kwargs, schedules=self, run=run), name=f"schedule-{job.id}")
            self._running[job.id] = task
            task.add_done_callback(lambda _: self._running.pop(job.id, None))

        loop.call_soon_threadsafe(begin)

    async def execute(self, run: Run, kind: Kind) -> None:
        try:
            ran = await kind.work(self.ctx, run)
        except RunError as error:
            ran = Ran(str(error), failed=True)
        except asyncio.CancelledError:
            self._finish(run, Ran("Stopped: Deputy shut down while this ran.", failed=True), RunStatus.INTERRUPTED)
            raise
        except Exception as error:  # a bug must end the run visibly, not leave it "running"
            log.exception("Scheduled job %s failed unexpectedly.", run.schedule_id)
            ran = Ran(f"Deputy hit an internal error: {error}", failed=True)
        self._finish(run, ran, RunStatus.FAILED if ran.failed else RunStatus.DONE)

    def _finish(self, run: Run, ran: Ran, status: RunStatus) -> None:
        with Session(self.ctx.engine) as session:
            record = session.get(ScheduledRun, run.run_id)
            if record is None:
                return
            if ran.quiet and status is RunStatus.DONE and record.by == "schedule":
                session.delete(record)
                session.commit()
                return
            record.status = status
            record.finished_at = self.clock.now()
            record.summary = ran.summary
            record.task_id = ran.task_id
            record.detail = ran.detail
            session.add(record)
            session.commit()
        self.ctx.bus.publish(
            "schedule.ran",
            {"schedule_id": run.schedule_id, "title": run.title, "status": status.value, "summary": ran.summary},
        )

    # ---- shown -----------------------------------------------------------------------------------

    def public(self, job: Job) -> dict[str, Any]:
        with Session(self.ctx.engine) as session:
            last = session.exec(
                select(ScheduledRun)
                .where(ScheduledRun.schedule_id == job.id)
                .order_by(col(ScheduledRun.id).desc())
                .limit(1)
            ).first()
        upcoming = job.next_run_time
        return {
            "id": job.id,
            "title": job.name,
            "kind": job.kwargs.get("kind"),
            "params": job.kwargs.get("params") or {},
            "when": job.kwargs.get("when") or {},
            "enabled": upcoming is not None,
            "next_run_at": upcoming.isoformat() if upcoming else None,
            "running": job.id in self._running,
            "last_run": None
            if last is None
            else {
                "status": last.status,
                "started_at": last.started_at.isoformat(),
                "summary": last.summary,
                "task_id": last.task_id,
            },
        }
