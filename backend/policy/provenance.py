"""Provenance by meaning: hosts, addresses and data recognised however they are spelled.

A hijacked model that wants to leak what Deputy saw needs nothing but a GET: it opens
`https://evil.example/?c=731904`, or hides the code in a subdomain, in base64, in percent-encoding. So the
checks here compare meanings, not spellings:

- `canonical_host` gives every spelling of a host one form (IPv4 in any form a browser accepts, IPv6,
  IDN to punycode, case, trailing dot), so 127.0.0.1, 2130706433, 0x7f.1 and [::ffff:127.0.0.1] are one.
- `addresses` finds e-mail addresses in any valid form (display names, quoted local parts, IP literals,
  IDN, percent-encoded, mailto:), canonical, so attacker@[127.0.0.1] is caught like attacker@evil.example.
- `Taint` remembers what Deputy typed and the data in what it read; `carried` says whether a URL carries
  any of it (in a subdomain, the path, the query or the fragment, after percent-, base64-, hex-, base32-
  and punycode-decoding), unless the page's own link already held it or the user wrote it.

What counts as data in read text (so that the common words of every page taint nothing):
- runs of 4 or more digits (codes, account numbers; a year such as 2024 is not data), and digit groups
  written apart ("731 904" is 731904);
- e-mail addresses and host names, canonical;
- tokens of 6 or more characters that mix letters and digits (tokens, ids);
- word 3-grams (lower-cased words of 2 or more letters) with at least one word outside a list of common
  English and web words, so a message's text is caught when 3 consecutive words of it leave, while
  "terms of service" or "getting started with" is not.
What Deputy typed is tainted whole, and by each of its tokens of 3 or more characters that is not a common
word. Everything here is pure: no I/O, nothing but the standard library.

Limits, said plainly: data re-encoded in ways not listed (reversed, enciphered, spelled out in words, one
character per request) passes. This check stops the plain leaks; the site scope and the approvals stop
the rest.
"""

import base64
import binascii
import html
import ipaddress
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import unquote, unquote_plus

# ---------------------------------------------------------------------------------------------------------
# Hosts

DEFAULT_PORTS = {"http": 80, "https": 443}
# Code points a browser refuses in a host name (WHATWG "forbidden domain code point", less "%" decoded first).
_FORBIDDEN_IN_HOST = re.compile(r"[\x00-\x20#/:<>?@\[\\\]^|%\x7f]")
_IDN_DOTS = re.compile("[\u3002\uff0e\uff61]")


def _ipv4_number(part: str) -> int | None:
    """One part of an IPv4 address as a browser reads it: decimal, 0x hex or 0-prefixed octal."""
    if part[:2].lower() == "0x":
        digits, base = part[2:], 16
        if digits == "":
            return 0
    elif len(part) > 1 and part.startswith("0"):
        digits, base = part[1:], 8
    else:
        digits, base = part, 10
    try:
        return int(digits, base) if digits.isascii() and digits.isalnum() else None
    except ValueError:
        return None


def _ipv4(host: str) -> str | None:
    """The dotted form of an IPv4 host in any form browsers accept (2130706433, 0x7f.1, 0177.0.0.1, 127.1)."""
    parts = host.split(".")
    numbers = [_ipv4_number(part) for part in parts] if all(parts) and len(parts) <= 4 else [None]
    if any(n is None for n in numbers):
        return None
    values = [n for n in numbers if n is not None]
    if any(n > 255 for n in values[:-1]) or values[-1] >= 256 ** (5 - len(values)):
        return None
    address = values[-1]
    for index, number in enumerate(values[:-1]):
        address += number << (8 * (3 - index))
    return str(ipaddress.IPv4Address(address))


def _ends_in_number(host: str) -> bool:
    """WHATWG: a host whose last label is a number is an IPv4 address or nothing at all."""
    last = host.rsplit(".", 1)[-1]
    return bool(last) and ((last.isascii() and last.isdigit()) or bool(re.fullmatch(r"0[xX][0-9A-Fa-f]*", last)))


