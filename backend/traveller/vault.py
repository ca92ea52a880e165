"""Where the traveller profile lives: `traveller.json` in the data folder (mode 0600), its identifying fields
(date of birth, passport number and expiry, frequent-flyer numbers) encrypted with Fernet.

The key comes from the operating system's keyring when one works (a desktop session's secret service or
keychain); otherwise it is a key file, `traveller.key` (mode 0600), beside the profile. The key file keeps
the values out of backups, sync folders and copies of the profile made without it, and out of anything that
reads the JSON; it does not protect against someone who can read the whole data folder as the same user.
"""

import json
import logging
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken

from backend.traveller.profile import IDENTIFYING, Person, Profile

DATES = ("date_of_birth", "passport_expiry")

log = logging.getLogger(__name__)

PROFILE_FILE = "traveller.json"
KEY_FILE = "traveller.key"
KEYRING_SERVICE = "deputy"
KEYRING_ENTRY = "traveller-profile-key"


class ProfileUnreadable(Exception):
    """The profile file or its key cannot be used; the message says which and what to do."""


def _write_private(path: Path, data: bytes) -> None:
    """Write `data` so that no moment exists where another user could read it (created 0600, then swapped in)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".new")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)


def _keyring_key() -> bytes | None:
    """The key kept in the OS keyring, made there on first use; None where no usable keyring exists."""
    try:
        import keyring
        from keyring.errors import KeyringError

        backend = keyring.get_keyring()
        if getattr(backend, "priority", 0) <= 0:
            return None  # the "fail" or "null" backend: no keyring on this machine
        stored = keyring.get_password(KEYRING_SERVICE, KEYRING_ENTRY)
        if stored:
            return stored.encode()
        made = Fernet.generate_key()
        keyring.set_password(KEYRING_SERVICE, KEYRING_ENTRY, made.decode())
        return made
    except (KeyringError, RuntimeError, OSError) as error:
        log.info("The OS keyring is not usable (%s); the traveller key is kept in a key file.", error)
        return None


class Vault:
    """Reads and writes the profile. `keyring` is the key source tried first (None: always the key file)."""

    def __init__(
        self,
        data_dir: Path,
        keyring: Callable[[], bytes | None] | None = _keyring_key,
        today: Callable[[], date] = date.today,
    ) -> None:
        self.path = data_dir / PROFILE_FILE
        self.key_path = data_dir / KEY_FILE
        self._keyring = keyring
        self._today = today
        self._fernet: Fernet | None = None
        self.key_source = ""

    def _cipher(self) -> Fernet:
        if self._fernet is not None:
            return self._fernet
        key = None if self.key_path.exists() else (self._keyring() if self._keyring else None)
        if key is not None:
            self.key_source = "keyring"
        else:
            if not self.key_path.exists():
                _write_private(self.key_path, Fernet.generate_key())
            key = self.key_path.read_bytes().strip()
            self.key_source = "key file"
        try:
            self._fernet = Fernet(key)
        except ValueError:
            raise ProfileUnreadable(
                f"The traveller key in {self.key_path} is damaged; remove it and the profile, then enter it again."
            ) from None
        return self._fernet

    def load(self) -> Profile:
        if not self.path.exists():
            return Profile()
        try:
            stored = json.loads(self.path.read_text(encoding="utf-8"))
            people = [self._open(entry) for entry in stored.get("people", [])]
        except (ValueError, KeyError, TypeError) as error:
            raise ProfileUnreadable(f"The traveller profile {self.path} cannot be read ({error}).") from None
        except InvalidToken:
            raise ProfileUnreadable(
                f"The traveller profile {self.path} was encrypted with another key; enter the profile again."
            ) from None
        traveller = next((p for role, p in people if role == "traveller"), None)
        return Profile(traveller=traveller, companions=[p for role, p in people if role == "companion"])

    def save(self, profile: Profile) -> None:
        people = [("traveller", profile.traveller)] if profile.traveller else []
        people += [("companion", p) for p in profile.companions]
        body = {"version": 1, "people": [self._seal(role, person) for role, person in people]}
        _write_private(self.path, json.dumps(body, indent=1).encode())

    def _seal(self, role: str, person: Person) -> dict[str, Any]:
        values = person.model_dump(mode="json")
        secret = {key: values.pop(key) for key in IDENTIFYING}
        sealed = self._cipher().encrypt(json.dumps(secret).encode()).decode()
        return {"role": role, "plain": values, "sealed": sealed}

    def _open(self, entry: dict[str, Any]) -> tuple[str, Person]:
        secret = json.loads(self._cipher().decrypt(entry["sealed"].encode()))
        person = Person.model_validate({**entry["plain"], "frequent_flyer": secret.get("frequent_flyer") or {}})
        # Stored values were checked when saved; a passport that expired since is loaded as it is, not refused.
        dated = {key: date.fromisoformat(secret[key]) if secret.get(key) else None for key in DATES}
        return entry["role"], person.model_copy(update={**dated, "passport_number": secret.get("passport_number")})
