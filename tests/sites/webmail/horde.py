"""Horde IMP, Debian's package as installed, served by `php -S` on a loopback port with a config of the test's own.

Debian puts Horde's code in /usr/share/horde and its config in /etc/horde, linked as `config` folders inside
the code. The server here runs a tree of links in a scratch folder that mirrors /usr/share/horde except for
the config folders, which hold this package's `horde_config/` files and links to the system's defaults;
`horde_config/prepend.php` points Horde at that tree. Nothing under /etc or /usr is written.
"""

import base64
import os
import shutil
from pathlib import Path
from typing import Literal

from playwright.async_api import BrowserContext

from tests.sites.webmail.daemon import Daemon, free_port

HORDE_CODE = Path("/usr/share/horde")
HORDE_SYSTEM_CONFIG = Path("/etc/horde")
CONFIG = Path(__file__).parent / "horde_config"

View = Literal["dynamic", "basic"]


def mailbox_token(name: str) -> str:
    """How IMP names a mailbox in its URLs: unpadded URL-safe base64 of the IMAP name."""
    return base64.urlsafe_b64encode(name.encode()).decode().rstrip("=")


class Horde:
    """One `php -S` serving Horde IMP, over the IMAP server on the port given to `start`."""

    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch
        self.port = 0
        self.base = scratch / "horde"
        self.log = scratch / "php.log"
        self._daemon = Daemon("php -S for Horde", self.log)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def inbox_url(self, view: View = "dynamic") -> str:
        inbox = mailbox_token("INBOX")
        if view == "basic":
            return f"{self.url}/imp/basic.php?mailbox={inbox}&page=mailbox"
        return f"{self.url}/imp/dynamic.php?page=mailbox#mbox:{inbox}"

    def start(self, imap_port: int) -> "Horde":
        php = shutil.which("php")
        if php is None:
            raise RuntimeError("php is not installed.")
        self.port = free_port()
        self._build_tree()
        environment = {
            **os.environ,
            "DEPUTY_HORDE_BASE": str(self.base),
            "DEPUTY_HORDE_PORT": str(self.port),
            "DEPUTY_HORDE_TMP": str(self.scratch / "tmp"),
            "DEPUTY_IMAP_PORT": str(imap_port),
            # The dynamic view sends several requests at once; one worker would answer them one by one.
            "PHP_CLI_SERVER_WORKERS": "4",
        }
        settings = {
            "auto_prepend_file": CONFIG / "prepend.php",
            "session.save_path": self.scratch / "sessions",
            "display_errors": "0",
            "log_errors": "1",
            "error_log": self.log,
            "error_reporting": str(0x7FFF & ~0x2000 & ~0x8),  # E_ALL but E_DEPRECATED and E_NOTICE
        }
        # -q: no line per request in the log, which keeps PHP's errors easy to find there.
        command = [php, "-q", "-S", f"127.0.0.1:{self.port}", "-t", str(self.base)]
        for key, value in settings.items():
            command += ["-d", f"{key}={value}"]
        self._daemon.start(command, self.port, environment)
        return self

    def stop(self) -> None:
        self._daemon.stop()

    async def log_in(self, context: BrowserContext, user: str, password: str, view: View = "dynamic") -> str:
        """Sign `context` in through Horde's login form (its cookies then hold the session) and return the
        Inbox's URL in `view`: "dynamic" (rows, toolbar, preview pane) or "basic" (pages of a table)."""
        login = f"{self.url}/login.php"
        # The form is posted from the context itself, so the session cookie lands where its pages will use it.
        await context.request.get(login)
        response = await context.request.post(
            login,
            form={
                "app": "",
                "login_post": "1",
                "url": "",
                "anchor_string": "",
                "horde_user": user,
                "horde_pass": password,
                "horde_select_view": view,
                "new_lang": "en_US",
            },
        )
        if "/imp/" not in response.url:
            raise RuntimeError(f"Horde did not sign {user} in (ended at {response.url}); see {self.log}.")
        return self.inbox_url(view)

    def _build_tree(self) -> None:
        for folder in ("sessions", "tmp", "static"):
            (self.scratch / folder).mkdir(parents=True, exist_ok=True)
        self._mirror(HORDE_CODE, self.base, skip={"config", "imp", "static"})
        (self.base / "static").symlink_to(self.scratch / "static")
        self._mirror(HORDE_CODE / "imp", self.base / "imp", skip={"config"})
        self._config(HORDE_SYSTEM_CONFIG / "horde", CONFIG / "horde", self.base / "config")
        self._config(HORDE_SYSTEM_CONFIG / "imp", CONFIG / "imp", self.base / "imp" / "config")

    @staticmethod
    def _mirror(source: Path, target: Path, skip: set[str]) -> None:
        target.mkdir(parents=True, exist_ok=True)
        for entry in source.iterdir():
            if entry.name not in skip:
                (target / entry.name).symlink_to(entry)

    @staticmethod
    def _config(system: Path, ours: Path, target: Path) -> None:
        """The system's config files (defaults such as prefs.php and backends.php), then ours over them."""
        target.mkdir(parents=True, exist_ok=True)
        for folder in (system, ours):
            for entry in folder.iterdir():
                link = target / entry.name
                if link.is_symlink():
                    link.unlink()
                link.symlink_to(entry.resolve())
