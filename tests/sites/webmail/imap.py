"""Dovecot on a loopback port over a Maildir in a scratch folder, and that Maildir read and written directly.

The test starts Dovecot itself (`dovecot -F` with a config of its own), never the system service, so a second
run or a real mail server on the machine is untouched. Tests judge outcomes from the Maildir: which folder a
message's file sits in and the flags in its name, which is what any IMAP client would see next.
"""

import grp
import os
import pwd
import shutil
import time
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from pathlib import Path
from typing import NamedTuple

from tests.sites.webmail.daemon import Daemon, free_port

# Maildir++ keeps each folder but the Inbox in a dot-folder of the root; Dovecot names them with "/".
INBOX = "INBOX"


class Stored(NamedTuple):
    """Where a message is and its Maildir flags, sorted: D draft, F flagged, R replied, S seen, T deleted."""

    folder: str
    flags: str


@dataclass(frozen=True)
class MailUser:
    name: str
    password: str
    # The owner of the Maildir's files: Dovecot reads and writes them as this user, never as root.
    uid: int
    gid: int


def mail_user(name: str, password: str) -> MailUser:
    """As root, Dovecot refuses uid 0 for mail, so the mail is owned by `nobody`; otherwise by whoever runs the
    tests, which is also the only uid a non-root Dovecot can use."""
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        return MailUser(name, password, nobody.pw_uid, nobody.pw_gid)
    return MailUser(name, password, os.getuid(), os.getgid())


class Maildir:
    """One user's Maildir: written before or between sessions, read at any time."""

    def __init__(self, root: Path, owner: MailUser) -> None:
        self.root = root
        self._owner = owner
        self._count = 0

    def folder_path(self, folder: str) -> Path:
        return self.root if folder == INBOX else self.root / ("." + folder.replace("/", "."))

    def clear(self, folders: list[str]) -> None:
        """Empty every folder, Dovecot's index and uid lists included, and create `folders`, all subscribed.

        Dovecot notices on the next command; it holds no session open between the webmail's requests."""
        if self.root.exists():
            shutil.rmtree(self.root)
        for folder in [INBOX, *folders]:
            for part in ("cur", "new", "tmp"):
                (self.folder_path(folder) / part).mkdir(parents=True, exist_ok=True)
        # Webmails list only subscribed folders by default, as they do for a real account.
        (self.root / "subscriptions").write_text("".join(f"{folder}\n" for folder in folders))
        self._chown()

    def add(self, folder: str, message: bytes, flags: str = "", when: float | None = None) -> None:
        """File one message (RFC 5322 bytes); `when`, a Unix time, becomes its arrival date: Dovecot reads it
        from the file's mtime."""
        self._count += 1
        name = f"{int(when or time.time())}.M{self._count}P{os.getpid()}.deputy:2,{''.join(sorted(flags))}"
        path = self.folder_path(folder) / "cur" / name
        path.write_bytes(message)
        if when is not None:
            os.utime(path, (when, when))
        self._chown(path)

    def stored(self) -> dict[str, Stored]:
        """Every message by its Message-ID, with its folder and flags, straight from the files."""
        found: dict[str, Stored] = {}
        parser = BytesHeaderParser()
        for folder in self.folders():
            for part in ("cur", "new"):
                for path in (self.folder_path(folder) / part).iterdir():
                    with path.open("rb") as file:
                        message_id = str(parser.parse(file).get("Message-ID", "")).strip()
                    found[message_id] = Stored(folder, _flags(path.name))
        return found

    def folders(self) -> list[str]:
        names = [INBOX]
        for path in sorted(self.root.iterdir()):
            if path.is_dir() and path.name.startswith(".") and (path / "cur").is_dir():
                names.append(path.name[1:].replace(".", "/"))
        return names

    def _chown(self, path: Path | None = None) -> None:
        if os.geteuid() != 0:
            return
        paths = [path] if path is not None else [self.root, *self.root.rglob("*")]
        for each in paths:
            os.chown(each, self._owner.uid, self._owner.gid)


def _flags(filename: str) -> str:
    # A file still in new/ has no ":2," part: no flags yet.
    _, _, flags = filename.partition(":2,")
    return "".join(sorted(flags))


class Dovecot:
    """`dovecot -F` with a config of its own under `scratch`, serving one passwd-file user over plain IMAP."""

    def __init__(self, scratch: Path, user: MailUser) -> None:
        self.scratch = scratch
        self.user = user
        self.port = 0
        self.home = scratch / "mail" / user.name
        self.maildir = Maildir(self.home / "Maildir", user)
        self.log = scratch / "dovecot.log"
        self._daemon = Daemon("Dovecot", self.log)

    def start(self) -> "Dovecot":
        binary = shutil.which("dovecot") or "/usr/sbin/dovecot"
        self.port = free_port()
        config = self._write_config()
        self.home.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            os.chown(self.home, self.user.uid, self.user.gid)
        self._daemon.start([binary, "-F", "-c", str(config)], self.port)
        return self

    def stop(self) -> None:
        self._daemon.stop()

    def _write_config(self) -> Path:
        run = self.scratch / "run"
        run.mkdir(exist_ok=True)
        users = self.scratch / "users"
        users.write_text(
            f"{self.user.name}:{{PLAIN}}{self.user.password}:{self.user.uid}:{self.user.gid}::{self.home}::\n"
        )
        # As root, Dovecot runs its login and auth processes as its own users (dovenull, dovecot) in a chroot;
        # not as root, every process stays the current user and a chroot is not possible.
        unprivileged = ""
        if os.geteuid() != 0:
            me = pwd.getpwuid(os.getuid()).pw_name
            group = grp.getgrgid(os.getgid()).gr_name
            unprivileged = (
                f"default_internal_user = {me}\ndefault_internal_group = {group}\ndefault_login_user = {me}\n"
                "service imap-login {\n  chroot =\n}\nservice anvil {\n  chroot =\n}\n"
            )
        config = self.scratch / "dovecot.conf"
        config.write_text(
            f"""protocols = imap
listen = 127.0.0.1
base_dir = {run}
state_dir = {self.scratch / "state"}
log_path = /dev/stderr
ssl = no
# Plain passwords over loopback only: the port is bound to 127.0.0.1 and the user is a throwaway.
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
mail_location = maildir:~/Maildir
mail_fsync = never
{unprivileged}
passdb {{
  driver = passwd-file
  args = {users}
}}
userdb {{
  driver = passwd-file
  args = {users}
}}
namespace inbox {{
  inbox = yes
  separator = /
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""
        )
        return config
