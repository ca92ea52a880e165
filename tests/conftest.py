"""Shared fixtures: a real Chromium through async Playwright, the demo sites on free loopback ports, and, when
DEPUTY_TEST_POSTGRES names a PostgreSQL server (scripts/test starts one), a fresh database on it per test.

The PostgreSQL pass runs the tests marked `storage` (those below STORAGE, and any module that marks itself):
the ones whose queries and transactions are the point. DEPUTY_TEST_POSTGRES_ALL=1 runs every test there.
Tests marked `slow` are handed out first, so that two workers end together.
"""

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright

from backend.browser.flags import CHROMIUM_ARGS, find_chromium
from backend.servers import ThreadedServer
from tests.databases import own_database

# Horde IMP over Dovecot, a real webmail from Debian's packages: `webmail` gives a test its mailbox afresh.
pytest_plugins = ["tests.sites.webmail.fixture"]


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    chromium = find_chromium()
    if chromium is None:
        pytest.fail("Chromium is not installed: run scripts/test, which installs it.")
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS, headless=True)
        yield browser
        await browser.close()


@pytest.fixture
async def context(browser: Browser) -> AsyncIterator[BrowserContext]:
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    yield context
    await context.close()


@pytest.fixture
async def page(context: BrowserContext) -> Page:
    return await context.new_page()


def _serve(app: object) -> Iterator[ThreadedServer]:
    with ThreadedServer(app) as server:
        yield server


@pytest.fixture(scope="session")
def mail_server() -> Iterator[ThreadedServer]:
    from backend.demo.mail.app import create_app

    yield from _serve(create_app())


@pytest.fixture(scope="session")
def air_server() -> Iterator[ThreadedServer]:
    from backend.demo.air.app import create_app

    yield from _serve(create_app())


@pytest.fixture(scope="session")
def deploy_server() -> Iterator[ThreadedServer]:
    from backend.demo.deploy.app import create_app

    yield from _serve(create_app())


@pytest.fixture(scope="session")
def postbox_server() -> Iterator[ThreadedServer]:
    """Postbox, a plain server-rendered webmail unlike Demo Mail; reset it with POST /_test/reset."""
    from tests.sites.postbox.app import create_app

    yield from _serve(create_app())


@pytest.fixture(scope="session")
def heron_server() -> Iterator[ThreadedServer]:
    """Heron, a script-drawn webmail of cards, a folder tree and a preview pane; reset it with POST /_test/reset."""
    from tests.sites.heron.app import create_app

    yield from _serve(create_app())


# One database per test process: under pytest-xdist each worker has its own.
TEST_DATABASE = "deputy_tests_" + os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str | None]:
    """One database at the newest schema on the test server, emptied after each test that uses it."""
    server = os.environ.get("DEPUTY_TEST_POSTGRES")
    if not server:
        yield None
        return
    import psycopg

    from backend.db import create_schema, make_engine

    with psycopg.connect(server.replace("+psycopg", ""), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {TEST_DATABASE} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {TEST_DATABASE}")
    url = server.rsplit("/", 1)[0] + "/" + TEST_DATABASE
    engine = make_engine(url)
    create_schema(engine)
    engine.dispose()
    yield url


@pytest.fixture(autouse=True)
def database_url(postgres_database: str | None, monkeypatch: pytest.MonkeyPatch) -> Iterator[str | None]:
    """On the PostgreSQL pass, every Deputy a test starts (in process or as a command) uses the test database,
    which starts each test empty: tables are truncated afterwards, far quicker than a database per test."""
    if postgres_database is None:
        yield None
        return
    import psycopg

    monkeypatch.setenv("DEPUTY_DATABASE_URL", postgres_database)
    yield postgres_database
    with psycopg.connect(postgres_database.replace("+psycopg", ""), autocommit=True) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
            )
        ]
        if tables:
            connection.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")


@pytest.fixture
def scratch_url(tmp_path: Path, database_url: str | None) -> Iterator[str]:
    """A database of the test's own, empty (not even a schema)."""
    with own_database(tmp_path, database_url) as url:
        yield url


# What the PostgreSQL pass runs: the API's routes, the ledger and budgets, restarts and recovery, schedules,
# the nightly dream, rules and recipes kept in the store, the traveller profile.
STORAGE = (
    "tests/integration/api/",
    "tests/integration/ledger/",
    "tests/integration/dreaming/",
    "tests/integration/unattended/",
    "tests/integration/traveller/",
    "tests/integration/traymenu/test_commands.py",
    "tests/integration/traymenu/test_schedules.py",
    "tests/integration/traymenu/test_recipes.py",
    "tests/integration/traymenu/test_trips.py",
    "tests/integration/gate/test_restart_and_input.py",
    "tests/integration/gate/test_kill.py",
    "tests/integration/agent/test_budget.py",
    "tests/integration/recipes/test_grants.py",
    "tests/integration/checkin/test_trips.py",
    "tests/integration/triage/test_rules_cli.py",
    "tests/integration/triage/test_rules_postbox.py",
    "tests/unit/test_budgets.py",
)
ROOT = Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.relative_to(ROOT).as_posix().startswith(STORAGE):
            item.add_marker(pytest.mark.storage)
    if os.environ.get("DEPUTY_TEST_POSTGRES"):
        everything = os.environ.get("DEPUTY_TEST_POSTGRES_ALL") == "1"
        kept = [
            i
            for i in items
            if (everything or i.get_closest_marker("storage")) and not i.get_closest_marker("sqlite_only")
        ]
        dropped = [i for i in items if i not in kept]
        if dropped:
            config.hook.pytest_deselected(items=dropped)
            items[:] = kept
    # Slow modules first, each kept whole (its module-scoped fixtures start once), the rest in their order.
    slow = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow)
