"""Where the agent's browser context comes from: Deputy's own profile, or a Chromium someone else started.

`deputy up` launches Chromium on the persistent profile in the data folder (the user signs in there once).
Whoever builds the app may instead hand in a running Chromium (`create_app(..., browser=SharedChromium(b))`):
each context is then a fresh, empty one of that browser. The tests do this, so that the many Deputys a test
process starts share one Chromium rather than launching one each.
"""

from pathlib import Path
from typing import Protocol

from playwright.async_api import Browser, BrowserContext, Playwright, async_playwright

from backend.browser.flags import CHROMIUM_ARGS

VIEWPORT = {"width": 1280, "height": 860}


class BrowserUnavailable(Exception):
    """Chromium could not be started; the message says what to do."""


class Launcher(Protocol):
    async def open(self) -> BrowserContext:
        """A browser context for Deputy's tabs; called again after the previous one went away."""
        ...

    async def close(self) -> None:
        """Let go of whatever `open` started (the open context is closed by its owner first)."""
        ...


class PersistentProfile:
    """Deputy's own Chromium on its persistent profile: cookies and sign-ins survive restarts."""

    def __init__(self, chromium: Path, profile_dir: Path, headless: bool = True) -> None:
        self.chromium = chromium
        self.profile_dir = profile_dir
        self.headless = headless
        self._pw: Playwright | None = None

    async def open(self) -> BrowserContext:
        if self._pw is None:
            self._pw = await async_playwright().start()
        self.profile_dir.mkdir(parents=True, exist_ok=True)
        try:
            return await self._pw.chromium.launch_persistent_context(
                str(self.profile_dir),
                executable_path=str(self.chromium),
                args=CHROMIUM_ARGS,
                headless=self.headless,
                accept_downloads=True,
                viewport=VIEWPORT,  # type: ignore[arg-type]
            )
        except Exception as error:
            raise BrowserUnavailable(
                f"Chromium at {self.chromium} did not start ({error}). `deputy doctor` checks the installation."
            ) from None

    async def close(self) -> None:
        if self._pw is not None:
            await self._pw.stop()
            self._pw = None

    def __str__(self) -> str:
        return f"profile {self.profile_dir}, headless={self.headless}"


class SharedChromium:
    """A fresh context of a Chromium that the caller launched and keeps: nothing is left behind on close."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser

    async def open(self) -> BrowserContext:
        if not self.browser.is_connected():
            raise BrowserUnavailable("The shared Chromium handed to Deputy is gone.")
        return await self.browser.new_context(accept_downloads=True, viewport=VIEWPORT)  # type: ignore[arg-type]

    async def close(self) -> None:
        return None

    def __str__(self) -> str:
        return "a fresh context of a shared Chromium"
