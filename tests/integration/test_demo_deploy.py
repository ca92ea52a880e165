"""Demo Deploy end to end in Chromium: what a user sees, and what the site's change log recorded.

Time never passes by sleeping: tests move the site's clock with /_test/advance and press Refresh.
"""

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, expect

from backend.servers import ThreadedServer
from tests import web

pytestmark = pytest.mark.browser

# checkout-api's seeded rollout: 10 s in the queue, then 90 s from 0% to 100%.
QUEUE = 10
RUN = 90


@pytest.fixture
async def site(deploy_server: ThreadedServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=deploy_server.url, verify=web.TLS) as client:
        (await client.post("/_test/reset")).raise_for_status()
        yield client


async def advance(site: httpx.AsyncClient, seconds: float) -> None:
    (await site.post("/_test/advance", json={"seconds": seconds})).raise_for_status()


async def changes(site: httpx.AsyncClient) -> list[dict[str, Any]]:
    response = await site.get("/_test/changes", params={"since": 0})
    response.raise_for_status()
    return response.json()["changes"]


async def production_version(site: httpx.AsyncClient, service: str) -> str:
    page = (await site.get(f"/api/services/{service}")).json()
    return next(env["version"] for env in page["environments"] if env["name"] == "production")


async def refresh(page: Page) -> None:
    await page.get_by_role("button", name="Refresh").click()


async def promote_checkout_api(page: Page, url: str) -> str:
    """Promote checkout-api's staging release through the confirm step; returns the new deployment's id."""
    await page.goto(f"{url}/services/checkout-api")
    await page.get_by_role("button", name="Promote").click()
    dialog = page.get_by_role("dialog")
    await expect(dialog).to_contain_text("Promote checkout-api 2.14.0 to production?")
    await dialog.get_by_role("button", name="Confirm promotion").click()
    await expect(page).to_have_url(re.compile(r"/deployments/d-\d+$"))
    return page.url.rsplit("/", 1)[1]


async def test_failed_deploy_raises_an_incident_and_rollback_clears_it(
    page: Page, site: httpx.AsyncClient, deploy_server: ThreadedServer
) -> None:
    await site.post(
        "/_test/control",
        json={"service": "checkout-api", "next_deploy": {"outcome": "fail", "fail_at_percent": 40}},
    )
    deployment_id = await promote_checkout_api(page, deploy_server.url)
    await expect(page.get_by_role("heading", name=f"Deployment {deployment_id}")).to_be_visible()
    await expect(page.get_by_role("alert")).to_have_count(0)

    await advance(site, QUEUE + RUN * 0.4 + 5)
    await refresh(page)
    await expect(page.get_by_text("Failed", exact=True)).to_be_visible()
    await expect(page.get_by_role("log")).to_contain_text(f"Deployment {deployment_id} failed at 40%")
    banner = page.get_by_role("alert")
    await expect(banner).to_contain_text("checkout-api production error rate")
    await expect(banner).to_contain_text(f"Deployment {deployment_id} (2.14.0) failed")

    await page.get_by_role("button", name="Roll back").click()
    dialog = page.get_by_role("dialog", name="Roll back checkout-api in production?")
    await expect(dialog).to_contain_text("from 2.14.0 back to 2.13.2")
    confirm = dialog.get_by_role("button", name="Confirm rollback")
    await expect(confirm).to_be_disabled()
    await dialog.get_by_label("Type checkout-api to confirm").fill("checkout-api")
    await confirm.click()

    await expect(dialog).to_be_hidden()
    await expect(page.get_by_role("alert")).to_have_count(0)
    await expect(page.get_by_text("Rolled back", exact=True)).to_be_visible()
    assert await production_version(site, "checkout-api") == "2.13.2"

    promoted, rolled_back = await changes(site)
    assert promoted["endpoint"] == "POST /api/deployments/d-1022/promote"
    assert (promoted["before"]["version"], promoted["after"]["version"]) == ("2.13.2", "2.14.0")
    assert rolled_back["scope"] == "checkout-api"
    assert rolled_back["endpoint"] == f"POST /api/deployments/{deployment_id}/rollback"
    assert rolled_back["before"] == {"environment": "production", "version": "2.14.0", "deployment": deployment_id}
    assert rolled_back["after"]["version"] == "2.13.2"


