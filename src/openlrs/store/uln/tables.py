"""ULN life-cycle tables (issue 7), on the shared `metadata`: each merge with the events it moved,
and the change feed (its `id` is the feed position, assigned in commit order: see
`store.change_feed` and docs/decisions/0015-change-feed.md)."""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Column, Index, Integer, String, Table

from openlrs.store.tables import UtcDateTime, metadata, timestamps

uln_merges = Table(
    "uln_merges",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uln", String(10), nullable=False),
    Column("master_uln", String(10), nullable=False),
    Column("moved_events", JSON, nullable=False),  # learning-event public ids
    Column("merged_by", String(100), nullable=False),
    Column("unmerged_by", String(100)),
    Column("unmerged_at", UtcDateTime()),
    *timestamps(),
    Index("ix_uln_merges_uln", "uln"),
    Index("ix_uln_merges_master_uln", "master_uln"),
)

learner_changes = Table(
    "learner_changes",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("uln", String(10), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("related_uln", String(10)),
    Column("event_id", String(36)),
    Column("ukprn", String(8)),
    *timestamps(),
    Index("ix_learner_changes_uln", "uln"),
)
