"""The traveller profile in the extension's options page, in a real Chromium: identifying values shown masked
(never in clear on the page), an edit saved through the API, a refusal's reasons shown and nothing saved."""

from playwright.async_api import expect

from backend.traveller.profile import Profile
from backend.traveller.vault import Vault
from tests.e2e.conftest import Chrome, api, pair_in_options
from tests.integration.checkin.test_demo_air import REN, YUKI
from tests.live import Deputy


async def test_the_options_page_shows_the_profile_masked_and_saves_edits(chrome: Chrome, deputy: Deputy) -> None:
    Vault(deputy.settings.data_dir).save(Profile(traveller=YUKI, companions=[REN]))
    page = await pair_in_options(chrome, deputy)
    section = page.locator("#profile")
    await expect(section.get_by_label("First name")).to_have_value("Yuki")
    await expect(section.get_by_label("Passport number")).not_to_have_value("TK5520931")
    shown = await section.get_by_label("Passport number").input_value()
    assert "•" in shown and "TK5520931" not in await page.content()
    assert "1986-07-14" not in await page.content()

    await section.get_by_label("Passport expiry (YYYY-MM-DD)").fill("2019-01-01")
    await section.get_by_role("button", name="Save profile").click()
    await expect(section.locator(".profile-problem")).to_contain_text("passport_expiry")
    stored = Vault(deputy.settings.data_dir).load()
    assert stored.traveller is not None and stored.traveller.passport_expiry == YUKI.passport_expiry

    await section.get_by_label("Passport expiry (YYYY-MM-DD)").fill("2034-05-06")
    await section.get_by_label("Seat preference").select_option("aisle")
    await section.get_by_role("button", name="Save profile").click()
    await expect(section.locator(".profile-problem")).to_have_text("Saved.")
    stored = Vault(deputy.settings.data_dir).load()
    assert stored.traveller is not None
    assert str(stored.traveller.passport_expiry) == "2034-05-06" and stored.traveller.seat_preference == "aisle"
    assert stored.traveller.passport_number == "TK5520931"  # the masked value sent back kept what was stored
    assert [c.passport_number for c in stored.companions] == ["TK7781046"]
    assert (await api(deputy, "GET", "/api/profile")).json()["traveller"]["seat_preference"] == "aisle"
