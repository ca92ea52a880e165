"""Benchmark: what the deploy watch costs when nothing happens, and how fast it tells of a failing rollout.

Run with `.venv/bin/python scripts/bench/watch.py [--minutes N]`. It starts Deputy and Demo Deploy on
loopback and adds a deploy watch on checkout-api every 5 s.
1. Quiet watching: a fake clock moves 5 s at a time for N minutes of watching (60 by default), one look per
   step; it prints the looks, the model calls, tokens and dollars (target $0), scaled to one hour.
2. Time to notification: on the real clock at a 5 s interval, Demo Deploy's next rollout is scripted to
   fail at 40%; it prints the seconds from the failure to the "watch.alert" event (target < 10 s).
3. Tokens per incident: the model calls recorded for that incident.
Figures only; nothing here asserts on time.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import func
from sqlmodel import Session, col, select

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from backend.clock import ManualClock, SystemClock
from backend.demo.deploy.app import create_app
from backend.ledger.money import dollars
from backend.models import ModelCall, ScheduledRun
from backend.servers import ThreadedServer
from tests.live import Deputy, start_deputy

INTERVAL = 5


def spent(deputy: Deputy) -> tuple[int, int, int]:
    with Session(deputy.ctx.engine) as session:
        calls, tokens, cost = session.exec(
            select(
                func.count(),
                func.coalesce(func.sum(ModelCall.input_tokens + ModelCall.output_tokens), 0),
                func.coalesce(func.sum(ModelCall.cost_micro_usd), 0),
            )
        ).one()
    return int(calls), int(tokens), int(cost)


def looks(deputy: Deputy) -> int:
    with Session(deputy.ctx.engine) as session:
        query = select(func.count()).where(
            col(ScheduledRun.kind) == "deploy_watch", col(ScheduledRun.finished_at).is_not(None)
        )
        return int(session.exec(query).one())


def quiet(site: str, minutes: int) -> None:
    clock = ManualClock()
    with tempfile.TemporaryDirectory() as data, start_deputy(Path(data), clock=clock) as deputy:
        token = deputy.local_token
        body = {"kind": "deploy_watch", "params": {"url": f"{site}/services/checkout-api"}, "every_seconds": INTERVAL}
        deputy.post("/api/schedules", body, token=token).raise_for_status()
        steps = minutes * 60 // INTERVAL
        for step in range(1, steps + 1):
            clock.advance(INTERVAL)
            deputy.ctx.schedules.wakeup()
            deputy.wait(lambda s=step: looks(deputy) >= s, 60, f"look {step}")
        calls, tokens, cost = spent(deputy)
        scale = 60 / minutes
        print(f"quiet watching: {looks(deputy)} looks in {minutes} simulated min at {INTERVAL} s")
        print(f"  model calls {calls}, tokens {tokens}, cost {dollars(cost)}")
        print(f"  per hour: tokens {tokens * scale:.0f}, cost {dollars(int(cost * scale))} (target $0)")


def incident(site: str) -> None:
    client = httpx.Client(base_url=site)
    client.post("/_test/reset").raise_for_status()
    with tempfile.TemporaryDirectory() as data, start_deputy(Path(data), clock=SystemClock()) as deputy:
        token = deputy.local_token
        body = {"kind": "deploy_watch", "params": {"url": f"{site}/services/checkout-api"}, "every_seconds": INTERVAL}
        deputy.post("/api/schedules", body, token=token).raise_for_status()
        deputy.wait(lambda: looks(deputy) >= 1, 30, "the first look")
        sub = deputy.ctx.bus.subscribe()
        before = spent(deputy)
        control = {"service": "checkout-api", "next_deploy": {"outcome": "fail", "fail_at_percent": 40}}
        client.post("/_test/control", json=control).raise_for_status()
        client.post("/api/deployments/d-1022/promote").raise_for_status()
        client.post("/_test/advance", json={"seconds": 60}).raise_for_status()  # the rollout fails now
        failed_at = time.monotonic()
        alert = None
        while alert is None and time.monotonic() - failed_at < 60:
            while not sub.queue.empty():
                event = sub.queue.get_nowait()
                if event["type"] == "watch.alert":
                    alert = event
            time.sleep(0.02)
        took = time.monotonic() - failed_at
        after = spent(deputy)
        if alert is None:
            print("time to notification: no alert within 60 s")
            return
        print(f"time from failing rollout to notification: {took:.1f} s at a {INTERVAL} s interval (target < 10 s)")
        print(f"  evidence lines: {len(alert['data']['evidence'])}; rollback approval: {alert['data']['approval_id']}")
        print(f"tokens per incident: {after[1] - before[1]} ({after[0] - before[0]} model calls)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, default=60, help="simulated minutes of quiet watching")
    args = parser.parse_args()
    with ThreadedServer(create_app()) as site:
        quiet(site.url, args.minutes)
        incident(site.url)


if __name__ == "__main__":
    main()
