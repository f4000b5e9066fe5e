"""Who has a relationship with a learner, and the changes others asked for (issue 21)."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Index, Integer, String, Table, text

from openlrs.store.tables import UtcDateTime, metadata, timestamps

learner_relationships = Table(
    "learner_relationships",
    metadata,
    Column("uln", String(10), primary_key=True),
    Column("ukprn", String(8), primary_key=True),
    Column("kind", String(10), primary_key=True),
    *timestamps(),
    Index("ix_learner_relationships_ukprn_kind", "ukprn", "kind"),
)
"""An organisation's relationship with a learner, recorded by the register: `registered` (it
registered them) or `on_roll` (the register handed it their ULN). `created_at` is since when."""

learner_change_requests = Table(
    "learner_change_requests",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("reference", String(36), nullable=False, unique=True),
    Column("uln", String(10), nullable=False, index=True),
    Column("ukprn", String(8), nullable=False),
    Column("requested_by", String(100), nullable=False),
    Column("changes", JSON, nullable=False),
    Column("expected_version", Integer, nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("status", String(10), nullable=False),
    Column("decided_by", String(100)),
    Column("decided_by_ukprn", String(8)),
    Column("decided_at", UtcDateTime()),
    Column("applied_version", Integer),
    *timestamps(),
    Index(
        "uq_learner_change_requests_pending",
        "ukprn",
        "fingerprint",
        unique=True,
        sqlite_where=text("status = 'pending'"),
        postgresql_where=text("status = 'pending'"),
    ),
)
"""Changes to a learner asked for by an organisation without a relationship: one pending request
per organisation and set of changes (the partial unique index makes a repeat the same request)."""
