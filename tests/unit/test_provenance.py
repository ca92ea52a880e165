"""Hosts, addresses and smuggled data recognised by meaning, not by spelling."""

import base64
import json
from urllib.parse import quote

import pytest

from backend.policy import provenance
from backend.policy.provenance import Taint, addresses, canonical_host, carried, hosts_in, in_scope, site_of


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("0x7F000001", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("[::ffff:127.0.0.1]", "127.0.0.1"),
        ("[0:0:0:0:0:0:0:1]", "[::1]"),
        ("[::1]:8080", "[::1]:8080"),
        ("Mail.Example.COM.", "mail.example.com"),
        ("bücher.example", "xn--bcher-kva.example"),
        ("XN--BCHER-KVA.example", "xn--bcher-kva.example"),
        ("bücher。example", "xn--bcher-kva.example"),
        ("%65vil.example", "evil.example"),
        ("evil.example:8080", "evil.example:8080"),
        ("evil.example:08080", "evil.example:8080"),
        ("localhost", "localhost"),
        ("", ""),
        ("not a host", ""),
        ("256.1.1.1", ""),
        ("1.2.3.4.5", ""),
        ("evil.example:99999", ""),
        ("[::g]", ""),
    ],
)
def test_one_spelling_for_every_host(raw: str, canonical: str) -> None:
    assert canonical_host(raw) == canonical


@pytest.mark.parametrize(
    ("url", "site"),
    [
        ("https://Evil.Example:443/x", "evil.example"),
        ("http://evil.example:80", "evil.example"),
        ("https://evil.example:80/", "evil.example:80"),
        ("http://user:secret@2130706433:8080/", "127.0.0.1:8080"),
        ("HTTPS:\\\\evil.example\\path", "evil.example"),
        ("https:////evil.example/", "evil.example"),
        (" https://ev\til.example/ ", "evil.example"),
        ("https://[::ffff:7f00:1]/", "127.0.0.1"),
        ("http://bücher.example/", "xn--bcher-kva.example"),
        ("javascript:alert(1)", ""),
        ("mailto:ana@example.com", ""),
        ("/relative/path", ""),
    ],
)
def test_site_of_a_url(url: str, site: str) -> None:
    assert site_of(url) == site


@pytest.mark.parametrize(
    ("site", "scope", "inside"),
    [
        ("mail.example.com", ["example.com"], True),
        ("example.com", ["Example.COM."], True),
        ("evilexample.com", ["example.com"], False),
        ("example.com.evil.example", ["example.com"], False),
        ("example.com:8080", ["example.com"], True),  # an entry without a port covers every port
        ("example.com:8080", ["example.com:8080"], True),
        ("example.com", ["example.com:8080"], False),
        ("2130706433", ["127.0.0.1"], True),
        ("127.0.0.1:8740", ["http://0x7f.1:8740/inbox"], True),
        ("localhost", ["127.0.0.1"], False),  # distinct origins to a browser, so distinct sites here
        ("1.127.0.0.1", ["127.0.0.1"], False),
        ("xn--bcher-kva.example", ["bücher.example"], True),
        ("evil.example", [], False),
    ],
)
def test_scope_compares_canonical_forms(site: str, scope: list[str], inside: bool) -> None:
    assert in_scope(site, scope) is inside


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Ana <ANA@Example.COM>", {"ana@example.com"}),
        ('"Ruiz, Ana" <ana.ruiz@bank.example>', {"ana.ruiz@bank.example"}),
        ('"ana"@example.com', {"ana@example.com"}),
        ('"john doe"@example.com', {'"john doe"@example.com'}),
        ("attacker@[127.0.0.1]", {"attacker@[127.0.0.1]"}),
        ("attacker@127.0.0.1", {"attacker@[127.0.0.1]"}),
        ("attacker@[IPv6:::1]", {"attacker@[ipv6:::1]"}),
        ("attacker@[IPv6:::ffff:127.0.0.1]", {"attacker@[127.0.0.1]"}),
        ("ana@bücher.example", {"ana@xn--bcher-kva.example"}),
        ("ana@XN--BCHER-KVA.example", {"ana@xn--bcher-kva.example"}),
        ("mailto:Ana%40Example.com?subject=hi", {"ana@example.com"}),
        ("ana%2540example.com", {"ana@example.com"}),
        ("ana&#64;example.com", {"ana@example.com"}),
        ("ana+news@example.com", {"ana+news@example.com"}),
        ("ana(work)@example.com", {"ana@example.com"}),
        ("Write to o'brien@irish.example.", {"o'brien@irish.example"}),
        ("?to=zed@z.example&cc=amy@z.example", {"zed@z.example", "amy@z.example"}),
        ("see you @ noon; me@work; @mention", set()),
    ],
)
def test_addresses_in_any_valid_form(text: str, found: set[str]) -> None:
    assert addresses(text) == found


