"""Deputy's server with its executor and browser, acting on a fresh Demo Mail mailbox; no model involved."""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlmodel import Session

from backend.servers import ThreadedServer
from backend.tasks import new_task
from tests import web
from tests.live import Deputy, start_deputy


@dataclass
class Mailbox:
    url: str
    base: str

    def changes(self) -> list[dict]:
        return web.get(f"{self.base}_test/changes").json()["changes"]

    def whats(self) -> list[str]:
        return [c["what"] for c in self.changes()]


@pytest.fixture
def mailbox(mail_server: ThreadedServer) -> Mailbox:
    box = web.post(f"{mail_server.url}/_test/mailboxes").raise_for_status().json()
    return Mailbox(box["url"], box["url"] if box["url"].endswith("/") else box["url"] + "/")


@pytest.fixture
def deputy(tmp_path: Path) -> Iterator[Deputy]:
    with start_deputy(tmp_path / "data") as server:
        yield server


def make_task(deputy: Deputy, instruction: str = "Tidy my inbox", url: str | None = None) -> str:
    with Session(deputy.ctx.engine) as session:
        task = new_task(session, instruction, deputy.clock.now(), url=url)
        session.commit()
        return task.id


def ref_named(deputy: Deputy, task_id: str, name: str, role: str | None = None) -> str:
    """Snapshot the task's page and return the ref of the element with this accessible name."""

    async def find() -> str:
        tab = await deputy.ctx.browser.tab(task_id)
        snap = await tab.snapshot()
        for element in snap.elements.values():
            if element.name == name and (role is None or element.role == role):
                return element.ref
        raise AssertionError(f"no element named {name!r} on {tab.url}")

    return deputy.run(find())
