"""The agent's browser: new tabs followed, downloads kept, crashes survived."""

import os
import signal
from pathlib import Path

from backend.browser.gate import Clearance
from backend.browser.launchers import PersistentProfile
from backend.browser.session import BrowserSession
from tests.integration.browser.conftest import TrapSite, on_trap_page


async def test_a_step_that_opens_a_new_tab_is_followed(session: BrowserSession, trap_site: TrapSite) -> None:
    tab, ref = await on_trap_page(session, trap_site, "Open in new tab")
    async with session.gate.cleared("t1", Clearance("a1", writes=False)):
        await tab.click(ref)
        await tab.settle()
    assert tab.url.endswith("/popup")
    assert len(tab.pages) == 2
    assert session.task_of(tab.page) == "t1"


async def test_tasks_get_their_own_tabs(session: BrowserSession, trap_site: TrapSite) -> None:
    one = await session.tab("t1")
    two = await session.tab("t2")
    await one.navigate(f"{trap_site.url}/trap")
    await two.navigate(f"{trap_site.url}/popup")
    assert one.page is not two.page
    assert session.task_of(two.page) == "t2"
    assert (await session.tab("t1")) is one


async def test_downloads_are_saved_to_the_data_folder(
    session: BrowserSession, trap_site: TrapSite, tmp_path: Path
) -> None:
    tab, ref = await on_trap_page(session, trap_site, "Get file")
    async with session.gate.cleared("t1", Clearance("a1", writes=False)):
        saved = await tab.download(ref, session.files_dir / "downloads")
    assert saved.parent == tmp_path / "files" / "downloads"
    assert saved.read_bytes() == b"boarding pass"


def chromium_pids(profile: Path) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if str(profile) in cmdline and "--type=" not in cmdline:
                pids.append(int(entry.name))
    return pids


async def test_browser_crash_is_detected_and_tabs_come_back(own_session: BrowserSession, trap_site: TrapSite) -> None:
    session = own_session
    tab = await session.tab("t1")
    await tab.navigate(f"{trap_site.url}/popup")
    assert isinstance(session.launcher, PersistentProfile)
    pids = chromium_pids(session.launcher.profile_dir)
    assert pids, "the browser process was not found"
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    # The next use notices the crash, restarts the browser and reopens the task where it was.
    for _ in range(200):
        if not session.running:
            break
        import asyncio

        await asyncio.sleep(0.05)
    assert not session.running
    again = await session.tab("t1")
    assert session.restarts == 1
    assert again.url.endswith("/popup")
    assert await again.page.title() == "Popup"
