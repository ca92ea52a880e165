"""Moving around: open a URL, go back, switch tabs, scroll, wait."""

from typing import Literal

from pydantic import Field, HttpUrl

from backend.actions.registry import ActionContext, ActionParams, ActionResult, Risk, registry


class NavigateParams(ActionParams):
    url: HttpUrl = Field(description="Absolute http(s) URL to open.")


@registry.action("Open a URL in the task's tab.", risk=Risk.READ)
async def navigate(params: NavigateParams, ctx: ActionContext) -> ActionResult:
    await ctx.tab.navigate(str(params.url))
    return ActionResult(True, f"Opened {ctx.tab.url}")


class NoParams(ActionParams):
    pass


@registry.action("Go back to the previous page.", risk=Risk.READ)
async def go_back(params: NoParams, ctx: ActionContext) -> ActionResult:
    moved = await ctx.tab.go_back()
    return ActionResult(moved, f"Back at {ctx.tab.url}" if moved else "There is no previous page.")


class SwitchTabParams(ActionParams):
    index: int = Field(ge=0, description="Tab index, 0 = the task's first tab; see the snapshot's tab list.")


@registry.action("Switch to another tab of this task.", risk=Risk.READ)
async def switch_tab(params: SwitchTabParams, ctx: ActionContext) -> ActionResult:
    pages = ctx.tab.pages
    if params.index >= len(pages):
        return ActionResult(False, f"This task has {len(pages)} tab(s); there is no tab {params.index}.")
    ctx.tab.adopt(pages[params.index])
    await ctx.tab.page.bring_to_front()
    return ActionResult(True, f"Now on tab {params.index}: {ctx.tab.url}")


class ScrollParams(ActionParams):
    direction: Literal["up", "down"] = "down"
    ref: str | None = Field(None, description="Scroll this element into view instead.")


@registry.action("Scroll the page, or bring an element into view.", risk=Risk.READ)
async def scroll(params: ScrollParams, ctx: ActionContext) -> ActionResult:
    await ctx.tab.scroll(params.direction, params.ref)
    return ActionResult(True, f"Scrolled {'to ' + params.ref if params.ref else params.direction}.")


class WaitForParams(ActionParams):
    text: str = Field(min_length=1, max_length=200, description="Text to wait for on the page.")
    timeout_s: float = Field(5, gt=0, le=30, description="Seconds to wait at most.")


@registry.action("Wait until some text appears on the page.", risk=Risk.READ)
async def wait_for(params: WaitForParams, ctx: ActionContext) -> ActionResult:
    seen = await ctx.tab.wait_for_text(params.text, params.timeout_s)
    return ActionResult(seen, f"{'Saw' if seen else 'Did not see'} {params.text!r}.")


class SiteRequestParams(ActionParams):
    method: Literal["POST", "PUT", "PATCH", "DELETE"]
    url: str = Field(description="Same-site URL of the page's own API.")
    body: dict[str, object] = Field(default_factory=dict, description="JSON body.")


@registry.action(
    "Send a request to the current site's own API (how Deputy undoes a change).", Risk.WRITE, internal=True
)
async def site_request(params: SiteRequestParams, ctx: ActionContext) -> ActionResult:
    status = await ctx.tab.request(params.method, params.url, params.body)
    return ActionResult(200 <= status < 300, f"{params.method} {params.url} answered {status}.")
