"""Pytest fixtures for the real webmail: Dovecot and Horde IMP start once per test process, and every test
that asks for `webmail` gets Maren Holt's mailbox seeded afresh (the Maildir is rewritten; no restart)."""

from collections.abc import Iterator

import pytest

from tests.sites.webmail.server import Webmail, missing_programs, running_webmail


@pytest.fixture(scope="session")
def webmail_servers() -> Iterator[Webmail]:
    missing = missing_programs()
    if missing:
        pytest.fail(f"Not installed: {', '.join(missing)}. Run scripts/test, which installs them.")
    with running_webmail() as webmail:
        yield webmail


@pytest.fixture
def webmail(webmail_servers: Webmail) -> Webmail:
    """Horde IMP over Dovecot with the seeded mailbox, fresh for this test; sign a context in with `log_in`."""
    webmail_servers.reset()
    return webmail_servers