def _ipv6(text: str) -> str | None:
    """An IPv6 literal (without brackets) canonical; an IPv4-mapped one is the IPv4 address it reaches."""
    try:
        address = ipaddress.IPv6Address(text.split("%", 1)[0])
    except ValueError:
        return None
    mapped = address.ipv4_mapped
    return str(mapped) if mapped is not None else f"[{address.compressed}]"


def _domain(host: str) -> str:
    """A domain name in punycode, lower case; "" when no browser would take it as a host."""
    host = _IDN_DOTS.sub(".", host).lower()
    labels = host.split(".")
    out = []
    for label in labels:
        try:
            if label.startswith("xn--"):
                # Decoded and encoded again, so every spelling of an IDN label ends in one form.
                label = label.encode("ascii").decode("idna")
            ascii_label = label if label.isascii() else label.encode("idna").decode("ascii").lower()
        except (UnicodeError, ValueError):
            return ""
        if not ascii_label or len(ascii_label) > 63 or _FORBIDDEN_IN_HOST.search(ascii_label):
            return ""
        out.append(ascii_label)
    return ".".join(out)


def canonical_host(raw: str, default_port: int | None = None) -> str:
    """One spelling for a host and its port ("host" or "host:port"); "" for something that is not a host.

    Lower case, trailing dot dropped, percent-decoded as browsers do, IDN to punycode, IPv4 in any form
    browsers accept as dotted decimal, IPv6 compressed in brackets ([::ffff:a.b.c.d] is a.b.c.d: it
    reaches the same machine). A port equal to `default_port` is dropped; "localhost" stays "localhost",
    distinct from 127.0.0.1, as browsers keep them distinct origins.
    """
    text = unquote(raw.strip()).rpartition("@")[2]
    port = ""
    if text.startswith("["):
        inside, bracket, after = text[1:].partition("]")
        if not bracket or (after and not after.startswith(":")):
            return ""
        host = _ipv6(inside.removeprefix("IPv6:").removeprefix("ipv6:"))
        port = after[1:]
    elif text.count(":") > 1:
        host = _ipv6(text)
    else:
        name, _, port = text.partition(":")
        name = name.rstrip(".") if not name.endswith("..") else ""
        if not name:
            return ""
        host = _ipv4(name) if _ends_in_number(name) else _domain(name)
    if not host:
        return ""
    if port:
        if not port.isascii() or not port.isdigit() or int(port) > 65535:
            return ""
        if int(port) != default_port:
            return f"{host}:{int(port)}"
    return host


_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):(.*)", re.S)


def _split_url(url: str) -> tuple[str, str, str]:
    """(scheme, authority, rest) as a browser splits an http(s) URL: backslashes are slashes, tabs dropped."""
    text = re.sub(r"[\t\n\r]", "", url).strip("\x00 \x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f")
    match = _SCHEME.fullmatch(text)
    if match is None:
        return "", "", text
    scheme, rest = match.group(1).lower(), match.group(2)
    if scheme not in DEFAULT_PORTS:
        return scheme, "", rest
    rest = rest.lstrip("/\\")
    end = re.search(r"[/\\?#]", rest)
    cut = end.start() if end else len(rest)
    return scheme, rest[:cut], rest[cut:]


def site_of(url: str) -> str:
    """The canonical "host[:port]" of an http(s) URL, its scheme's default port dropped; "" otherwise."""
    scheme, authority, _ = _split_url(url)
    if scheme not in DEFAULT_PORTS or not authority:
        return ""
    return canonical_host(authority.rpartition("@")[2], DEFAULT_PORTS[scheme])


def _host_and_port(site: str) -> tuple[str, str]:
    if site.startswith("["):
        host, _, after = site.partition("]")
        return host + "]", after.removeprefix(":")
    host, _, port = site.partition(":")
    return host, port


def _is_ip(host: str) -> bool:
    return host.startswith("[") or _ipv4(host) == host


def in_scope(site: str, scope: Iterable[str]) -> bool:
    """Whether a site is within the scope: an entry "example.com" covers it and its subdomains on any port;
    an entry with a port covers only that port; an IP address covers only itself. Entries may be host
    names in any spelling or URLs. "localhost" and 127.0.0.1 are different sites, as they are to browsers.
    """
    canonical = canonical_host(site)
    if not canonical:
        return False
    host, port = _host_and_port(canonical)
    for entry in scope:
        wanted = site_of(entry) if "://" in entry else canonical_host(entry)
        if not wanted:
            continue
        wanted_host, wanted_port = _host_and_port(wanted)
        if wanted_port and wanted_port != port:
            continue
        if host == wanted_host or (not _is_ip(wanted_host) and host.endswith("." + wanted_host)):
            return True
    return False


