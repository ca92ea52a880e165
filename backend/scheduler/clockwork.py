"""APScheduler on the server's loop, reading time from Deputy's clock.

APScheduler 3 reads the wall clock when it looks for due jobs; Deputy's clock is injected (tests move a
fake one), so the one loop that decides what is due is replaced here. The rest is APScheduler's own: the
job store in Deputy's database, the triggers, the timer on the asyncio loop. Missed run times are always
folded into one run (coalesced), so a machine that slept a week does not run a job 2,000 times.
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from apscheduler.job import Job
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.schedulers.base import STATE_PAUSED

from backend.clock import Clock

log = logging.getLogger(__name__)

# Called with the job, the run time it stands for (the latest due) and how many earlier ones it folds in.
OnDue = Callable[[Job, datetime, int], None]

LONGEST_WAIT = 3600.0  # look again at least hourly, so a clock that jumped (sleep, a test) is noticed


class Clockwork(AsyncIOScheduler):
    def __init__(self, clock: Clock, on_due: OnDue, **options: object) -> None:
        super().__init__(**options)
        self.clock = clock
        self.on_due = on_due

    def now(self) -> datetime:
        return self.clock.now().astimezone(self.timezone)

    def _process_jobs(self) -> float | None:
        if self.state == STATE_PAUSED:
            return None
        now = self.now()
        wake: datetime | None = None
        with self._jobstores_lock:
            for alias, store in self._jobstores.items():
                try:
                    due = store.get_due_jobs(now)
                except Exception as error:  # a locked or vanished database: try again soon, do not die
                    log.warning("Could not read the scheduled jobs (%s); trying again in 10 s.", error)
                    retry = now + timedelta(seconds=10)
                    wake = retry if wake is None else min(wake, retry)
                    continue
                for job in due:
                    run_times = job._get_run_times(now)
                    if not run_times:
                        continue
                    # The next run is stored before this one starts: a kill during the run loses that run
                    # (recorded as interrupted at the next start), never repeats it.
                    following = job.trigger.get_next_fire_time(run_times[-1], now)
                    if following is None:
                        self.remove_job(job.id, alias)
                    else:
                        job._modify(next_run_time=following)
                        store.update_job(job)
                    try:
                        self.on_due(job, run_times[-1], len(run_times) - 1)
                    except Exception:
                        log.exception("Scheduled job %s could not be started.", job.id)
                upcoming = store.get_next_run_time()
                if upcoming is not None:
                    upcoming = upcoming.astimezone(self.timezone)
                    wake = upcoming if wake is None else min(wake, upcoming)
        if wake is None:
            return LONGEST_WAIT
        return min(max((wake - self.now()).total_seconds(), 0.0), LONGEST_WAIT)
