"""Benchmark: one check-in on each airline with the scripted model. Prints figures; asserts nothing.

Run with `.venv/bin/python scripts/bench/checkin.py`. It serves Demo Air and Skylark (the test airline with a
cookie wall, a seat grid and a session that times out mid-flow), starts Deputy (real clock) with its agent
pointed at the scripted Messages API server (tests/model_server), whose pilot reads only the page, saves a
traveller profile, and checks in: Demo Air's two-passenger booking FM5W6C, Skylark's three-passenger K7MQ2X.
Every approval is given as soon as it shows. For each airline it prints: steps (actions executed), model
calls, tokens by kind, dollars at the price table's rate, approvals (target: at most 2), and wall time with
the model's reported latency taken out.
"""

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import httpx
from sqlmodel import Session, col, select

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from backend.clock import SystemClock  # noqa: E402
from backend.demo.air.app import create_app as demo_air  # noqa: E402
from backend.models import AuditRecord, ModelCall  # noqa: E402
from backend.servers import ThreadedServer  # noqa: E402
from backend.traveller.profile import Person, Profile  # noqa: E402
from backend.traveller.vault import Vault  # noqa: E402
from tests.integration.checkin.pilot import Pilot  # noqa: E402
from tests.live import Deputy, start_deputy  # noqa: E402
from tests.model_server import ModelServer  # noqa: E402
from tests.sites.skylark.app import create_app as skylark  # noqa: E402

MODEL = "claude-sonnet-4-6"


def person(first: str, last: str, number: str, born: date) -> Person:
    return Person(first_name=first, last_name=last, date_of_birth=born, nationality="ES", passport_number=number,
                  passport_country="ES", passport_expiry=date(2033, 1, 1), seat_preference="window")  # fmt: skip


AIRLINES = [
    ("Demo Air", demo_air, "FM5W6C", "Nakamura", "window",
     Profile(traveller=person("Yuki", "Nakamura", "TK5520931", date(1986, 7, 14)),
             companions=[person("Ren", "Nakamura", "TK7781046", date(2011, 2, 3))])),
    ("Skylark", skylark, "K7MQ2X", "Ruiz", "aisle",
     Profile(traveller=person("Ana", "Ruiz", "PAB204417", date(1984, 11, 23)),
             companions=[person("Ben", "Ruiz", "PAC991204", date(1982, 4, 5)),
                         person("Carla", "Ruiz", "PAD310562", date(2015, 8, 19))])),
]  # fmt: skip


def check_in(deputy: Deputy, site: ThreadedServer, code: str, last: str) -> tuple[str, float]:
    """Start the check-in, approve whatever it asks, and return the task's id and its wall time."""
    token = deputy.local_token
    began = time.perf_counter()
    started = deputy.post("/api/checkins", {"url": f"{site.url}/", "booking_code": code, "last_name": last},
                          token=token)  # fmt: skip
    task_id = started.json()["task_id"]
    while True:
        for pending in deputy.get(f"/api/approvals?status=pending&task_id={task_id}", token=token).json():
            deputy.post(f"/api/approvals/{pending['id']}/approve", {}, token=token)
        status = deputy.get(f"/api/tasks/{task_id}", token=token).json()["status"]
        if status in ("finished", "failed", "cancelled"):
            return task_id, time.perf_counter() - began
        time.sleep(0.05)


def main() -> None:
    print(f"{'airline':<10} {'steps':>5} {'calls':>5} {'input':>8} {'output':>7} {'cache r':>8} {'cache w':>8} "
          f"{'dollars':>9} {'approvals':>9} {'wall s':>7} {'no model s':>10}")  # fmt: skip
    for name, factory, code, last, seat, profile in AIRLINES:
        with (
            tempfile.TemporaryDirectory() as tmp,
            ThreadedServer(factory()) as site,
            ModelServer([]) as model,
            start_deputy(
                Path(tmp) / "data",
                SystemClock(),
                anthropic_api_key="bench-key",
                anthropic_base_url=model.base_url,
                model=MODEL,
            ) as deputy,  # fmt: skip
        ):
            httpx.post(f"{site.url}/_test/reset").raise_for_status()
            Vault(deputy.settings.data_dir).save(profile)
            model.set_script(Pilot(code, passengers=1 + len(profile.companions), seat=seat))
            task_id, wall = check_in(deputy, site, code, last)
            approvals = len(deputy.get(f"/api/approvals?task_id={task_id}", token=deputy.local_token).json())
            with Session(deputy.ctx.engine) as session:
                calls = session.exec(select(ModelCall).where(ModelCall.task_id == task_id)).all()
                steps = session.exec(
                    select(AuditRecord).where(AuditRecord.task_id == task_id, col(AuditRecord.kind) == "executed")
                ).all()
            model_s = sum(c.latency_ms for c in calls) / 1000
            dollars = sum(c.cost_micro_usd or 0 for c in calls) / 1_000_000
            print(
                f"{name:<10} {len(steps):>5} {len(calls):>5} {sum(c.input_tokens for c in calls):>8} "
                f"{sum(c.output_tokens for c in calls):>7} {sum(c.cache_read_input_tokens for c in calls):>8} "
                f"{sum(c.cache_creation_input_tokens for c in calls):>8} {dollars:>9.4f} {approvals:>9} "
                f"{wall:>7.1f} {wall - model_s:>10.1f}"
            )


if __name__ == "__main__":
    main()