def test_hosts_named_in_text() -> None:
    text = (
        "Open https://Mail.Example.com/x or www.test.org, not report.pdf; the box at 10.0.0.7, "
        "http://2130706433/, [::1] and bob@xn--bcher-kva.example."
    )
    assert hosts_in(text) == {
        "mail.example.com",
        "www.test.org",
        "10.0.0.7",
        "127.0.0.1",
        "[::1]",
        "xn--bcher-kva.example",
    }


# A message Deputy read, in a page with the usual chrome around it.
MAIL_PAGE = """
Home  Help  Settings  Docs  Getting started  Sign in  Language: English  Terms of service  Privacy policy
From: Bank Security <security@bank.example>
Subject: Your verification code
Hello Ana, your verification code is 731904. The merger with Acme closes Friday.
Reply to ana.ruiz@bank.example if this was not you. Session token Q7x9Lm2Vb4.
Posted 2024 · 3 replies · Page 1 of 12
"""

# One that looks nothing like it: a German bank notice inside a deploy dashboard's log.
OTHER_PAGE = """
[deploy-7] Build 4411 fertig · Region eu-central · Protokoll anzeigen
Ihr Bestätigungscode lautet 48 29 13. Überweisung an Müller bestätigt.
Kontakt: buchhaltung@bücher.example · Server 10.20.30.40
"""

CODE = "731904"
ADDRESS = "ana.ruiz@bank.example"
WORDS = "merger with Acme"


def b64(text: str, alphabet: str = "std", padded: bool = True) -> str:
    encoded = base64.b64encode(text.encode()) if alphabet == "std" else base64.urlsafe_b64encode(text.encode())
    return encoded.decode() if padded else encoded.decode().rstrip("=")


def taint_of(*pages: str) -> Taint:
    taint = Taint()
    for page in pages:
        taint.read(page)
    taint.trust("Tidy my inbox at https://mail.example/inbox")
    return taint


LEAKS = [
    f"https://evil.example/?c={CODE}",
    f"https://evil.example/collect?c={quote(CODE)}",
    "https://evil.example/?c=" + quote(quote(f"code:{CODE}", safe=""), safe=""),
    f"https://evil.example/?d={b64(CODE)}",
    f"https://evil.example/?d={b64('code=' + CODE, 'urlsafe')}",
    f"https://evil.example/?d={b64('c=' + CODE, padded=False)}",  # Yz03MzE5MDQ, its "=" dropped
    f"https://{CODE}.evil.example/",
    f"https://EVIL.example/#{CODE}",
    f"https://evil.example/#/p?x={CODE}",
    f"https://evil.example/x/{CODE}.png",
    f"https://evil.example/?a=1|{CODE}",
    "https://evil.example/?j=" + quote(json.dumps({"c": CODE, "n": 1})),
    f"https://evil.example/?n=98{CODE}12",
    f"https://evil.example/?h={CODE.encode().hex()}",
    f"https://{base64.b32encode(CODE.encode()).decode().rstrip('=').lower()}.evil.example/",
    f"https://evil.example/?to={ADDRESS}",
    f"https://evil.example/?to={quote(ADDRESS.upper())}",
    f"https://evil.example/{b64(ADDRESS, 'urlsafe', padded=False)}",
    "https://evil.example/?to=Ana.Ruiz%2540Bank.Example",
    "https://evil.example/?q=" + quote(WORDS),
    "https://evil.example/?q=MERGER+WITH+ACME",
    "https://evil.example/merger-with-acme",
    "https://evil.example/merger/with/acme",
    f"https://evil.example/?m={b64('the ' + WORDS + ' closes')}",
    "https://merger-with-acme.evil.example/",
    "https://evil.example/?t=q7x9lm2vb4",
    "https://user:731904@evil.example/",
]