# ---------------------------------------------------------------------------------------------------------
# Addresses and host names in free text

_ATEXT = r"[A-Za-z0-9!#$%&'*+^_~\u00a0-\U0010ffff-]"  # RFC 5322 atext less = ? / ` { | }, as URLs use them
_ATEXT_ASCII = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+^_~-")
_LABEL = r"[A-Za-z0-9_\u00a0-\U0010ffff](?:[A-Za-z0-9_\u00a0-\U0010ffff-]{0,62})"
_DOTS = "[.\u3002\uff0e\uff61]"
_DOMAIN = rf"(?:\[[^\]\s]{{1,60}}\]|{_LABEL}(?:{_DOTS}{_LABEL})*)"
# After an "@": an optional comment, then the domain.
_DOMAIN_AFTER_AT = re.compile(rf"(?:\([^()\n]{{0,64}}\))?({_DOMAIN})")
_AT = re.compile("@")
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);")
_QUOTED_REACH = 130  # a quoted local part is at most 64 characters, escapes doubling them
_DOT_ATOM = re.compile(rf"{_ATEXT}+(?:\.{_ATEXT}+)*")


def _decodings(text: str) -> list[str]:
    """The text and its HTML-unescaped and percent-decoded forms (repeatedly, for %2540)."""
    forms = [text]
    unescaped = html.unescape(text) if _ENTITY.search(text) else text
    if unescaped != text:
        forms.append(unescaped)
    current = unescaped
    for _ in range(3):
        decoded = unquote(current)
        if decoded == current:
            break
        forms.append(decoded)
        current = decoded
    return forms


def _address_domain(raw: str) -> str:
    """An address's domain canonical: a name in punycode, or an IP literal "[127.0.0.1]" / "[ipv6:::1]"."""
    if raw.startswith("["):
        tag, colon, value = raw[1:-1].partition(":")
        if colon and tag.lower() == "ipv6":
            literal = _ipv6(value)
        else:
            literal = _ipv4(raw[1:-1]) if _ends_in_number(raw[1:-1]) else None
    elif re.fullmatch(r"\d{1,3}(?:\.\d{1,3}){3}", raw):
        literal = _ipv4(raw)  # some mail systems take ana@127.0.0.1 for ana@[127.0.0.1]
    elif _ends_in_number(raw):
        return ""
    else:
        host = canonical_host(raw)
        # "me@work" is a way of speaking, not an address.
        return host if "." in host or host == "localhost" else ""
    if literal is None:
        return ""
    return f"[ipv6:{literal[1:-1]}]" if literal.startswith("[") else f"[{literal}]"


def _address_host(domain: str) -> str:
    """The host an address's domain names: [127.0.0.1] is 127.0.0.1, [ipv6:::1] is [::1]."""
    if domain.startswith("[ipv6:"):
        return "[" + domain.removeprefix("[ipv6:")
    return domain.strip("[]")


def _local_part(raw: str) -> str:
    if raw.startswith('"'):
        inner = re.sub(r"\\(.)", r"\1", raw[1:-1])
        if _DOT_ATOM.fullmatch(inner):
            return inner.lower()  # "ana" is ana: the quotes change nothing
        return '"' + inner.replace("\\", "\\\\").replace('"', '\\"').lower() + '"'
    return raw.lower()


def addresses(text: str) -> set[str]:
    """Every e-mail address in free text, canonical: "Ana <ANA@Example.COM>" is ana@example.com.

    Domains are lower-cased and punycoded, IP literals canonical ("[127.0.0.1]", "[ipv6:::1]"), quoted local
    parts unquoted when the quotes change nothing, percent-encoded, HTML-escaped and mailto: forms decoded;
    sub-addresses (ana+news@) are kept as written. Local parts are lower-cased: mail systems treat them so.
    """
    found: set[str] = set()
    for form in _decodings(text):
        # Each "@" is read outwards: the local part before it, the domain after; prose costs nothing.
        for at in (m.start() for m in _AT.finditer(form)):
            local = _local_before(form, at)
            after = _DOMAIN_AFTER_AT.match(form, at + 1)
            if local is None or after is None:
                continue
            domain = _address_domain(after.group(1).rstrip(".\u3002\uff0e\uff61"))
            if domain:
                found.add(f"{_local_part(local)}@{domain}")
    return found


