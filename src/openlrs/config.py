"""One settings object, read from OPENLRS_* environment variables."""

from __future__ import annotations

import secrets
from functools import cached_property
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything that differs between a laptop, CI and production."""

    model_config = SettingsConfigDict(env_prefix="OPENLRS_", extra="ignore")

    database_url: str = "sqlite:///./var/openlrs.db"
    secret_key: str | None = Field(
        default=None,
        description="Signs access tokens. Unset: a random key is kept in var/secret.key.",
    )
    token_ttl_seconds: int = 3600
    min_age: int = 14
    max_age: int = 100
    max_body_bytes: int = 1_048_576
    db_pool_size: int = 16
    request_threads: int = Field(default=8, description="Threads per process for sync routes")
    log_level: str = "INFO"
    var_dir: Path = Path("var")

    @cached_property
    def signing_key(self) -> str:
        """The token signing key: from settings, else created once in var/ and shared by workers."""
        if self.secret_key:
            return self.secret_key
        path = self.var_dir / "secret.key"
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with path.open("x", encoding="ascii") as fh:
                fh.write(secrets.token_urlsafe(48))
            path.chmod(0o600)
        except FileExistsError:
            pass
        return path.read_text(encoding="ascii").strip()
