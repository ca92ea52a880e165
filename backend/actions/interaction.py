"""Acting on page elements by their snapshot reference: click, type, select, check, keys, files."""

from pathlib import Path

from pydantic import Field

from backend.actions.registry import ActionContext, ActionParams, ActionResult, Risk, registry

REF = Field(description="Element reference from the page snapshot, e.g. e12.", pattern=r"^e\d+$")


class ClickParams(ActionParams):
    ref: str = REF
    accept_dialog: bool = Field(False, description="Accept the confirm() dialog this click opens (always asks).")


@registry.action("Click an element from the page snapshot.", risk=Risk.WRITE)
async def click(params: ClickParams, ctx: ActionContext) -> ActionResult:
    name = ctx.tab.element(params.ref).name
    await ctx.tab.click(params.ref)
    return ActionResult(True, f"Clicked {params.ref} {name!r}.")


class TypeParams(ActionParams):
    ref: str = REF
    text: str = Field(max_length=20000, description="Text to put in the field (replaces its content).")
    submit: bool = Field(False, description="Press Enter afterwards.")


@registry.action("Type text into a field.", risk=Risk.LOCAL)
async def type_text(params: TypeParams, ctx: ActionContext) -> ActionResult:
    await ctx.tab.type_text(params.ref, params.text, params.submit)
    return ActionResult(True, f"Typed {len(params.text)} characters into {params.ref}.")


class SelectParams(ActionParams):
    ref: str = REF
    values: list[str] = Field(min_length=1, description="Option values or labels to select.")


@registry.action("Choose option(s) in a select box.", risk=Risk.LOCAL)
async def select_option(params: SelectParams, ctx: ActionContext) -> ActionResult:
    chosen = await ctx.tab.select_option(params.ref, params.values)
    return ActionResult(True, f"Selected {chosen} in {params.ref}.")


class CheckParams(ActionParams):
    ref: str = REF
    checked: bool = True


@registry.action("Check or uncheck a checkbox or radio button.", risk=Risk.LOCAL)
async def check(params: CheckParams, ctx: ActionContext) -> ActionResult:
    await ctx.tab.set_checked(params.ref, params.checked)
    return ActionResult(True, f"{'Checked' if params.checked else 'Unchecked'} {params.ref}.")


class SelectRowParams(ActionParams):
    ref: str = REF
    add: bool = Field(False, description="Hold Ctrl (Cmd on macOS) to add the row to the rows already selected.")


@registry.action(
    "Select a row of a list (a message, a file) by clicking it, where the list has no checkbox to tick; reports "
    "whether the row reads as selected afterwards.",
    risk=Risk.LOCAL,
)
async def select_row(params: SelectRowParams, ctx: ActionContext) -> ActionResult:
    took = await ctx.tab.select_row(params.ref, params.add)
    if not took.selected:
        return ActionResult(False, f"Clicked the row of {params.ref}, but it does not read as selected.")
    return ActionResult(True, f"Selected the row of {params.ref}.", {"selected": True})


class PressKeyParams(ActionParams):
    key: str = Field(max_length=40, description="Key or chord, e.g. Enter, Escape, Control+a.")
    ref: str | None = Field(None, description="Element to focus first.", pattern=r"^e\d+$")


@registry.action("Press a key (may trigger the page's shortcuts).", risk=Risk.WRITE)
async def press_key(params: PressKeyParams, ctx: ActionContext) -> ActionResult:
    await ctx.tab.press_key(params.key, params.ref)
    return ActionResult(True, f"Pressed {params.key}.")


class UploadParams(ActionParams):
    ref: str = REF
    files: list[str] = Field(min_length=1, description="Names of files in Deputy's files folder.")


@registry.action("Attach files from Deputy's files folder to a file input.", risk=Risk.WRITE)
async def upload_file(params: UploadParams, ctx: ActionContext) -> ActionResult:
    paths = []
    for name in params.files:
        path = (ctx.files_dir / name).resolve()
        # Only files the user put in Deputy's folder: a page cannot talk the agent into uploading ~/.ssh.
        if ctx.files_dir.resolve() not in path.parents or not path.is_file():
            return ActionResult(False, f"{name!r} is not a file in Deputy's files folder.")
        paths.append(Path(path))
    await ctx.tab.upload(params.ref, paths)
    return ActionResult(True, f"Attached {', '.join(params.files)} to {params.ref}.")
