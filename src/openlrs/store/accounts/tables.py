"""Portal tables: server-side sessions, per-user sign-in state (migration 0007), failed
sign-ins per user and source (0012) and password reset links (0020)."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Index, Integer, String, Table

from openlrs.store.tables import UtcDateTime, metadata, utcnow

portal_sessions = Table(
    "portal_sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("username", String(100), nullable=False),
    Column("stage", String(10), nullable=False),
    Column("last_seen_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Column("revoked_at", UtcDateTime()),
    Column("created_at", UtcDateTime(), nullable=False, default=utcnow),
    Column("updated_at", UtcDateTime(), nullable=False, default=utcnow),
    Index("ix_portal_sessions_username", "username"),
)

portal_sign_in = Table(
    "portal_sign_in",
    metadata,
    Column("username", String(100), primary_key=True),
    Column("totp_secret", String(64)),
    Column("totp_enabled", Boolean, nullable=False, default=False),
    Column("last_totp_step", Integer),
    Column("must_change_password", Boolean, nullable=False, default=False),
    Column("created_at", UtcDateTime(), nullable=False, default=utcnow),
    Column("updated_at", UtcDateTime(), nullable=False, default=utcnow),
)

portal_sign_in_failures = Table(
    "portal_sign_in_failures",
    metadata,
    Column("username", String(100), primary_key=True),
    Column("source", String(64), primary_key=True),
    Column("failures", Integer, nullable=False, default=0),
    Column("locked_until", UtcDateTime()),
    Column("created_at", UtcDateTime(), nullable=False, default=utcnow),
    Column("updated_at", UtcDateTime(), nullable=False, default=utcnow),
)
"""Consecutive failed sign-ins of a username (existing or not) from one source (a hash of the
client address): lockout with backoff per pair, so nobody can lock a user out from elsewhere."""

portal_password_resets = Table(
    "portal_password_resets",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("username", String(100), nullable=False),
    Column("issued_by", String(100), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Column("used_at", UtcDateTime()),
    Column("created_at", UtcDateTime(), nullable=False, default=utcnow),
    Column("updated_at", UtcDateTime(), nullable=False, default=utcnow),
    Index("ix_portal_password_resets_username", "username"),
)
"""One-time password reset links an administrator issues (migration 0020): only the SHA-256 of
each token is kept; a link works once, before it expires."""
