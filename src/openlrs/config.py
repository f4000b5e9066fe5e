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
    batch_max_rows: int = Field(default=10_000, description="Rows per batch file (the LRS: 200)")
    batch_max_bytes: int = Field(default=20 * 1024 * 1024, description="Bytes per batch file")
    embedded_worker: bool = Field(
        default=True,
        description="`openlrs serve` also runs a batch worker thread in each process; turn off "
        "when running `openlrs worker` processes of their own",
    )
    batch_lease_seconds: int = Field(default=300, description="How long a worker's claim lasts")
    name_frequency_refresh_minutes: int = Field(
        default=60, description="How often workers recount name frequencies for matching"
    )
    db_pool_size: int = 16
    request_threads: int = Field(default=8, description="Threads per process for sync routes")
    log_level: str = "INFO"
    # Running it for real (docs/operations.md, decisions/0008-operations.md).
    access_log: bool = Field(default=True, description="One JSON line per request")
    db_statement_timeout_ms: int = Field(default=30_000, description="Per-statement limit")
    database_prepared_statements: bool = Field(
        default=True,
        description="PostgreSQL: let psycopg prepare the statements a connection runs often. Turn "
        "off behind a transaction-mode pooler that cannot keep them (PgBouncer before 1.21, or "
        "without max_prepared_statements)",
    )
    database_listen_url: str | None = Field(
        default=None,
        description="PostgreSQL: where the account cache LISTENs for revocations, when "
        "database_url goes through a transaction-mode pooler (a direct connection; default: "
        "database_url)",
    )
    read_audit_sync_commit: bool = Field(
        default=False,
        description="PostgreSQL: wait for the disk before answering a lookup or search (their "
        "audit rows). Off: a database crash may lose the last ~0.6 s of read records, never a "
        "change; changes and PLR reads always wait (docs/decisions/0016-read-audit-commit.md)",
    )
    rate_limit_per_client: float = Field(default=100.0, description="Requests/s; 0 turns off")
    rate_limit_client_burst: int = 400
    rate_limit_per_ip: float = Field(default=200.0, description="Requests/s; 0 turns off")
    rate_limit_ip_burst: int = 800
    metrics_token: str | None = Field(
        default=None, description="Bearer token for /metrics; unset: loopback callers only"
    )
    behind_tls: bool = Field(
        default=False,
        description="The service is reached over https (e.g. behind a TLS proxy): send HSTS on "
        "every response and mark every portal cookie Secure. Off for `make run` on http",
    )
    shutdown_drain_seconds: float = Field(
        default=0.0, description="After SIGTERM, answer /readyz 503 this long before stopping"
    )
    shutdown_grace_seconds: int = Field(
        default=30, description="How long in-flight requests may take to finish on shutdown"
    )
    var_dir: Path = Path("var")
    portal_session_idle_minutes: int = Field(default=30, description="Portal idle sign-out")
    portal_session_hours: int = Field(default=12, description="Portal session absolute limit")
    portal_max_failed_sign_ins: int = Field(default=5, description="Failures before lockout")
    portal_lockout_minutes: int = 15
    learner_activation_days: int = Field(
        default=30, ge=1, le=365, description="How long a learner's activation code works"
    )

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