def _is_atext(char: str) -> bool:
    return char in _ATEXT_ASCII or char >= "\u00a0"


def _local_before(text: str, at: int) -> str | None:
    """The local part that ends at text[at] ("@"), read backwards: quoted, or dot-atom; a comment skipped."""
    end = at
    if end and text[end - 1] == ")":  # ana(comment)@example.com
        opening = text.rfind("(", max(0, end - 66), end - 1)
        if opening < 0:
            return None
        end = opening
    if end and text[end - 1] == '"':
        start = end - 2
        while start >= max(0, end - _QUOTED_REACH):
            if text[start] == '"' and (start == 0 or text[start - 1] != "\\"):
                return text[start:end] if end - start > 2 else None
            start -= 1
        return None
    start = end
    while start and (_is_atext(text[start - 1]) or text[start - 1] == "."):
        start -= 1
    local = text[start:end].strip(".")
    return local or None


_MAY_NAME_A_HOST = re.compile("[.\u3002\uff0e\uff61\\[%&@:]|\\d{8}")
_URL_HOST = re.compile(r"(?i)\b(?:https?|ftp|wss?):[/\\]*([^\s/\\?#\"'<>]+)")
_BARE_HOST = re.compile(rf"(?<![\w@.-])(?:{_LABEL}{_DOTS})+(?:xn--[a-z0-9-]+|[^\W\d_]{{2,63}})\.?(?![\w-])")
_DOTTED_IP = re.compile(r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w.])")
_BRACKETED = re.compile(r"\[[0-9A-Fa-f:.]{2,45}\]")
# Names ending so are files, not hosts: report.pdf is no site.
_FILE_ENDING_NAMES = (
    "html htm php asp aspx jsp pdf png jpg jpeg gif svg webp ico css js mjs json txt xml csv md py rb go rs "
    "zip gz tar exe doc docx xls xlsx ppt pptx mp3 mp4 wav avi mov"
)
_FILE_ENDINGS = frozenset(_FILE_ENDING_NAMES.split())


def hosts_in(text: str, known_addresses: set[str] | None = None) -> set[str]:
    """Every host named in text, canonical: URL hosts, bare domains (mail.example), IP literals, and the
    domains of e-mail addresses. Names that end like a file (report.pdf) are not taken for hosts."""
    found: set[str] = set()
    if not _MAY_NAME_A_HOST.search(text):
        return found
    for form in _decodings(text):
        for match in _URL_HOST.finditer(form):
            host = canonical_host(match.group(1).rpartition("@")[2].rsplit(":", 1)[0])
            if host:
                found.add(host)
        for match in _BARE_HOST.finditer(form):
            name = match.group(0).rstrip(".")
            if name.rsplit(".", 1)[-1].lower() in _FILE_ENDINGS:
                continue
            host = canonical_host(name)
            if host:
                found.add(host)
        for pattern in (_DOTTED_IP, _BRACKETED):
            for match in pattern.finditer(form):
                host = canonical_host(match.group(0))
                if host:
                    found.add(host)
    named = addresses(text) if known_addresses is None else known_addresses
    found.update(_address_host(address.rpartition("@")[2]) for address in named)
    return found


# ---------------------------------------------------------------------------------------------------------
# What is data: the atoms of a text

