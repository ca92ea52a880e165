"""The HTML pages: one shell, filled in by a script per page that polls the JSON API."""

from functools import cache
from html import escape
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from backend.demo.deploy.deps import StoreDep
from backend.demo.deploy.store import NotFound

STATIC = Path(__file__).parent / "static"

router = APIRouter()


@cache
def _shell() -> str:
    return (Path(__file__).parent / "shell.html").read_text(encoding="utf-8")


def _page(title: str, script: str, subject: str = "", status_code: int = 200) -> HTMLResponse:
    html = (
        _shell()
        .replace("{{title}}", escape(title))
        .replace("{{script}}", script)
        .replace("{{subject}}", escape(subject, quote=True))
    )
    return HTMLResponse(html, status_code=status_code)


def _not_found(message: str) -> HTMLResponse:
    return _page("Not found · Demo Deploy", "missing", message, status_code=404)


@router.get("/", response_class=HTMLResponse)
def dashboard_page() -> HTMLResponse:
    return _page("Services · Demo Deploy", "dashboard")


@router.get("/services/{name}", response_class=HTMLResponse)
def service_page(name: str, store: StoreDep) -> HTMLResponse:
    try:
        store.service(name)
    except NotFound:
        return _not_found(f"There is no service named '{name}'.")
    return _page(f"{name} · Demo Deploy", "service", name)


@router.get("/deployments/{deployment_id}", response_class=HTMLResponse)
def deployment_page(deployment_id: str, store: StoreDep) -> HTMLResponse:
    try:
        store.read(lambda s, _: s.deployment(deployment_id))
    except NotFound:
        return _not_found(f"There is no deployment '{deployment_id}'.")
    return _page(f"{deployment_id} · Demo Deploy", "deployment", deployment_id)
