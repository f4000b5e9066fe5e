"""The exceptions queue: registrations held for a person to decide.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "held_registrations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("ukprn", sa.String(8), nullable=False),
        sa.Column("submitted_by", sa.String(100), nullable=False),
        sa.Column("details", sa.JSON, nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("candidate_ulns", sa.String(200), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("resolved_uln", sa.String(10)),
        sa.Column("resolved_by", sa.String(100)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_held_registrations"),
    )
    op.create_index("ix_held_registrations_ukprn_status", "held_registrations", ["ukprn", "status"])


def downgrade() -> None:
    op.drop_table("held_registrations")
