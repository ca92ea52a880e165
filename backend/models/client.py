"""Paired clients (the extension, the CLI, the tray) and the one-time codes that pair them."""

from datetime import datetime

from pydantic import BaseModel, Field, field_validator
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

CLIENT_NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$"


class Client(SQLModel, table=True):
    __tablename__ = "client"

    id: int | None = SQLField(default=None, primary_key=True)
    name: str = SQLField(index=True, unique=True, max_length=64)
    kind: str = SQLField(max_length=16)  # extension | local | other
    origin: str | None = SQLField(default=None, max_length=200)  # pinned Origin, None for non-browser clients
    token_hash: str = SQLField(index=True, unique=True, max_length=64)
    created_at: datetime
    last_seen_at: datetime | None = None
    revoked_at: datetime | None = None


class PairingCode(SQLModel, table=True):
    __tablename__ = "pairing_code"

    id: int | None = SQLField(default=None, primary_key=True)
    code_hash: str = SQLField(index=True, unique=True, max_length=64)
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None


class PairRequest(BaseModel):
    code: str = Field(min_length=1, max_length=32, description="The one-time code shown by `deputy pair`.")
    client: str = Field(pattern=CLIENT_NAME_PATTERN, description="A name for this client, e.g. 'chrome'.")

    @field_validator("client")
    @classmethod
    def _no_reserved(cls, value: str) -> str:
        if value.startswith("local"):
            raise ValueError("names starting with 'local' are reserved for Deputy's own CLI and tray")
        return value


class PairResponse(BaseModel):
    token: str
    client: str
    origin: str | None


class ClientPublic(BaseModel):
    name: str
    kind: str
    origin: str | None
    created_at: datetime
    last_seen_at: datetime | None
    revoked_at: datetime | None
