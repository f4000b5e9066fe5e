"""Access bound to a relationship (issue 21): who registered or has each learner on roll, changes
asked for by anyone else, and one exceptions-queue entry per organisation and person.

Backfills `registered` from learners.registered_by_ukprn and `on_roll` from exceptions-queue
entries resolved as the same person. Earlier held registrations keep no fingerprint (NULL never
collides), so existing duplicates stay as they are.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def _stamps() -> list[sa.Column[dt.datetime]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "learner_relationships",
        sa.Column("uln", sa.String(10), nullable=False),
        sa.Column("ukprn", sa.String(8), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        *_stamps(),
        sa.PrimaryKeyConstraint("uln", "ukprn", "kind", name="pk_learner_relationships"),
    )
    op.create_index(
        "ix_learner_relationships_ukprn_kind", "learner_relationships", ["ukprn", "kind"]
    )
    op.execute(
        "INSERT INTO learner_relationships (uln, ukprn, kind, created_at, updated_at)"
        " SELECT uln, registered_by_ukprn, 'registered', created_at, created_at FROM learners"
        " WHERE registered_by_ukprn IS NOT NULL AND registered_by_ukprn <> ''"
    )
    op.execute(
        "INSERT INTO learner_relationships (uln, ukprn, kind, created_at, updated_at)"
        " SELECT resolved_uln, ukprn, 'on_roll', MIN(updated_at), MIN(updated_at)"
        " FROM held_registrations WHERE status = 'resolved_same_person'"
        " AND resolved_uln IS NOT NULL GROUP BY resolved_uln, ukprn"
    )
    op.create_table(
        "learner_change_requests",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("reference", sa.String(36), nullable=False),
        sa.Column("uln", sa.String(10), nullable=False),
        sa.Column("ukprn", sa.String(8), nullable=False),
        sa.Column("requested_by", sa.String(100), nullable=False),
        sa.Column("changes", sa.JSON, nullable=False),
        sa.Column("expected_version", sa.Integer, nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("decided_by", sa.String(100)),
        sa.Column("decided_by_ukprn", sa.String(8)),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.Column("applied_version", sa.Integer),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name="pk_learner_change_requests"),
        sa.UniqueConstraint("reference", name="uq_learner_change_requests_reference"),
    )
    op.create_index("ix_learner_change_requests_uln", "learner_change_requests", ["uln"])
    op.create_index(
        "uq_learner_change_requests_pending",
        "learner_change_requests",
        ["ukprn", "fingerprint"],
        unique=True,
        sqlite_where=sa.text("status = 'pending'"),
        postgresql_where=sa.text("status = 'pending'"),
    )
    with op.batch_alter_table("held_registrations") as batch:
        batch.add_column(sa.Column("fingerprint", sa.String(64)))
    op.create_index(
        "uq_held_registrations_open_person",
        "held_registrations",
        ["ukprn", "fingerprint"],
        unique=True,
        sqlite_where=sa.text("status = 'open'"),
        postgresql_where=sa.text("status = 'open'"),
    )


def downgrade() -> None:
    op.drop_index("uq_held_registrations_open_person", "held_registrations")
    with op.batch_alter_table("held_registrations") as batch:
        batch.drop_column("fingerprint")
    op.drop_index("uq_learner_change_requests_pending", "learner_change_requests")
    op.drop_index("ix_learner_change_requests_uln", "learner_change_requests")
    op.drop_table("learner_change_requests")
    op.drop_index("ix_learner_relationships_ukprn_kind", "learner_relationships")
    op.drop_table("learner_relationships")
