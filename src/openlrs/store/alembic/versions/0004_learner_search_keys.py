"""Learner search keys: each learner's packed match keys beside it, and a name-frequency table.

Searching then reads candidates' keys instead of recomputing them from their details, and looks
name frequencies up instead of counting them (decision 0011). Existing learners are backfilled.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("learners", sa.Column("match_data", sa.Text))
    op.create_table(
        "name_frequencies",
        sa.Column("field", sa.String(12), nullable=False),
        sa.Column("key", sa.String(141), nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("field", "key", name="pk_name_frequencies"),
    )
    op.drop_index("ix_learners_given_key", "learners")
    op.drop_index("ix_learners_family_given", "learners")
    from openlrs.store.matching.match_keys import rebuild_packed_keys, refresh_name_frequencies

    rebuild_packed_keys(op.get_bind())
    refresh_name_frequencies(op.get_bind())


def downgrade() -> None:
    op.create_index("ix_learners_family_given", "learners", ["family_key", "given_key"])
    op.create_index("ix_learners_given_key", "learners", ["given_key"])
    op.drop_table("name_frequencies")
    with op.batch_alter_table("learners") as batch:
        batch.drop_column("match_data")
