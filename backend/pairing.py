"""Pairing codes and client tokens.

A code is short enough to type (8 characters from an alphabet without look-alikes, about 40 bits) and lives
ten minutes; the rate limiter makes guessing it hopeless. A token is 256 random bits. Both are stored only
as SHA-256 hashes, so a copy of the database cannot be used to connect.
"""

import hashlib
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlmodel import Session, select

from backend.models import Client, PairingCode

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
CODE_LIFETIME = timedelta(minutes=10)
LOCAL_CLIENT = "local"


class PairingError(Exception):
    """A pairing attempt that must be refused; the message is safe to show the caller."""


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalize_code(code: str) -> str:
    """Accept the code as people type it: any case, with or without the dash or spaces."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def format_code(raw: str) -> str:
    return f"{raw[:4]}-{raw[4:]}"


def _aware(moment: datetime, like: datetime) -> datetime:
    # SQLite returns naive datetimes; Deputy stores UTC, so restore the zone before comparing.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=like.tzinfo)


def new_code(session: Session, now: datetime) -> tuple[str, datetime]:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    expires = now + CODE_LIFETIME
    session.add(PairingCode(code_hash=digest(raw), created_at=now, expires_at=expires))
    return format_code(raw), expires


def redeem_code(session: Session, code: str, now: datetime) -> None:
    """Use up a code; raises PairingError if it is unknown, used or expired."""
    found = session.exec(select(PairingCode).where(PairingCode.code_hash == digest(normalize_code(code)))).first()
    if found is None:
        raise PairingError("That pairing code is not valid. Run `deputy pair` for a fresh code.")
    if found.used_at is not None:
        raise PairingError("That pairing code was already used. Run `deputy pair` for a fresh code.")
    if _aware(found.expires_at, now) <= now:
        raise PairingError("That pairing code has expired (codes last 10 minutes). Run `deputy pair` again.")
    found.used_at = now
    session.add(found)


def issue_token(session: Session, name: str, kind: str, origin: str | None, now: datetime) -> str:
    """Create or re-pair the client `name` with a fresh token; the previous token of that name stops working."""
    token = secrets.token_urlsafe(32)
    client = session.exec(select(Client).where(Client.name == name)).first()
    if client is None:
        client = Client(name=name, kind=kind, origin=origin, token_hash=digest(token), created_at=now)
    else:
        client.kind, client.origin, client.token_hash = kind, origin, digest(token)
        client.created_at, client.revoked_at, client.last_seen_at = now, None, None
    session.add(client)
    return token


def _holder(session: Session, token: str) -> Client | None:
    """The client `token` was given to, revoked or not."""
    return session.exec(select(Client).where(Client.token_hash == digest(token))).first()


def client_for_token(session: Session, token: str) -> Client | None:
    client = _holder(session, token)
    if client is None or client.revoked_at is not None:
        return None
    return client


def refusal(session: Session, token: str) -> str:
    """Why `token` is refused: its client was unpaired, or it is no token Deputy gave."""
    client = _holder(session, token)
    if client is not None and client.revoked_at is not None:
        what = "This browser" if client.kind == "extension" else f"Client {client.name!r}"
        return f"{what} was unpaired from Deputy. Pair again with `deputy pair`."
    return "That token is not valid or was revoked. Pair again with `deputy pair`."


def revoke(session: Session, name: str, now: datetime) -> Client:
    client = session.exec(select(Client).where(Client.name == name)).first()
    if client is None:
        raise PairingError(f"No paired client is called {name!r}. `deputy pair --list` shows them.")
    if client.revoked_at is None:
        client.revoked_at = now
        session.add(client)
    return client


def paired_origins(session: Session) -> set[str]:
    rows = session.exec(select(Client.origin).where(Client.revoked_at.is_(None), Client.origin.is_not(None)))  # type: ignore[union-attr]
    return {origin for origin in rows if origin}


@dataclass(frozen=True)
class LocalToken:
    token: str
    path: Path


def ensure_local_token(session: Session, path: Path, now: datetime) -> LocalToken:
    """The token the CLI and tray use, kept in the data folder readable by its owner only."""
    if path.exists():
        token = path.read_text().strip()
        if token and client_for_token(session, token) is not None:
            return LocalToken(token, path)
    token = issue_token(session, LOCAL_CLIENT, "local", None, now)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(token + "\n")
    os.chmod(path, 0o600)
    return LocalToken(token, path)