# Words every page and every URL is full of; a 3-gram made only of these is no message.
_COMMON_WORDS = """
    a about above after again against all also am an and any are as at back be because been before being below
    between both but by can could did do does doing done down during each even ever every few for from further
    get gets getting go goes going got had has have having he her here hers him his how i if in into is it its
    just let like made make many may me more most much must my new no nor not now of off on once one only or
    other our ours out over own per please same see she should show so some such than that the their them then
    there these they this those through to too two under until up upon us use used using very via want was
    way we well were what when where which while who whom why will with within without would yes yet you your
    yours
    home help settings setting docs doc documentation guide guides started start tutorial tutorials faq about
    contact support terms service services privacy policy policies cookie cookies legal notice account
    accounts profile login logout log sign signin signup register in out search results result page pages next
    previous prev first last more less view views read all latest news blog post posts article articles
    category categories tag tags archive archives menu main nav navigation skip content footer header sidebar
    language lang english en de fr es it nl pt ja zh ru default index site sites map sitemap feed rss share
    follow like subscribe unsubscribe newsletter email mail inbox message messages reply forward send sent
    draft drafts trash spam delete edit save cancel close open ok submit continue back top bottom left right
    day days week weeks month months year years today yesterday tomorrow time date am pm min sec hour hours
    free best top popular new trending featured recommended related similar items item list lists product
    products shop store cart checkout order orders price prices buy sale deal deals offer offers download
    downloads upload file files image images photo photos video videos app apps mobile desktop version
    release notes changelog status api developer developers reference learn learning course courses how why
    what who where when which community forum forums question questions answer answers team teams careers
    jobs company press media events event calendar dashboard overview details detail info information
    update updates upgrade pricing plans plan features feature product solutions solution enterprise
    business personal customer customers user users people member members group groups manage management
    security safety report reports issue issues bug bugs feedback review reviews rating ratings
"""
_COMMON = frozenset(_COMMON_WORDS.split())
_DIGITS = re.compile(r"\d+")
_DIGIT_GROUPS = re.compile(r"\d{2,}(?:[ .\-\u00a0]\d{2,})+")
_TOKEN = re.compile(r"[^\W_]+(?:[-_][^\W_]+)*")
_ALNUM = re.compile(r"[^\W_]+")
_WITH_DIGIT = re.compile(r"[\w-]*\d[\w-]*")
_WORD = re.compile(r"[^\W\d_]{2,}")
_YEAR = re.compile(r"(19|20)\d\d")
# Digit runs at least this long are also found inside longer runs (a code padded with other digits).
_INSIDE_FROM = 6


def _mixed(token: str) -> bool:
    return len(token) >= 6 and any(c.isdigit() for c in token) and any(c.isalpha() for c in token)


def _atoms(text: str) -> Iterator[tuple[str, str]]:
    """The data in a text, as (kind, canonical value): n number, t token, a address, h host, w 3 words."""
    for match in _DIGITS.finditer(text):
        run = match.group(0)
        if len(run) >= 4 and not (len(run) == 4 and _YEAR.fullmatch(run)):
            yield "n", run
    for match in _DIGIT_GROUPS.finditer(text):
        joined = re.sub(r"\D", "", match.group(0))
        if len(joined) >= 6:
            yield "n", joined
    # Only tokens with a digit can mix letters and digits: prose is skipped at the speed of a regex.
    for match in _WITH_DIGIT.finditer(text):
        token = match.group(0)
        for part in {token, *_TOKEN.findall(token), *_ALNUM.findall(token)}:
            if _mixed(part):
                yield "t", part.lower()
    found = addresses(text) if "@" in text or "%" in text or "&" in text else set()
    for address in found:
        yield "a", address
    for host in hosts_in(text, found):
        yield "h", host
    words = _WORD.findall(text.lower())
    for first, second, third in zip(words, words[1:], words[2:], strict=False):
        if first not in _COMMON or second not in _COMMON or third not in _COMMON:
            yield "w", f"{first} {second} {third}"


def _typed_atoms(value: str) -> Iterator[tuple[str, str]]:
    """A typed value: whole, by its tokens of 3 or more characters that are not common words, and its atoms."""
    whole = " ".join(value.lower().split())
    if whole:
        yield "v", whole
    for match in _ALNUM.finditer(value.lower()):
        token = match.group(0)
        if len(token) >= 3 and token not in _COMMON:
            yield "k", token
    yield from _atoms(value)


# ---------------------------------------------------------------------------------------------------------
# What a URL carries

