"""Demo Deploy: a deploy dashboard Deputy can watch, promote and roll back with no account anywhere."""

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from backend.clock import Clock
from backend.demo.deploy import api, pages, testing
from backend.demo.deploy.store import DeployStore, Refused


def create_app(clock: Clock | None = None) -> FastAPI:
    app = FastAPI(title="Demo Deploy", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.store = DeployStore(clock)

    @app.exception_handler(Refused)
    async def refused(_: Request, error: Refused) -> JSONResponse:
        return JSONResponse({"detail": error.detail}, status_code=error.status)

    # FastAPI's own 422 echoes the input back, and an input such as NaN cannot be written as JSON.
    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, error: RequestValidationError) -> JSONResponse:
        detail = [
            {"loc": [str(part) for part in problem.get("loc", ())], "msg": str(problem.get("msg", ""))}
            for problem in error.errors()
        ]
        return JSONResponse({"detail": detail}, status_code=422)

    app.include_router(api.router)
    app.include_router(testing.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=pages.STATIC), name="static")
    return app
