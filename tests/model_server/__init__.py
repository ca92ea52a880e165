"""Deputy's scripted model server: the Messages API on loopback, with replies a test decides.

Start it with `ModelServer(script)`; build scripts from `text`, `tool_use`, `error` and `forever`; read
what Deputy sent from `server.requests`. Usage is an offline estimate (see tokens.py) with a simulated
prompt cache (see cache.py).
"""

from .app import RecordedRequest
from .cache import CacheUsage, PromptCache, min_cacheable_tokens
from .script import Failure, ModelRequest, Reply, Script, ScriptExhausted, ToolResult, error, forever, text, tool_use
from .server import ModelServer
from .tokens import IMAGE_TOKENS, estimate_text, input_tokens

__all__ = [
    "IMAGE_TOKENS",
    "CacheUsage",
    "Failure",
    "ModelRequest",
    "ModelServer",
    "PromptCache",
    "RecordedRequest",
    "Reply",
    "Script",
    "ScriptExhausted",
    "ToolResult",
    "error",
    "estimate_text",
    "forever",
    "input_tokens",
    "min_cacheable_tokens",
    "text",
    "tool_use",
]
