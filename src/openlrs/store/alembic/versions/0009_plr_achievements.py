"""Qualifications, units, learning events, learner records (version, sharing) and challenges (issue 9).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _timestamps() -> list[sa.Column[dt.datetime]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "qualifications",
        sa.Column("number", sa.String(10), nullable=False),
        sa.Column("title", sa.String(255), nullable=False),
        sa.Column("qualification_type", sa.String(255), nullable=False),
        sa.Column("level", sa.String(2), nullable=False),
        sa.Column("owners", sa.String(500), nullable=False),
        sa.Column("shared", sa.Boolean, nullable=False),
        sa.Column("credit", sa.Integer),
        sa.Column("glh", sa.Integer),
        sa.Column("valid_from", sa.Date),
        sa.Column("valid_to", sa.Date),
        *_timestamps(),
        sa.PrimaryKeyConstraint("number", name="pk_qualifications"),
    )
    op.create_table(
        "units",
        sa.Column("reference", sa.String(10), nullable=False),
        sa.Column("title", sa.String(255), nullable=False),
        sa.Column("level", sa.String(2), nullable=False),
        sa.Column("credit", sa.Integer, nullable=False),
        sa.Column("owner", sa.String(8), nullable=False),
        sa.Column("availability", sa.String(12), nullable=False),
        sa.Column("awarders", sa.String(500), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("reference", name="pk_units"),
    )
    op.create_table(
        "learning_events",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("public_id", sa.String(36), nullable=False),
        sa.Column("natural_key", sa.String(100), nullable=False),
        sa.Column("uln", sa.String(10), nullable=False),
        sa.Column("event_type", sa.String(20), nullable=False),
        sa.Column("ukprn", sa.String(8), nullable=False),
        sa.Column("subject_kind", sa.String(20), nullable=False),
        sa.Column("subject", sa.String(10), nullable=False),
        sa.Column("subject_title", sa.String(255), nullable=False),
        sa.Column("qualification_type", sa.String(255), nullable=False),
        sa.Column("level", sa.String(2), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("status_before_withdrawal", sa.String(12)),
        sa.Column("grade", sa.String(20)),
        sa.Column("credits", sa.Integer),
        sa.Column("award_date", sa.Date),
        sa.Column("start_date", sa.Date),
        sa.Column("end_date", sa.Date),
        sa.Column("source", sa.String(60), nullable=False),
        sa.Column("under_challenge", sa.Boolean, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_learning_events"),
        sa.UniqueConstraint("public_id", name="uq_learning_events_public_id"),
        sa.UniqueConstraint("natural_key", name="uq_learning_events_natural_key"),
    )
    op.create_index("ix_learning_events_uln", "learning_events", ["uln"])
    op.create_table(
        "learning_event_versions",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("event_id", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("change", sa.String(20), nullable=False),
        sa.Column("changed_by", sa.String(100), nullable=False),
        sa.Column("snapshot", sa.JSON, nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_learning_event_versions"),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["learning_events.id"],
            name="fk_learning_event_versions_event_id_learning_events",
            ondelete="CASCADE",
        ),
    )
    op.create_index(
        "ix_learning_event_versions_event_version",
        "learning_event_versions",
        ["event_id", "version"],
        unique=True,
    )
    op.create_table(
        "learner_records",
        sa.Column("uln", sa.String(10), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("shares", sa.Boolean, nullable=False),
        sa.Column("sharing_recorded_by", sa.String(100)),
        *_timestamps(),
        sa.PrimaryKeyConstraint("uln", name="pk_learner_records"),
    )
    op.create_table(
        "learning_event_challenges",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("public_id", sa.String(36), nullable=False),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("uln", sa.String(10), nullable=False),
        sa.Column("raised_by", sa.String(100), nullable=False),
        sa.Column("raised_by_ukprn", sa.String(8), nullable=False),
        sa.Column("owner_ukprn", sa.String(8), nullable=False),
        sa.Column("reason", sa.String(1000), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("resolution", sa.String(12)),
        sa.Column("response", sa.String(1000)),
        sa.Column("decided_by", sa.String(100)),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_learning_event_challenges"),
        sa.UniqueConstraint("public_id", name="uq_learning_event_challenges_public_id"),
    )
    op.create_index(
        "ix_learning_event_challenges_event_id", "learning_event_challenges", ["event_id"]
    )
    op.create_index(
        "ix_learning_event_challenges_owner_status",
        "learning_event_challenges",
        ["owner_ukprn", "status"],
    )
    op.create_index(
        "ix_learning_event_challenges_raised_status",
        "learning_event_challenges",
        ["raised_by_ukprn", "status"],
    )


def downgrade() -> None:
    for name in (
        "ix_learning_event_challenges_raised_status",
        "ix_learning_event_challenges_owner_status",
        "ix_learning_event_challenges_event_id",
    ):
        op.drop_index(name, table_name="learning_event_challenges")
    op.drop_table("learning_event_challenges")
    op.drop_table("learner_records")
    op.drop_index("ix_learning_event_versions_event_version", table_name="learning_event_versions")
    op.drop_table("learning_event_versions")
    op.drop_index("ix_learning_events_uln", table_name="learning_events")
    op.drop_table("learning_events")
    op.drop_table("units")
    op.drop_table("qualifications")
