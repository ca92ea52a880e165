"""Test-only routes: fresh mailboxes, the change log, and reset.

A reset puts the mailbox back to a fresh seed (dated from the clock's now) and keeps the change log,
adding one "reset" entry, so a test can still see everything that happened before it.
"""

from typing import Any

from fastapi import APIRouter, Query, Request

from backend.demo.mail.schemas import BoxDep, SiteDep

router = APIRouter(include_in_schema=False)


@router.post("/_test/mailboxes")
async def create_mailbox(site: SiteDep, request: Request) -> dict[str, Any]:
    box = site.mailboxes.create()
    return {"id": box.id, "url": f"{str(request.base_url).rstrip('/')}/mb/{box.id}/"}


@router.get("/mb/{box}/_test/changes")
async def changes(box: BoxDep, site: SiteDep, since: int = Query(default=0, ge=0)) -> dict[str, Any]:
    return {"changes": [c.to_json() for c in site.changes.entries(scope=box.id, since=since)]}


@router.post("/mb/{box}/_test/reset")
async def reset(box: BoxDep, site: SiteDep, request: Request) -> dict[str, Any]:
    fresh = site.mailboxes.create(box.id)
    site.record(request, fresh, "reset", {"messages": len(box.messages)}, {"messages": len(fresh.messages)})
    return {"id": fresh.id, "messages": len(fresh.messages)}