async def test_promote_staging_to_production(
    page: Page, site: httpx.AsyncClient, deploy_server: ThreadedServer
) -> None:
    deployment_id = await promote_checkout_api(page, deploy_server.url)
    await expect(page.get_by_text("Queued", exact=True)).to_be_visible()

    await advance(site, QUEUE + RUN + 5)
    await refresh(page)
    await expect(page.get_by_text("Healthy", exact=True)).to_be_visible()
    await expect(page.get_by_role("log")).to_contain_text("Health checks passed; 2.14.0 is live in production")

    await page.get_by_role("link", name="checkout-api").click()
    production = page.locator(".env-card", has=page.get_by_role("heading", name="Production"))
    await expect(production).to_contain_text("2.14.0")
    await expect(page.get_by_role("button", name="Promote")).to_be_disabled()

    [promoted] = await changes(site)
    assert promoted["scope"] == "checkout-api"
    assert promoted["before"] == {"environment": "production", "version": "2.13.2", "deployment": "d-1016"}
    assert promoted["after"] == {"environment": "production", "version": "2.14.0", "deployment": deployment_id}


async def test_cancelling_the_confirm_step_changes_nothing(
    page: Page, site: httpx.AsyncClient, deploy_server: ThreadedServer
) -> None:
    await page.goto(f"{deploy_server.url}/services/checkout-api")
    await page.get_by_role("button", name="Promote").click()
    await page.get_by_role("dialog").get_by_role("button", name="Cancel").click()
    await expect(page.get_by_role("dialog")).to_be_hidden()

    deploy = page.get_by_role("button", name="Deploy")
    await deploy.focus()
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("dialog", name="Deploy checkout-api 2.14.1 to staging?")).to_be_visible()
    await page.keyboard.press("Escape")
    await expect(page.get_by_role("dialog")).to_be_hidden()
    await expect(deploy).to_be_focused()

    await page.goto(f"{deploy_server.url}/deployments/d-1016")
    await page.get_by_role("button", name="Roll back").click()
    dialog = page.get_by_role("dialog")
    await dialog.get_by_label("Type checkout-api to confirm").fill("checkout")
    await expect(dialog.get_by_role("button", name="Confirm rollback")).to_be_disabled()
    await page.keyboard.press("Enter")
    await dialog.get_by_role("button", name="Cancel").click()
    await expect(dialog).to_be_hidden()

    page.once("dialog", lambda browser_dialog: browser_dialog.dismiss())
    await page.get_by_role("button", name="Redeploy").click()
    await refresh(page)

    assert await changes(site) == []
    assert await production_version(site, "checkout-api") == "2.13.2"
    services = (await site.get("/api/services")).json()
    assert services["summary"]["deploying"] == 1  # only search, seeded mid-rollout


async def test_deploy_to_staging_shows_progress_and_logs(
    page: Page, site: httpx.AsyncClient, deploy_server: ThreadedServer
) -> None:
    await page.goto(f"{deploy_server.url}/services/checkout-api")
    await page.get_by_role("button", name="Deploy").click()
    await page.get_by_role("dialog").get_by_role("button", name="Start deployment").click()
    await expect(page).to_have_url(re.compile(r"/deployments/d-\d+$"))
    deployment_id = page.url.rsplit("/", 1)[1]

    await advance(site, QUEUE + RUN * 0.55)
    await refresh(page)
    await expect(page.get_by_text(re.compile(r"^Running \d+%$"))).to_be_visible()
    await expect(page.get_by_role("progressbar")).to_be_visible()
    logs = page.get_by_role("log")
    await expect(logs).to_contain_text("Rolling update: 1 of 2 pods on 2.14.1")
    await expect(logs).not_to_contain_text("is live in staging")

    await advance(site, RUN)
    await refresh(page)
    await expect(page.get_by_text("Healthy", exact=True)).to_be_visible()
    await expect(logs).to_contain_text("Health checks passed; 2.14.1 is live in staging")
    await expect(page.get_by_role("progressbar")).to_have_count(0)

    [deployed] = await changes(site)
    assert deployed["endpoint"] == "POST /api/services/checkout-api/deploy"
    assert deployed["before"]["version"] == "2.14.0"
    assert deployed["after"] == {"environment": "staging", "version": "2.14.1", "deployment": deployment_id}


