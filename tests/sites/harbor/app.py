"""Harbor's release board: one page, a definition list per region, events in a <pre>, and a plain form
that reverts a release (no dialog, no typed confirmation). Nothing polls: the page is as fresh as its load.

Test routes: POST /_test/break makes the live release go bad; POST /_test/reset; GET /_test/changes.
"""

from dataclasses import dataclass, field
from html import escape
from typing import Any

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, RedirectResponse


@dataclass
class Board:
    live: str = "r42"
    previous: str = "r41"
    state: str = "serving"
    share_5xx: float = 0.2
    events: list[str] = field(default_factory=lambda: ["09:02 r42 promoted by ops-bot", "09:05 r42 serving"])
    changes: list[dict[str, Any]] = field(default_factory=list)


def _page(board: Board) -> str:
    bad = board.state != "serving"
    banner = (
        f'<p class="warn"><b>Rollout halted</b> for {board.live}: requests are failing in eu-west.</p>' if bad else ""
    )
    revert = (
        f'<form method="post" action="/revert"><input type="hidden" name="to" value="{board.previous}">'
        f'<input type="submit" value="Revert to {board.previous}"></form>'
    )
    return f"""<!doctype html><html><head><title>Harbor · shop-frontend</title></head>
<body style="font-family: serif; background: #ffe">
<center><h3>HARBOR release board</h3></center>
{banner}
<table border="1" cellpadding="6"><tr><th>region</th><th>release</th><th>state</th><th>5xx share</th></tr>
<tr><td>eu-west</td><td>{board.live}</td><td>{escape(board.state.upper())}</td><td>{board.share_5xx:.1f} %</td></tr>
</table>
{revert}
<h4>events</h4><pre>{escape(chr(10).join(board.events))}</pre>
</body></html>"""


def create_app() -> FastAPI:
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    board = Board()

    @app.get("/", response_class=HTMLResponse)
    def home() -> str:
        return _page(board)

    @app.post("/revert")
    def revert() -> RedirectResponse:
        board.changes.append({"what": "revert", "from": board.live, "to": board.previous})
        board.live, board.previous = board.previous, board.live
        board.state, board.share_5xx = "serving", 0.2
        board.events.append(f"09:30 reverted to {board.live}")
        return RedirectResponse("/", status_code=303)

    @app.post("/_test/break")
    def break_release() -> dict[str, bool]:
        board.state, board.share_5xx = "failing", 9.1
        board.events += [f"09:20 ERROR {board.live} health checks failed on 3 of 6 hosts", "09:21 rollout halted"]
        return {"ok": True}

    @app.post("/_test/reset")
    def reset() -> dict[str, bool]:
        fresh = Board()
        board.__dict__.update(fresh.__dict__)
        return {"ok": True}

    @app.get("/_test/changes")
    def changes() -> dict[str, Any]:
        return {"changes": board.changes}

    return app
