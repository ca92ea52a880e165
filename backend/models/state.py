"""The toggles the tray and the extension show: paused, and whatever later issues add."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel


class AppState(SQLModel, table=True):
    __tablename__ = "app_state"

    id: int = SQLField(default=1, primary_key=True)  # a single row
    paused: bool = False
    updated_at: datetime | None = None


class StatePublic(BaseModel):
    paused: bool
    updated_at: datetime | None


class StateUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    paused: bool | None = None
