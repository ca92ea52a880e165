"""Talking to the user: ask a question, or finish the task with a summary."""

from pydantic import Field

from backend.actions.registry import ActionContext, ActionParams, ActionResult, Risk, registry


class AskUserParams(ActionParams):
    question: str = Field(min_length=1, max_length=2000, description="What you need the user to decide or tell.")


@registry.action("Ask the user a question and wait for the answer.", risk=Risk.READ, touches_page=False)
async def ask_user(params: AskUserParams, ctx: ActionContext) -> ActionResult:
    return ActionResult(True, "Asked the user.", question=params.question)


class FinishParams(ActionParams):
    summary: str = Field(min_length=1, max_length=4000, description="What was done, for the user.")
    success: bool = True


@registry.action("Finish the task and report what was done.", risk=Risk.READ, touches_page=False)
async def finish_task(params: FinishParams, ctx: ActionContext) -> ActionResult:
    return ActionResult(params.success, params.summary, finished=True)
