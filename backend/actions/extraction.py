"""Reading from the page: text, tables, screenshots, downloads."""

from pydantic import Field

from backend.actions.registry import ActionContext, ActionParams, ActionResult, Risk, registry


class ExtractTextParams(ActionParams):
    ref: str | None = Field(None, description="Element to read; the whole page if omitted.", pattern=r"^e\d+$")
    max_chars: int = Field(4000, ge=100, le=20000, description="Read at most this many characters.")


@registry.action("Read the text of the page or of one element.", risk=Risk.READ, touches_page=False)
async def extract_text(params: ExtractTextParams, ctx: ActionContext) -> ActionResult:
    text = await ctx.tab.extract_text(params.ref, params.max_chars)
    return ActionResult(True, f"Read {len(text)} characters.", {"text": text, "untrusted": True})


class ExtractTableParams(ActionParams):
    ref: str | None = Field(None, description="An element in the table; the first table if omitted.", pattern=r"^e\d+$")


@registry.action("Read a table as rows of cells.", risk=Risk.READ, touches_page=False)
async def extract_table(params: ExtractTableParams, ctx: ActionContext) -> ActionResult:
    rows = await ctx.tab.extract_table(params.ref)
    return ActionResult(True, f"Read a table of {len(rows)} rows.", {"rows": rows, "untrusted": True})


class ScreenshotParams(ActionParams):
    ref: str | None = Field(None, description="Element to outline; the viewport if omitted.", pattern=r"^e\d+$")


@registry.action("Save a screenshot of the page (for the user).", risk=Risk.READ)
async def screenshot(params: ScreenshotParams, ctx: ActionContext) -> ActionResult:
    stamp = ctx.clock.now().strftime("%Y%m%d-%H%M%S-%f")
    path = await ctx.tab.screenshot(ctx.files_dir / "screenshots" / f"{ctx.task_id}-{stamp}.png", params.ref)
    return ActionResult(True, f"Saved a screenshot as {path.name}.", {"path": str(path)})


class DownloadParams(ActionParams):
    ref: str = Field(description="The link or button that starts the download.", pattern=r"^e\d+$")


@registry.action("Click a link or button that downloads a file, and keep the file.", risk=Risk.READ)
async def download(params: DownloadParams, ctx: ActionContext) -> ActionResult:
    path = await ctx.tab.download(params.ref, ctx.files_dir / "downloads")
    return ActionResult(True, f"Downloaded {path.name}.", {"path": str(path), "bytes": path.stat().st_size})
