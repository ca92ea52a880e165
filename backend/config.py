"""Deputy's settings, read from DEPUTY_* environment variables. Nothing is built at import."""

import getpass
import re
from pathlib import Path

import platformdirs
from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_PORT = 8740
# A person's id and a team's name appear in a shared ledger's reports: plain words, no spaces or markup.
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$"


def default_user_id() -> str:
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        return "me"
    return name if re.fullmatch(NAME_PATTERN, name) else "me"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("deputy", appauthor=False))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DEPUTY_", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir, description="Where Deputy keeps its files.")
    port: int = Field(DEFAULT_PORT, ge=1, le=65535, description="The local server's port on 127.0.0.1.")
    database_url: str | None = Field(None, description="SQLAlchemy URL; default SQLite in the data folder.")
    user_id: str = Field(
        default_factory=default_user_id,
        pattern=NAME_PATTERN,
        description="Who this Deputy works for, in a team's shared ledger (default: the login name).",
    )
    team: str = Field(
        "", pattern=r"^([A-Za-z0-9][A-Za-z0-9._@+-]{0,63})?$", description="The team this person's costs count to."
    )
    model: str = Field("claude-sonnet-4-6", description="The Claude model the agent uses.")
    triage_model: str = Field(
        "claude-haiku-4-5", description="The small model that classifies mail in triage (no tools, typed output)."
    )
    chromium: Path | None = Field(None, description="The Chromium executable for the agent's browser.")
    anthropic_api_key: SecretStr | None = Field(
        None, validation_alias=AliasChoices("ANTHROPIC_API_KEY", "DEPUTY_ANTHROPIC_API_KEY")
    )
    anthropic_base_url: str | None = Field(
        None, validation_alias=AliasChoices("ANTHROPIC_BASE_URL", "DEPUTY_ANTHROPIC_BASE_URL")
    )

    @property
    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'deputy.db'}"

    @property
    def local_token_path(self) -> Path:
        return self.data_dir / "local-token"
