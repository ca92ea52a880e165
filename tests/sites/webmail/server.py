"""Horde IMP over Dovecot, started together in a scratch folder, and the handle tests use: sign a browser in,
reseed the mailbox, read where each message is."""

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from playwright.async_api import BrowserContext

from tests.sites.webmail.horde import HORDE_CODE, Horde, View
from tests.sites.webmail.imap import Dovecot, Maildir, Stored, mail_user
from tests.sites.webmail.seed import OWNER_ADDRESS, seed

USER = "maren"
PASSWORD = "hedgerow-41"


@dataclass
class Webmail:
    dovecot: Dovecot
    horde: Horde
    user: str = USER
    password: str = PASSWORD
    address: str = OWNER_ADDRESS

    @property
    def url(self) -> str:
        return self.horde.url

    @property
    def maildir(self) -> Maildir:
        return self.dovecot.maildir

    async def log_in(self, context: BrowserContext, view: View = "dynamic") -> str:
        """Sign `context` in as Maren; returns the Inbox's URL, which any page of the context can open."""
        return await self.horde.log_in(context, self.user, self.password, view)

    def reset(self) -> None:
        seed(self.maildir)

    def stored(self) -> dict[str, Stored]:
        """Each message's folder and flags by Message-ID, read from the Maildir."""
        return self.maildir.stored()


def missing_programs() -> list[str]:
    found = {
        "dovecot": shutil.which("dovecot") or Path("/usr/sbin/dovecot").exists(),
        "php": shutil.which("php"),
        "Horde IMP": (HORDE_CODE / "imp" / "dynamic.php").exists(),
    }
    return [name for name, present in found.items() if not present]


@contextmanager
def running_webmail() -> Iterator[Webmail]:
    """Dovecot and Horde in a scratch folder of their own, stopped and removed on exit."""
    scratch = Path(tempfile.mkdtemp(prefix="deputy-webmail-"))
    # As root the mail belongs to `nobody`, which must be able to reach it through this folder.
    scratch.chmod(0o755)
    (scratch / "imap").mkdir()
    (scratch / "web").mkdir()
    dovecot = Dovecot(scratch / "imap", mail_user(USER, PASSWORD))
    horde = Horde(scratch / "web")
    try:
        dovecot.start()
        horde.start(dovecot.port)
        yield Webmail(dovecot, horde)
    finally:
        horde.stop()
        dovecot.stop()
        shutil.rmtree(scratch, ignore_errors=True)
