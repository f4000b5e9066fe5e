"""Blocking keys for the matching engine: one row per (key, learner), backfilled for existing learners.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "learner_match_keys",
        sa.Column("key", sa.String(80), nullable=False),
        sa.Column("learner_id", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("key", "learner_id", name="pk_learner_match_keys"),
        sa.ForeignKeyConstraint(
            ["learner_id"], ["learners.id"], name="fk_learner_match_keys_learner_id_learners"
        ),
    )
    op.create_index("ix_learner_match_keys_learner_id", "learner_match_keys", ["learner_id"])
    # name frequencies for term-frequency adjustment
    op.create_index("ix_learners_family_given", "learners", ["family_key", "given_key"])
    op.create_index("ix_learners_given_key", "learners", ["given_key"])
    from openlrs.store.matching.match_keys import rebuild_match_keys

    rebuild_match_keys(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_learners_given_key", "learners")
    op.drop_index("ix_learners_family_given", "learners")
    op.drop_table("learner_match_keys")
