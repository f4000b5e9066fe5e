"""The service desk's incidents (migration 0019)."""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, SmallInteger, String, Table, Text

from openlrs.store.tables import UtcDateTime, metadata, timestamps

incidents = Table(
    "incidents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("public_id", String(36), nullable=False, unique=True),
    Column("category", SmallInteger, nullable=False),
    Column("summary", String(200), nullable=False),
    Column("details", Text, nullable=False),
    Column("status", String(12), nullable=False),
    Column("reported_at", UtcDateTime(), nullable=False),
    Column("responded_at", UtcDateTime()),
    Column("resolved_at", UtcDateTime()),
    Column("resolution", Text),
    Column("logged_by", String(100), nullable=False),
    *timestamps(),
    Index("ix_incidents_status_reported_at", "status", "reported_at"),
)
