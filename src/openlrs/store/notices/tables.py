"""Maintenance windows the desk schedules (migration 0019)."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Index, Integer, String, Table

from openlrs.store.tables import UtcDateTime, metadata, timestamps

maintenance_windows = Table(
    "maintenance_windows",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("public_id", String(36), nullable=False, unique=True),
    Column("starts_at", UtcDateTime(), nullable=False),
    Column("ends_at", UtcDateTime(), nullable=False),
    Column("message", String(500), nullable=False),
    Column("read_only", Boolean, nullable=False),
    Column("scheduled_by", String(100), nullable=False),
    Column("cancelled_at", UtcDateTime()),
    *timestamps(),
    Index("ix_maintenance_windows_ends_at", "ends_at"),
)
