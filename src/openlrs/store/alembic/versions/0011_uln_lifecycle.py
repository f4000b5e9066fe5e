"""ULN life cycle (issue 7): merges with the events they moved, ULN data challenges beside the
learning-event ones, the ULN an event was recorded under, and the change feed.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _stamps() -> list[sa.Column[dt.datetime]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "uln_merges",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("uln", sa.String(10), nullable=False),
        sa.Column("master_uln", sa.String(10), nullable=False),
        sa.Column("moved_events", sa.JSON, nullable=False),
        sa.Column("merged_by", sa.String(100), nullable=False),
        sa.Column("unmerged_by", sa.String(100)),
        sa.Column("unmerged_at", sa.DateTime(timezone=True)),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name="pk_uln_merges"),
    )
    op.create_index("ix_uln_merges_uln", "uln_merges", ["uln"])
    op.create_index("ix_uln_merges_master_uln", "uln_merges", ["master_uln"])
    op.create_table(
        "learner_changes",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
        sa.Column("uln", sa.String(10), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("related_uln", sa.String(10)),
        sa.Column("event_id", sa.String(36)),
        sa.Column("ukprn", sa.String(8)),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name="pk_learner_changes"),
    )
    op.create_index("ix_learner_changes_uln", "learner_changes", ["uln"])
    with op.batch_alter_table("learning_events") as batch:
        batch.add_column(sa.Column("recorded_uln", sa.String(10)))
    with op.batch_alter_table("learning_event_challenges") as batch:
        batch.alter_column("event_id", existing_type=sa.String(36), nullable=True)
        batch.alter_column("owner_ukprn", existing_type=sa.String(8), nullable=True)
        batch.add_column(
            sa.Column("kind", sa.String(30), nullable=False, server_default="learning_event")
        )
        batch.add_column(sa.Column("related_uln", sa.String(10)))
    op.create_index(
        "ix_learning_event_challenges_kind_status",
        "learning_event_challenges",
        ["kind", "status"],
    )


def downgrade() -> None:
    op.drop_index("ix_learning_event_challenges_kind_status", "learning_event_challenges")
    op.execute("DELETE FROM learning_event_challenges WHERE kind <> 'learning_event'")
    with op.batch_alter_table("learning_event_challenges") as batch:
        batch.drop_column("related_uln")
        batch.drop_column("kind")
        batch.alter_column("owner_ukprn", existing_type=sa.String(8), nullable=False)
        batch.alter_column("event_id", existing_type=sa.String(36), nullable=False)
    with op.batch_alter_table("learning_events") as batch:
        batch.drop_column("recorded_uln")
    op.drop_index("ix_learner_changes_uln", "learner_changes")
    op.drop_table("learner_changes")
    op.drop_index("ix_uln_merges_master_uln", "uln_merges")
    op.drop_index("ix_uln_merges_uln", "uln_merges")
    op.drop_table("uln_merges")
