"""Provisional: replaced by the full provenance module (addresses and URLs by meaning) when it lands."""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import unquote_plus, urlsplit

_TOKEN = re.compile(r"[A-Za-z0-9@._%+-]+")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_host(raw: str) -> str:
    host = raw.strip().lower().rstrip(".")
    if not host or not re.fullmatch(r"[a-z0-9.\-:\[\]]+", host):
        try:
            host = host.encode("idna").decode()
        except UnicodeError:
            return ""
    return host


def site_of(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    host = canonical_host(parts.hostname)
    port = parts.port
    return host if port in (None, _DEFAULT_PORTS[parts.scheme]) else f"{host}:{port}"


def in_scope(site: str, scope: Iterable[str]) -> bool:
    for entry in scope:
        if ":" in entry:
            if site == entry:
                return True
        elif site.split(":")[0] == entry or site.split(":")[0].endswith("." + entry):
            return True
    return False


def _data_tokens(text: str) -> set[str]:
    found = set()
    for token in _TOKEN.findall(text):
        token = token.strip(".-").lower()
        if re.fullmatch(r"\d{4,}", token) or "@" in token:
            found.add(token)
        elif len(token) >= 6 and re.search(r"\d", token) and re.search(r"[a-z]", token):
            found.add(token)
        else:
            found.update(re.findall(r"\d{4,}", token))
    return found


@dataclass
class Taint:
    values: set[str] = field(default_factory=set)
    trusted: set[str] = field(default_factory=set)

    def typed(self, value: str) -> None:
        self.values.update(t.lower() for t in _TOKEN.findall(value) if len(t) >= 3)

    def read(self, text: str) -> None:
        self.values.update(_data_tokens(text))

    def trust(self, text: str) -> None:
        self.trusted.update(t.lower() for t in _TOKEN.findall(text))


def carried(url: str, taint: Taint, shown: str = "") -> str | None:
    decoded = url
    for _ in range(3):
        decoded = unquote_plus(decoded)
    baseline = unquote_plus(unquote_plus(shown)).lower()
    lowered = decoded.lower()
    for value in sorted(taint.values - taint.trusted):
        if value in lowered and value not in baseline:
            return value
    return None
