"""Suspected duplicates from the register audit (issue 4): pairs of ULNs for the service desk.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "suspected_duplicates",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("uln_a", sa.String(10), nullable=False),
        sa.Column("uln_b", sa.String(10), nullable=False),
        sa.Column("match_weight", sa.Float, nullable=False),
        sa.Column("probability", sa.Float, nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("found_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_suspected_duplicates"),
        sa.UniqueConstraint("uln_a", "uln_b", name="uq_suspected_duplicates_pair"),
    )
    op.create_index("ix_suspected_duplicates_status_id", "suspected_duplicates", ["status", "id"])
    op.create_index("ix_suspected_duplicates_uln_b", "suspected_duplicates", ["uln_b"])


def downgrade() -> None:
    op.drop_table("suspected_duplicates")
