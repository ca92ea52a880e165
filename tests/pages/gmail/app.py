"""Serves the Gmail page set on loopback, with the mailbox behind it and a log of every change it gets.

The page copies Gmail's inbox as its public accessible names describe it (toolbar buttons "Archive",
"Report spam", "Delete", "Mark as read", "More email options"; pager "Newer" / "Older"; per row a
checkbox, a "Not starred" / "Starred" button and a link; `role=grid` rows). It is not Gmail: nothing here
was checked against the real site.
"""

from pathlib import Path
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from backend.demo.changelog import ChangeLog

HERE = Path(__file__).parent
OPS = ("archive", "spam", "delete", "read", "star", "unstar")

# (sender, address, subject, snippet, date, unread)
SEED: list[tuple[str, str, str, str, str, bool]] = [
    ("Lena Fischer", "lena@northwind.example", "Q3 roadmap comments", "I left notes on the search part", "10:41", True),
    (
        "The Weekly Byte",
        "hello@weeklybyte.example",
        "Issue #42: caches that lie",
        "This week: stale reads",
        "09:12",
        True,
    ),
    (
        "ShopMart",
        "orders@shopmart.example",
        "Your order SM-88120",
        "Thanks for your order. Total EUR 29.90",
        "08:55",
        False,
    ),
    ("Maria Rivera", "maria@familymail.example", "Sunday lunch?", "Are you coming on Sunday?", "08:02", True),
    ("CodeHub", "notifications@codehub.example", "[search] PR #870 merged", "Merged into main", "07:30", True),
    ("City Eats", "news@cityeats.example", "Five new openings", "A ramen counter and a bakery", "May 20", False),
    ("Demo Air", "checkin@demoair.example", "Check-in is open", "Flight DA 417 to Amsterdam", "May 20", False),
    ("CodeHub", "notifications@codehub.example", "[search] PR #869 review", "Lena requested changes", "May 20", False),
    ("RideNow", "receipts@ridenow.example", "Your Monday trip", "Total EUR 8.40", "May 19", False),
    ("Jordan Lee", "jordan@climb.example", "Climbing Thursday?", "Bouldering after work?", "May 19", False),
    ("The Weekly Byte", "hello@weeklybyte.example", "Issue #41: p95 lies", "Percentiles per host", "May 14", False),
    ("Pixel Coffee", "receipts@pixelcoffee.example", "Your receipt", "1 flat white EUR 2.10", "May 13", False),
    ("Priya Shah", "priya@northwind.example", "Offsite dates", "Does the first week of June work?", "May 12", False),
    ("The Weekly Byte", "hello@weeklybyte.example", "Issue #40: queues", "Little's law in practice", "May 7", False),
]


class Act(BaseModel):
    model_config = ConfigDict(extra="forbid")
    op: str = Field(pattern="^(" + "|".join(OPS) + ")$")
    ids: list[int] = Field(min_length=1, max_length=100)


def _fresh() -> list[dict[str, Any]]:
    return [
        {
            "id": n + 1,
            "sender": s,
            "address": a,
            "subject": subj,
            "snippet": snip,
            "date": d,
            "full_date": d,
            "unread": u,
            "starred": False,
            "label": "inbox",
        }
        for n, (s, a, subj, snip, d, u) in enumerate(SEED)
    ]


def create_app() -> FastAPI:
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    state: dict[str, Any] = {"mail": _fresh(), "log": ChangeLog()}

    @app.get("/")
    def home() -> RedirectResponse:
        return RedirectResponse("/mail/u/0/", status_code=303)

    @app.get("/mail/u/0/")
    def inbox() -> FileResponse:
        return FileResponse(HERE / "inbox.html")

    @app.get("/mail/u/0/inbox.js")
    def script() -> FileResponse:
        return FileResponse(HERE / "inbox.js", media_type="text/javascript")

    @app.get("/mail/u/0/api/inbox")
    def listed() -> dict[str, Any]:
        return {"messages": [m for m in state["mail"] if m["label"] == "inbox"]}

    @app.post("/mail/u/0/api/act")
    async def act(request: Request) -> Any:
        try:
            sent = Act.model_validate_json(await request.body())
        except ValidationError as error:
            return JSONResponse({"detail": error.errors()[0]["msg"]}, status_code=422)
        picked = [m for m in state["mail"] if m["id"] in sent.ids]
        if len(picked) != len(set(sent.ids)):
            return JSONResponse({"detail": "No such message."}, status_code=404)
        for m in picked:
            if sent.op in ("archive", "spam", "delete"):
                m["label"] = {"archive": "all", "spam": "spam", "delete": "trash"}[sent.op]
            elif sent.op == "read":
                m["unread"] = False
            else:
                m["starred"] = sent.op == "star"
        state["log"].record("POST /mail/u/0/api/act", sent.op, after={"subjects": [m["subject"] for m in picked]})
        return {"done": len(picked)}

    @app.get("/_test/changes")
    def changes(since: int = Query(default=0, ge=0)) -> dict[str, Any]:
        return {"changes": [c.to_json() for c in state["log"].entries(since=since)]}

    @app.post("/_test/reset")
    def reset() -> dict[str, Any]:
        state["mail"], state["log"] = _fresh(), ChangeLog()
        return {"messages": len(state["mail"])}

    return app
