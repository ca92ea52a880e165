"""Demo Air, an airline's online check-in: the app factory."""

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from backend.clock import Clock, SystemClock
from backend.demo.air.booking_pages import message_page
from backend.demo.air.control import build_control_router
from backend.demo.air.routes import Detour, build_router, consented, see_other
from backend.demo.air.store import AirStore

STATIC = Path(__file__).parent / "static"
TITLES = {
    400: "The request could not be read",
    404: "Page not found",
    405: "Not available here",
    413: "The form is too large",
    415: "The form could not be read",
    422: "Please check your request",
}


def _problem(request: Request, status: int, reason: str) -> Response:
    """Errors read as a page for people and as JSON for the test routes, always with the reason."""
    if request.url.path.startswith("/_test"):
        return JSONResponse({"detail": reason}, status_code=status)
    title = TITLES.get(status, "Something went wrong")
    return HTMLResponse(message_page(title, reason, consent=consented(request)), status_code=status)


def create_app(clock: Clock | None = None) -> FastAPI:
    store = AirStore(clock or SystemClock())
    app = FastAPI(title="Demo Air", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.store = store

    @app.exception_handler(Detour)
    async def on_detour(request: Request, exc: Detour) -> Response:
        return see_other(exc.url)

    @app.exception_handler(HTTPException)
    async def on_http_error(request: Request, exc: HTTPException) -> Response:
        reason = exc.detail if isinstance(exc.detail, str) else "The request could not be handled."
        if exc.status_code == 404 and reason == "Not Found":
            reason = "There is no page at this address. Start again from online check-in."
        elif exc.status_code == 405:
            reason = "This address does not accept that kind of request."
        return _problem(request, exc.status_code, reason)

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}" for error in exc.errors()
        )
        return _problem(request, 422, f"The request is not valid ({problems}).")

    app.include_router(build_router(store))
    app.include_router(build_control_router(store))
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
