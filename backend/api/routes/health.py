from fastapi import APIRouter
from pydantic import BaseModel

from backend import __version__

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    version: str
    app: str = "deputy"


@router.get("/api/health")
def health() -> Health:
    return Health(status="ok", version=__version__)