async def test_redeploy_asks_with_a_browser_confirm(
    page: Page, site: httpx.AsyncClient, deploy_server: ThreadedServer
) -> None:
    await page.goto(f"{deploy_server.url}/deployments/d-1016")
    messages: list[str] = []

    async def accept(dialog: Any) -> None:
        messages.append(dialog.message)
        await dialog.accept()

    page.once("dialog", accept)
    await page.get_by_role("button", name="Redeploy").click()
    await expect(page).not_to_have_url(re.compile(r"/d-1016$"))
    assert messages == ["Redeploy checkout-api 2.13.2 to production?"]
    [redeployed] = await changes(site)
    assert redeployed["what"].startswith("redeployed checkout-api 2.13.2 to production")


async def test_error_rate_spike_raises_an_incident_that_can_be_acknowledged(
    page: Page, site: httpx.AsyncClient, deploy_server: ThreadedServer
) -> None:
    await site.post("/_test/control", json={"service": "auth", "error_rate": {"percent": 7.5}})
    await page.goto(deploy_server.url)
    banner = page.get_by_role("alert")
    await expect(banner).to_contain_text("auth production error rate 7.5%")
    await banner.get_by_role("button", name="Acknowledge").click()
    await expect(banner).to_contain_text("Acknowledged at")
    await expect(banner.get_by_role("button", name="Acknowledge")).to_have_count(0)

    [acknowledged] = await changes(site)
    assert acknowledged["scope"] == "auth"
    assert acknowledged["endpoint"].endswith("/acknowledge")
    assert (acknowledged["before"]["acknowledged"], acknowledged["after"]["acknowledged"]) == (False, True)

    await site.post("/_test/control", json={"service": "auth", "error_rate": {"percent": None}})
    await refresh(page)
    await expect(page.get_by_role("alert")).to_have_count(0)


async def test_bad_input_gets_a_4xx_with_a_reason(site: httpx.AsyncClient) -> None:
    async def refused(method: str, path: str, status: int, **kwargs: Any) -> str:
        response = await site.request(method, path, **kwargs)
        assert response.status_code == status, (path, response.text)
        detail = response.json()["detail"]
        assert detail
        return str(detail)

    await refused("GET", "/api/services/nope", 404)
    await refused("GET", "/api/deployments/d-9999", 404)
    await refused("POST", "/api/services/nope/deploy", 404)
    await refused("POST", "/api/deployments/d-9999/rollback", 404)
    await refused("POST", "/api/incidents/INC-1/acknowledge", 404)
    bad_json = {"content": b"{not json", "headers": {"Content-Type": "application/json"}}
    await refused("POST", "/api/services/checkout-api/deploy", 422, **bad_json)
    await refused("POST", "/api/services/checkout-api/deploy", 422, json={"environment": "moon"})
    assert "staging first" in await refused(
        "POST", "/api/services/checkout-api/deploy", 409, json={"environment": "production"}
    )
    assert "staging deployments" in await refused("POST", "/api/deployments/d-1016/promote", 409)
    assert "already rolled back" in await refused("POST", "/api/deployments/d-1018/rollback", 409)
    assert "still running" in await refused("POST", "/api/deployments/d-1024/rollback", 409)
    await refused("POST", "/_test/advance", 422, json={"seconds": -5})
    nan = {"content": b'{"seconds": NaN}', "headers": {"Content-Type": "application/json"}}
    await refused("POST", "/_test/advance", 422, **nan)
    await refused("POST", "/_test/control", 404, json={"service": "nope", "error_rate": {"percent": 9}})

    # A failed staging deployment cannot be promoted.
    await site.post(
        "/_test/control",
        json={"service": "checkout-api", "next_deploy": {"outcome": "fail", "fail_at_percent": 40}},
    )
    started = await site.post("/api/services/checkout-api/deploy", json={"environment": "staging"})
    assert started.status_code == 201
    failed_id = started.json()["deployment"]["id"]
    assert "busy" in await refused("POST", f"/api/deployments/{failed_id}/redeploy", 409)
    await advance(site, QUEUE + RUN)
    assert "healthy" in await refused("POST", f"/api/deployments/{failed_id}/promote", 409)

    for path in ("/services/nope", "/deployments/d-9999"):
        assert (await site.get(path)).status_code == 404
    assert [change["what"] for change in await changes(site)] == [
        f"deployed checkout-api 2.14.1 to staging ({failed_id})"
    ]
