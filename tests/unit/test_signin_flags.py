"""The sign-in window keeps Chromium's sandbox unless Deputy runs as root, and says why when it cannot."""

from pathlib import Path

import pytest

from backend.browser import flags


def test_a_normal_user_gets_the_sandbox(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(flags.os, "geteuid", lambda: 1000)
    command, why = flags.signin_command(Path("/usr/bin/chromium"), Path("/data/browser-profile"))
    assert "--no-sandbox" not in command and why == ""
    assert command[:2] == ["/usr/bin/chromium", "--user-data-dir=/data/browser-profile"]


def test_root_runs_without_it_and_is_told_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(flags.os, "geteuid", lambda: 0)
    command, why = flags.signin_command(Path("/usr/bin/chromium"), Path("/p"))
    assert command.count("--no-sandbox") == 1 and "root" in why


def test_the_agents_headless_browser_keeps_its_flags() -> None:
    assert "--no-sandbox" in flags.CHROMIUM_ARGS
