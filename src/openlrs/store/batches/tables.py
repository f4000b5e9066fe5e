"""Batch jobs, their files and their rows: the durable job queue (no broker needed)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
)

from openlrs.store.tables import UtcDateTime, metadata, timestamps

batch_jobs = Table(
    "batch_jobs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("public_id", String(36), nullable=False, unique=True),
    Column("ukprn", String(8), nullable=False),
    Column("submitted_by", String(100), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("fmt", String(10), nullable=False),
    Column("filename", String(255), nullable=False),
    Column("checksum", String(64), nullable=False),
    Column("status", String(30), nullable=False),
    Column("request_id", String(64)),
    Column("error_code", String(60)),
    Column("error_message", String(500)),
    Column("approved_by", String(100)),
    Column("claimed_by", String(64)),
    Column("claimed_until", UtcDateTime()),
    *timestamps(),
    Index("ix_batch_jobs_ukprn_checksum", "ukprn", "checksum"),
    Index("ix_batch_jobs_status", "status"),
)

batch_files = Table(
    "batch_files",
    metadata,
    Column("job_id", ForeignKey("batch_jobs.id", ondelete="CASCADE"), primary_key=True),
    Column("content", LargeBinary, nullable=False),
)

batch_rows = Table(
    "batch_rows",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("job_id", ForeignKey("batch_jobs.id", ondelete="CASCADE"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("source_learner_id", String(50)),
    Column("cells", JSON, nullable=False),
    Column("status", String(10), nullable=False),
    Column("claimed_by", String(64)),
    Column("claimed_until", UtcDateTime()),
    Column("result", JSON),
    Column("failed", Boolean),
    *timestamps(),
    Index("ix_batch_rows_job_number", "job_id", "number", unique=True),
    Index("ix_batch_rows_job_status", "job_id", "status"),
)

batch_settings = Table(
    "batch_settings",
    metadata,
    Column("ukprn", String(8), primary_key=True),
    Column("approval_required", Boolean, nullable=False, default=False),
    *timestamps(),
)
