"""The suspected-duplicates queue the register audit fills (issue 4), on the shared `metadata`."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Float, Index, Integer, String, Table, UniqueConstraint

from openlrs.store.tables import UtcDateTime, metadata, utcnow

suspected_duplicates = Table(
    "suspected_duplicates",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uln_a", String(10), nullable=False),
    Column("uln_b", String(10), nullable=False),
    Column("match_weight", Float, nullable=False),
    Column("probability", Float, nullable=False),
    Column("detail", JSON, nullable=False),
    Column("status", String(20), nullable=False),
    Column("found_by", String(64), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False, default=utcnow),
    Column("updated_at", UtcDateTime(), nullable=False, default=utcnow),
    UniqueConstraint("uln_a", "uln_b", name="uq_suspected_duplicates_pair"),
    Index("ix_suspected_duplicates_status_id", "status", "id"),
    Index("ix_suspected_duplicates_uln_b", "uln_b"),
)
