"""The Demo Mail app factory."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from backend.clock import Clock, SystemClock
from backend.demo.changelog import ChangeLog
from backend.demo.mail import api, harness, pages
from backend.demo.mail.schemas import MailSite
from backend.demo.mail.seed import seeded_mailbox
from backend.demo.mail.store import Mailboxes, MailError

DEFAULT_BOX = "default"
SEND_DELAY_SECONDS = 1.5


def create_app(clock: Clock | None = None, *, send_delay: float = SEND_DELAY_SECONDS) -> FastAPI:
    """Demo Mail with one seeded mailbox, "default"; tests create more with POST /_test/mailboxes."""
    clock = clock or SystemClock()
    app = FastAPI(title="Demo Mail", docs_url=None, redoc_url=None, openapi_url=None)
    mailboxes = Mailboxes(clock=clock, seed=seeded_mailbox)
    mailboxes.create(DEFAULT_BOX)
    app.state.mail = MailSite(mailboxes=mailboxes, changes=ChangeLog(clock), clock=clock, send_delay=send_delay)

    @app.exception_handler(MailError)
    async def mail_error(request: Request, error: MailError) -> Response:
        # The JSON API answers in JSON; a person following a stale link gets a page.
        path = request.url.path
        if error.status == 404 and "/api/" not in path and "/_test/" not in path:
            return pages.not_found_page(error.detail)
        return JSONResponse({"detail": error.detail}, status_code=error.status)

    app.include_router(api.router)
    app.include_router(harness.router)
    app.include_router(pages.router)
    # Served under each mailbox so the page can load its script with paths relative to the mailbox.
    app.mount("/mb/{box}/static", StaticFiles(directory=pages.STATIC_DIR), name="static")
    return app
