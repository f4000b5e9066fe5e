"""The notifications outbox (migration 0019): one row per message, written in the transaction of
the event it reports, delivered later by the worker."""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, String, Table, Text

from openlrs.store.tables import UtcDateTime, metadata, timestamps

notifications = Table(
    "notifications",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("idempotency_key", String(100), nullable=False, unique=True),
    Column("kind", String(30), nullable=False),
    Column("ukprn", String(8), nullable=False),
    Column("to_address", String(254), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("body", Text, nullable=False),
    Column("status", String(10), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime(), nullable=False),
    Column("sent_at", UtcDateTime()),
    Column("last_error", String(100)),
    *timestamps(),
    Index("ix_notifications_status_next_attempt_at", "status", "next_attempt_at"),
)
