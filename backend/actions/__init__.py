"""Every action Deputy can take. Importing this package declares them all in `registry`."""

from backend.actions import conversation, extraction, interaction, navigation  # noqa: F401
from backend.actions.registry import ActionContext, ActionResult, ActionSpec, Risk, registry

__all__ = ["ActionContext", "ActionResult", "ActionSpec", "Risk", "registry"]