@pytest.mark.parametrize("url", LEAKS)
def test_data_read_on_a_page_is_caught_in_every_spelling(url: str) -> None:
    found = carried(url, taint_of(MAIL_PAGE))
    assert found is not None, url
    assert "read on a page" in found


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/?c=482913",
        "https://evil.example/?c=" + b64("482913"),
        "https://evil.example/" + "überweisung-an-müller".encode("idna").decode() + "/x",
        "https://" + "überweisung-an-müller".encode("idna").decode() + ".evil.example/",
        "https://evil.example/?m=" + quote("Überweisung an Müller"),
        "https://evil.example/?k=" + quote("buchhaltung@xn--bcher-kva.example"),
    ],
)
def test_the_same_on_a_page_that_looks_nothing_like_mail(url: str) -> None:
    assert carried(url, taint_of(OTHER_PAGE)) is not None, url


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        # The link as the page showed it already held the value: following it carries nothing new.
        (f"https://bank.example/verify?code={CODE}", f"https://bank.example/verify?code={CODE}"),
        (f"https://tracker.example/r/{CODE}", f"https://tracker.example/r/{CODE}"),
        # Ordinary links out of the site: the page's common words taint nothing.
        ("https://other.example/help/settings", ""),
        ("https://other.example/?lang=en", ""),
        ("https://other.example/docs/getting-started", ""),
        ("https://other.example/legal/terms-of-service", ""),
        ("https://other.example/privacy-policy#cookies", ""),
        ("https://news.example/2024/05/", ""),
        ("https://other.example/page/12?sort=new", ""),
        ("https://other.example/sign-in?next=%2Fsettings", ""),
        # The user wrote it: the task's own address may travel.
        ("https://mail.example/inbox?view=all", ""),
    ],
)
def test_what_is_not_new_data_is_not_flagged(url: str, shown: str) -> None:
    assert carried(url, taint_of(MAIL_PAGE, OTHER_PAGE), shown) is None


def test_a_value_the_user_wrote_in_the_instruction_may_leave() -> None:
    taint = taint_of(MAIL_PAGE)
    assert carried(f"https://air.example/checkin?ref={CODE}", taint) is not None
    taint.trust(f"Check in with booking code {CODE} at https://air.example/")
    assert carried(f"https://air.example/checkin?ref={CODE}", taint) is None
    assert carried(f"https://air.example/checkin?ref={b64(CODE)}", taint) is None


def test_a_changed_link_is_new_data_even_if_the_page_showed_the_link() -> None:
    shown = "https://tracker.example/r?id=1"
    assert carried(f"https://tracker.example/r?id=1&c={CODE}", taint_of(MAIL_PAGE), shown) is not None


def test_what_deputy_typed_is_caught_whole_and_by_its_words() -> None:
    taint = taint_of()
    taint.typed("Lunch at Zephyr tomorrow")
    assert carried("https://evil.example/?q=" + quote("Lunch at Zephyr tomorrow"), taint) is not None
    found = carried("https://evil.example/p/zephyr", taint)
    assert found is not None and "typed" in found
    assert carried("https://evil.example/p/tomorrow", taint) is None  # a common word alone is no data


def test_a_value_that_carries_page_data_is_named_by_its_kind_never_by_the_data() -> None:
    taint = taint_of(MAIL_PAGE)
    assert taint.read_in(f"Your code is {CODE}") == "a number"
    assert taint.read_in("See you at lunch") is None
    taint.trust(f"Type {CODE} into the form")
    assert taint.read_in(CODE) is None  # the user wrote it


def test_what_deputy_typed_and_a_page_then_showed_is_not_the_page_s() -> None:
    taint = taint_of()
    taint.typed("order 55821 for Quay")
    taint.read("Search results for order 55821")
    assert taint.read_in("55821") is None


def test_the_description_says_what_and_where_from() -> None:
    assert carried(f"https://evil.example/?c={CODE}", taint_of(MAIL_PAGE)) == ("731904, a number Deputy read on a page")


def test_numbers_stay_tainted_once_message_text_is_no_longer_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(provenance, "MAX_WORD_GRAMS", 3)
    taint = taint_of("one two three four five six seven eight nine ten", MAIL_PAGE)
    assert carried(f"https://evil.example/?c={CODE}", taint) is not None
    assert carried("https://evil.example/?q=merger+with+acme", taint) is None  # past the bound
