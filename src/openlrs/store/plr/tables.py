"""Personal Learning Record tables (issue 9), on the shared `metadata`: the qualification and unit
register, learning events with their versions, each learner's record version and sharing choice,
and learning-event data challenges."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
)

from openlrs.store.tables import UtcDateTime, metadata, timestamps

qualifications = Table(
    "qualifications",
    metadata,
    Column("number", String(10), primary_key=True),
    Column("title", String(255), nullable=False),
    Column("qualification_type", String(255), nullable=False),
    Column("level", String(2), nullable=False),
    Column("owners", String(500), nullable=False),  # UKPRNs, space-separated
    Column("shared", Boolean, nullable=False),
    Column("credit", Integer),
    Column("glh", Integer),
    Column("valid_from", Date),
    Column("valid_to", Date),
    *timestamps(),
)

units = Table(
    "units",
    metadata,
    Column("reference", String(10), primary_key=True),
    Column("title", String(255), nullable=False),
    Column("level", String(2), nullable=False),
    Column("credit", Integer, nullable=False),
    Column("owner", String(8), nullable=False),
    Column("availability", String(12), nullable=False),
    Column("awarders", String(500), nullable=False),  # UKPRNs, space-separated
    *timestamps(),
)

learning_events = Table(
    "learning_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("public_id", String(36), nullable=False, unique=True),
    Column("natural_key", String(100), nullable=False, unique=True),
    Column("uln", String(10), nullable=False),
    Column("event_type", String(20), nullable=False),
    Column("ukprn", String(8), nullable=False),
    Column("subject_kind", String(20), nullable=False),
    Column("subject", String(10), nullable=False),
    Column("subject_title", String(255), nullable=False),
    Column("qualification_type", String(255), nullable=False),
    Column("level", String(2), nullable=False),
    Column("status", String(12), nullable=False),
    Column("status_before_withdrawal", String(12)),
    Column("grade", String(20)),
    Column("credits", Integer),
    Column("award_date", Date),
    Column("start_date", Date),
    Column("end_date", Date),
    Column("source", String(60), nullable=False),
    Column("under_challenge", Boolean, nullable=False),
    Column("version", Integer, nullable=False),
    Column("recorded_uln", String(10)),  # set while a merge or split has moved the event
    *timestamps(),
    Index("ix_learning_events_uln", "uln"),
)

learning_event_versions = Table(
    "learning_event_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", ForeignKey("learning_events.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("change", String(20), nullable=False),
    Column("changed_by", String(100), nullable=False),
    Column("snapshot", JSON, nullable=False),
    *timestamps(),
    Index("ix_learning_event_versions_event_version", "event_id", "version", unique=True),
)

learner_records = Table(
    "learner_records",
    metadata,
    Column("uln", String(10), primary_key=True),
    Column("version", Integer, nullable=False),
    *timestamps(),
)

learning_event_challenges = Table(
    "learning_event_challenges",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("public_id", String(36), nullable=False, unique=True),
    Column("event_id", String(36)),  # None for a ULN challenge
    Column("uln", String(10), nullable=False),
    Column("raised_by", String(100), nullable=False),
    Column("raised_by_ukprn", String(8), nullable=False),
    Column("owner_ukprn", String(8)),  # None: the service desk decides
    Column("kind", String(30), nullable=False, server_default="learning_event"),
    Column("related_uln", String(10)),
    Column("reason", String(1000), nullable=False),
    Column("status", String(10), nullable=False),
    Column("resolution", String(12)),
    Column("response", String(1000)),
    Column("decided_by", String(100)),
    Column("decided_at", UtcDateTime()),
    *timestamps(),
    Index("ix_learning_event_challenges_event_id", "event_id"),
    Index("ix_learning_event_challenges_owner_status", "owner_ukprn", "status"),
    Index("ix_learning_event_challenges_raised_status", "raised_by_ukprn", "status"),
    Index("ix_learning_event_challenges_kind_status", "kind", "status"),
)
