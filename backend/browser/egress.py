"""A task's site scope, enforced where every top-level navigation is seen: in the agent's browser.

A task acts on the sites of its start page and the sites the user allowed. A navigation that stays in scope
is free. One that leaves it is held, whatever caused it (a typed URL, a link, a form, `window.open`, a page
script, a redirect): Deputy asks, showing the full destination. It is denied outright when the destination
carries data Deputy typed or read that the link, as the page showed it, did not already hold: that is how
a hijacked model would smuggle a code or a message out with nothing but GET requests.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from backend.policy.provenance import Taint, carried, in_scope, site_of


@dataclass(frozen=True)
class Judgement:
    verdict: Literal["free", "ask", "deny"]
    reason: str
    site: str = ""


@dataclass
class Egress:
    """One task's scope (canonical sites) and what it has typed and read so far."""

    scope: list[str] = field(default_factory=list)  # empty: the task has no scope yet, nothing is held
    taint: Taint = field(default_factory=Taint)

    @property
    def scoped(self) -> bool:
        return bool(self.scope)

    def set_scope(self, sites: Iterable[str], trusted: Iterable[str]) -> None:
        self.scope = sorted({s for s in sites if s})
        for text in trusted:
            self.taint.trust(text)

    def judge(self, url: str, shown: str = "", approved: Iterable[str] = (), body: str = "") -> Judgement:
        """Whether opening `url` (as the top-level page, posting `body` if it is a form's) is free, asks, or
        is denied, and why."""
        site = site_of(url)
        if not self.scoped or url in approved:
            return Judgement("free", "the user approved opening it" if url in approved else "no scope", site)
        if not site:
            if url.startswith(("about:", "data:text/html", "blob:")) or url == "":
                return Judgement("free", "a blank or local document", site)
            return Judgement("ask", f"{url.split(':', 1)[0]}: links leave the task's sites", site)
        if in_scope(site, self.scope):
            return Judgement("free", f"{site} is one of this task's sites", site)
        # A form's body is data sent along as much as its query is.
        smuggled = carried(url, self.taint, shown) or (carried(f"{url}?{body}", self.taint, shown) if body else None)
        if smuggled is not None:
            return Judgement(
                "deny",
                f"Opening {url} would carry data to {site} that the link did not hold ({smuggled}); "
                "Deputy never sends what it typed or read to another site.",
                site,
            )
        return Judgement("ask", f"Opening {url} leaves this task's sites ({', '.join(self.scope)}) for {site}.", site)
