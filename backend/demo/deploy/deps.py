"""Dependencies shared by Demo Deploy's routers."""

from typing import Annotated

from fastapi import Depends, Request

from backend.demo.deploy.store import DeployStore


def get_store(request: Request) -> DeployStore:
    store: DeployStore = request.app.state.store
    return store


StoreDep = Annotated[DeployStore, Depends(get_store)]
