"""Diploma learner accounts and their component results (issue 8). An award is a learning event."""

from __future__ import annotations

import datetime as dt

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
    UniqueConstraint,
)

from openlrs.store.tables import UtcDateTime, metadata, utcnow


def _stamps() -> tuple[Column[dt.datetime], Column[dt.datetime]]:
    return (
        Column("created_at", UtcDateTime(), nullable=False, default=utcnow),
        Column("updated_at", UtcDateTime(), nullable=False, default=utcnow),
    )


diploma_accounts = Table(
    "diploma_accounts",
    metadata,
    Column("id", Integer, primary_key=True),  # internal: results' key and the lock order
    # The account's reference outside the store: random, so it cannot be counted through.
    Column("public_id", String(32), nullable=False, unique=True),
    Column("uln", String(10), nullable=False),
    Column("line", String(64), nullable=False),
    Column("level", String(20), nullable=False),
    Column("centre_ukprn", String(8), nullable=False),
    Column("awarding_body_ukprn", String(8), nullable=False),
    Column("status", String(10), nullable=False),
    Column("work_experience_days", Integer, nullable=False),
    Column("plts", JSON, nullable=False),
    # The latest evaluation, kept for lists and monitoring; reads re-evaluate from the results.
    Column("complete", Boolean, nullable=False),
    Column("achievable", Boolean, nullable=False),
    Column("trial_grade", String(2)),
    Column("points", Integer),
    Column("missing", JSON, nullable=False),
    Column("final_grade", String(2)),
    Column("claimed_at", UtcDateTime()),
    Column("awarded_at", UtcDateTime()),
    Column("awarded_by", String(100)),
    *_stamps(),
    UniqueConstraint("uln", "line", "level", name="uq_diploma_accounts_uln_line_level"),
    Index("ix_diploma_accounts_centre_status", "centre_ukprn", "status"),
    Index("ix_diploma_accounts_awarding_body_status", "awarding_body_ukprn", "status"),
)

diploma_results = Table(
    "diploma_results",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, ForeignKey("diploma_accounts.id"), nullable=False),
    Column("reference", String(64), nullable=False),
    Column("awarding_body_ukprn", String(8), nullable=False),
    Column("component", String(20), nullable=False),
    Column("qualification", String(10), nullable=False),
    Column("title", String(200), nullable=False),
    Column("level", Integer, nullable=False),
    Column("grade", String(20), nullable=False),
    Column("points", Integer),
    Column("subject", String(20)),
    Column("glh", Integer, nullable=False),
    Column("barring_code", String(20)),
    Column("achieved_on", Date, nullable=False),
    Column("withdrawn_at", UtcDateTime()),
    *_stamps(),
    UniqueConstraint("account_id", "reference", name="uq_diploma_results_account_reference"),
)
