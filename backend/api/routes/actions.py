from typing import Any

from fastapi import APIRouter

from backend.actions import registry
from backend.api.deps import AuthDep

router = APIRouter(tags=["actions"])


@router.get("/api/actions")
def list_actions(_: AuthDep) -> list[dict[str, Any]]:
    """The action registry as the extension renders it: name, description, base risk, parameter schema."""
    return [spec.public() for spec in registry]