_URL = re.compile(r"(?i)\bhttps?:[/\\]*[^\s\"'<>]+")
_BASE64 = re.compile(r"[A-Za-z0-9+/_-]{8,}={0,2}")
_HEX = re.compile(r"(?i)\b(?:[0-9a-f]{2}){4,}\b")
_BASE32 = re.compile(r"(?i)\b[a-z2-7]{8,}={0,6}")
_PUNY = re.compile(r"(?i)\bxn--[a-z0-9-]+")


def _printable(raw: bytes) -> str | None:
    """Decoded bytes as text when they are mostly printable text, else None (random bytes are no message)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if len(text) < 3:
        return None
    printable = sum(1 for c in text if c.isprintable() or c in "\n\t")
    return text if printable >= 0.9 * len(text) else None


def _unwrapped(text: str) -> Iterator[str]:
    """Texts hidden in a piece by base64 (standard or URL-safe, padded or not), hex, base32 and punycode."""
    for match in _BASE64.finditer(text):
        chunk = match.group(0).rstrip("=").replace("-", "+").replace("_", "/")
        if len(chunk) % 4 == 1:
            continue
        try:
            decoded = _printable(base64.b64decode(chunk + "=" * (-len(chunk) % 4), validate=True))
        except (binascii.Error, ValueError):
            decoded = None
        if decoded:
            yield decoded
    for match in _HEX.finditer(text):
        decoded = _printable(bytes.fromhex(match.group(0)))
        if decoded:
            yield decoded
    for match in _BASE32.finditer(text):
        chunk = match.group(0).rstrip("=").upper()
        try:
            decoded = _printable(base64.b32decode(chunk + "=" * (-len(chunk) % 8)))
        except (binascii.Error, ValueError):
            decoded = None
        if decoded:
            yield decoded
    for match in _PUNY.finditer(text):
        try:
            yield match.group(0).lower().encode("ascii").decode("idna")
        except (UnicodeError, ValueError):
            continue


def _readings(piece: str, depth: int = 0) -> list[str]:
    """A URL piece in every reading: percent-decoded repeatedly (+ as space), then unwrapped, twice deep."""
    readings = [piece]
    current = piece
    for _ in range(4):
        decoded = unquote_plus(current)
        if decoded == current:
            break
        readings.append(decoded)
        current = decoded
    if depth < 2:
        for reading in list(readings):
            for inner in _unwrapped(reading):
                readings.extend(_readings(inner, depth + 1))
    return readings


def _pieces(url: str) -> Iterator[str]:
    """Where data can ride in a URL: the subdomain labels, the user info, the path segments, the query's
    keys and values, and the fragment; each also whole, for values joined across delimiters."""
    scheme, authority, rest = _split_url(url)
    if scheme not in DEFAULT_PORTS:
        yield rest
        return
    userinfo, at, hostport = authority.rpartition("@")
    if at:
        yield userinfo
    host = hostport
    if not host.startswith("["):
        host = hostport.rsplit(":", 1)[0] if hostport.count(":") == 1 else hostport
        labels = _IDN_DOTS.sub(".", unquote(host)).rstrip(".").split(".")
        if not _ends_in_number(".".join(labels)):
            # Every label but the top-level one can carry data; the labels below the site's name, joined.
            yield from labels[:-1]
            if len(labels) > 3:
                yield ".".join(labels[:-2])
    before_fragment, _, fragment = rest.partition("#")
    path, _, query = before_fragment.partition("?")
    path = path.replace("\\", "/")
    yield from (segment for segment in re.split(r"[/;]", path) if segment)
    if path.strip("/"):
        yield path
    for part in (query, fragment):
        if not part:
            continue
        yield part
        for pair in re.split(r"[&;]", part):
            key, _, value = pair.partition("=")
            yield key
            if value:
                yield value
        if part.startswith("/"):
            yield from (segment for segment in part.split("/") if segment)


def _digit_runs_inside(text: str, lengths: Iterable[int]) -> Iterator[str]:
    for match in _DIGITS.finditer(text):
        run = match.group(0)
        for length in lengths:
            if length < len(run):
                for start in range(len(run) - length + 1):
                    yield run[start : start + length]


@dataclass
class _Seen:
    """Kinds and values as hashes (bounded memory), with the lengths of numbers for finding them in runs."""

    keys: set[int] = field(default_factory=set)
    number_lengths: set[int] = field(default_factory=set)

    def add(self, kind: str, value: str) -> bool:
        """Remember it; True if it was new."""
        key = hash((kind, value))
        if key in self.keys:
            return False
        self.keys.add(key)
        if kind == "n" and len(value) >= _INSIDE_FROM:
            self.number_lengths.add(len(value))
        return True

    def __contains__(self, item: tuple[str, str]) -> bool:
        return hash(item) in self.keys


# A task reads a few megabytes; past this many remembered 3-grams (about 60 MB), further message text is
# no longer remembered, while numbers, tokens, addresses and hosts always are.
MAX_WORD_GRAMS = 1_000_000

_WHAT = {
    "n": "a number",
    "t": "a code",
    "a": "an address",
    "h": "a site name",
    "w": "message text",
    "k": "a word",
    "v": "a value",
}


@dataclass
class Taint:
    """What Deputy typed or read during one task, kept so that none of it leaves in a URL unnoticed."""

    _read: _Seen = field(default_factory=_Seen)
    _typed: _Seen = field(default_factory=_Seen)
    _trusted: _Seen = field(default_factory=_Seen)
    _grams: int = 0

    def typed(self, value: str) -> None:
        """A value Deputy typed into a page."""
        for kind, atom in _typed_atoms(value):
            self._typed.add(kind, atom)

    def read(self, text: str) -> None:
        """Text Deputy read (snapshots, extracted text): the data in it is remembered, its common words not."""
        for kind, atom in _atoms(text):
            if kind != "w":
                self._read.add(kind, atom)
            elif self._grams < MAX_WORD_GRAMS and self._read.add(kind, atom):
                self._grams += 1

    def trust(self, text: str) -> None:
        """What the user wrote (the instruction, the task's URL, values they approved): never taint."""
        for kind, atom in _typed_atoms(text):
            self._trusted.add(kind, atom)
        for url in _URL.findall(text):
            for piece in _pieces(url):
                for kind, atom in _candidates(piece, self):
                    self._trusted.add(kind, atom)

    def origin(self, kind: str, value: str) -> str | None:
        if (kind, value) in self._trusted:
            return None
        if (kind, value) in self._typed:
            return "typed"
        if kind not in "kv" and (kind, value) in self._read:
            return "read on a page"
        return None

    def read_in(self, value: str) -> str | None:
        """What data of a page `value` carries ("a number"), said without the data itself; None when it
        carries none. What the user wrote, and what Deputy typed before (and the page then showed), is not
        the page's."""
        for kind, atom in _atoms(value):
            item = (kind, atom)
            if item in self._read and item not in self._trusted and item not in self._typed:
                return _WHAT[kind]
        return None

    @property
    def number_lengths(self) -> set[int]:
        return self._read.number_lengths | self._typed.number_lengths


def _candidates(piece: str, taint: Taint) -> Iterator[tuple[str, str]]:
    """Every (kind, value) a URL piece could carry, in every reading of it."""
    lengths = taint.number_lengths
    for reading in _readings(piece):
        whole = " ".join(reading.lower().split())
        if whole:
            yield "v", whole
        for match in _ALNUM.finditer(reading.lower()):
            if len(match.group(0)) >= 3:
                yield "k", match.group(0)
        yield from _atoms(reading)
        for run in _digit_runs_inside(reading, lengths):
            yield "n", run


def carried(url: str, taint: Taint, shown: str = "") -> str | None:
    """What tainted value the URL carries, said briefly ("731904, a number Deputy read on a page"); None if
    it carries none. A value the page's own link (`shown`, its href as the page showed it) already held, or
    that the user wrote, is not data leaving. Host names are compared without the destination's own."""
    own = site_of(url)
    own_host = _host_and_port(own)[0] if own else ""
    held = {item for piece in _pieces(shown) for item in _candidates(piece, taint)} if shown else set()
    done: set[str] = set()
    for piece in _pieces(url):
        if piece in done:
            continue
        done.add(piece)
        for kind, value in _candidates(piece, taint):
            if kind == "h" and own_host and (own_host == value or own_host.endswith("." + value)):
                continue
            if (kind, value) in held:
                continue
            source = taint.origin(kind, value)
            if source is not None:
                return f"{value}, {_WHAT[kind]} Deputy {source}"
    return None
