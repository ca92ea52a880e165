"""A page that redraws its list between Deputy's look and its act (a dashboard refreshing its rows): the action
lands on the element just like the one the policy judged, and on nothing else."""

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from backend.servers import ThreadedServer
from tests.integration.gate.conftest import make_task, ref_named
from tests.live import Deputy

# Each "Open" link shows which service it opened; redraw() replaces every row with a new, equal one.
BOARD = """<!doctype html><title>Services</title>
<ul id="list"></ul><p id="opened">none</p>
<script>
const services = ["checkout-api", "web-frontend"];
function redraw() {
  document.getElementById("list").replaceChildren(...services.map((name) => {
    const row = document.createElement("li");
    row.append(name + " ");
    const open = document.createElement("a");
    open.href = "#" + name;
    open.textContent = "Open " + name;
    open.onclick = () => { document.getElementById("opened").textContent = name; };
    row.append(open);
    return row;
  }));
}
redraw();
</script>"""


@pytest.fixture
def board() -> Iterator[str]:
    app = FastAPI()

    @app.get("/")
    def page() -> HTMLResponse:
        return HTMLResponse(BOARD)

    with ThreadedServer(app) as server:
        yield server.url + "/"


def opened(deputy: Deputy, task_id: str) -> str:
    async def read() -> str:
        tab = await deputy.ctx.browser.tab(task_id)
        return await tab.page.locator("#opened").inner_text()

    return deputy.run(read())


def redraw(deputy: Deputy, task_id: str, services: list[str]) -> None:
    async def run() -> None:
        tab = await deputy.ctx.browser.tab(task_id)
        await tab.page.evaluate("(names) => { services.splice(0, services.length, ...names); redraw(); }", services)

    deputy.run(run())


def test_a_redrawn_target_is_found_again_and_acted_on(deputy: Deputy, board: str) -> None:
    task_id = make_task(deputy, "Open the checkout service", url=board)
    assert deputy.run(deputy.ctx.executor.propose(task_id, "navigate", {"url": board})).status == "done"
    ref = ref_named(deputy, task_id, "Open checkout-api", "link")
    redraw(deputy, task_id, ["checkout-api", "web-frontend"])
    outcome = deputy.run(deputy.ctx.executor.propose(task_id, "click", {"ref": ref}))
    assert outcome.status == "done", outcome.message
    assert opened(deputy, task_id) == "checkout-api"


def test_a_target_that_is_gone_after_the_redraw_is_not_replaced_by_another(deputy: Deputy, board: str) -> None:
    task_id = make_task(deputy, "Open the checkout service", url=board)
    assert deputy.run(deputy.ctx.executor.propose(task_id, "navigate", {"url": board})).status == "done"
    ref = ref_named(deputy, task_id, "Open checkout-api", "link")
    redraw(deputy, task_id, ["web-frontend", "search-api"])
    outcome = deputy.run(deputy.ctx.executor.propose(task_id, "click", {"ref": ref}))
    assert outcome.status == "failed" and "no longer on the page" in outcome.message
    assert opened(deputy, task_id) == "none"
