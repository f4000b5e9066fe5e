"""One settings object, read from OPENLRS_* environment variables."""

from __future__ import annotations

import datetime as dt
import secrets
from functools import cached_property
from pathlib import Path
from typing import Literal

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
    retention_days: dict[str, int] = Field(
        default_factory=dict,
        description="Retention periods in days by kind of data, over the defaults (JSON, e.g. "
        '{"batch_files": 14}; kinds and defaults: docs/data-protection.md)',
    )
    retention_every_hours: float = Field(
        default=24.0, description="How often batch workers apply the retention policy; 0: never"
    )
    portal_session_idle_minutes: int = Field(default=30, description="Portal idle sign-out")
    portal_session_hours: int = Field(default=12, description="Portal session absolute limit")
    portal_max_failed_sign_ins: int = Field(default=5, description="Failures before lockout")
    portal_lockout_minutes: int = 15
    # How the portal looks (docs/decisions/0025-portal-branding-and-layout.md).
    portal_brand: Literal["neutral", "govuk"] = Field(
        default="neutral",
        description="neutral: GOV.UK Frontend's patterns with a plain header, the system font and "
        "no Crown marks. govuk: the GOV.UK header, font and Crown copyright, for a deployment "
        "run by or for UK government that is entitled to them",
    )
    portal_service_name: str = Field(
        default="Learning Records Service", description="The name in the header and page titles"
    )
    portal_operator: str = Field(
        default="the organisation running this service",
        description="Who runs this deployment (named in the accessibility statement, cookies "
        "page and footer)",
    )
    portal_contact_email: str | None = Field(
        default=None, description="The service desk's e-mail address, for feedback and help"
    )
    portal_reset_link_hours: int = Field(
        default=24, description="How long a password reset link an administrator issues lasts"
    )
    # The service desk's clock, notices and notifications (docs/operations.md, decision 0024).
    service_days: str = Field(default="mon-fri", description="Days the service desk's clock runs")
    service_opens: str = Field(default="08:00", description="Service hours start (UK time)")
    service_closes: str = Field(default="18:00", description="Service hours end (UK time)")
    bank_holidays: list[dt.date] | None = Field(
        default=None,
        description="Days the clock stops (JSON list of dates); unset: England and Wales 2025-27",
    )
    read_only: bool = Field(
        default=False,
        description="Refuse every write with 503 (reads keep working), e.g. during a migration",
    )
    notifications_transport: Literal["none", "smtp", "notify"] = Field(
        default="none",
        description="How workers send notification e-mails; none: they wait in the outbox",
    )
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_starttls: bool = False
    smtp_username: str | None = None
    smtp_password: str | None = None
    mail_from: str = "noreply@openlrs.invalid"
    notify_api_key: str | None = Field(default=None, description="GOV.UK Notify API key")
    notify_template_id: str | None = Field(
        default=None, description="A Notify e-mail template of ((subject)) and ((body))"
    )
    notify_base_url: str = "https://api.notifications.service.gov.uk"
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
