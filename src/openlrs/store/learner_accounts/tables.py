"""Learners' own accounts (issue 22). Sessions, second factors and lockouts live in the portal's
tables under the username `learner:<ULN>` (store/accounts/tables.py)."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Index, Integer, String, Table, Text

from openlrs.store.tables import UtcDateTime, metadata, timestamps

learner_accounts = Table(
    "learner_accounts",
    metadata,
    Column("uln", String(10), primary_key=True),
    Column("password_hash", Text, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("activated_at", UtcDateTime(), nullable=False),
    *timestamps(),
)
"""A learner who has activated their account: the argon2 hash of their password."""

learner_activation_codes = Table(
    "learner_activation_codes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uln", String(10), nullable=False),
    Column("code_hash", Text, nullable=False),
    Column("issued_by", String(100), nullable=False),
    Column("issued_by_ukprn", String(8)),
    Column("expires_at", UtcDateTime(), nullable=False),
    Column("used_at", UtcDateTime()),
    *timestamps(),
    Index("ix_learner_activation_codes_uln", "uln"),
)
"""One-time activation codes: only their argon2 hash is kept (the code is shown once)."""

learner_share_codes = Table(
    "learner_share_codes",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("uln", String(10), nullable=False),
    Column("code_hash", String(64), nullable=False, unique=True),
    Column("label", String(100), nullable=False),
    Column("event_ids", JSON),
    Column("expires_at", UtcDateTime(), nullable=False),
    Column("revoked_at", UtcDateTime()),
    *timestamps(),
    Index("ix_learner_share_codes_uln", "uln"),
)
"""Codes a learner gives someone to see (part of) their record: the SHA-256 of the code (long and
random, so it is looked up by its hash like a session token), what it shows (`event_ids`, or NULL
for the whole record) and until when."""
