"""Learners' own accounts (issue 22): activation codes, learner accounts and share codes.

Learner sessions, second factors and lockouts reuse the portal's tables (portal_sessions,
portal_sign_in, portal_sign_in_failures) under usernames `learner:<ULN>`, which no organisation
user may take.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "learner_accounts",
        sa.Column("uln", sa.String(10), nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("activated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("uln", name="pk_learner_accounts"),
    )
    op.create_table(
        "learner_activation_codes",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("uln", sa.String(10), nullable=False),
        sa.Column("code_hash", sa.Text, nullable=False),
        sa.Column("issued_by", sa.String(100), nullable=False),
        sa.Column("issued_by_ukprn", sa.String(8)),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_learner_activation_codes"),
    )
    op.create_index("ix_learner_activation_codes_uln", "learner_activation_codes", ["uln"])
    op.create_table(
        "learner_share_codes",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("uln", sa.String(10), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("event_ids", sa.JSON),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_learner_share_codes"),
        sa.UniqueConstraint("code_hash", name="uq_learner_share_codes_code_hash"),
    )
    op.create_index("ix_learner_share_codes_uln", "learner_share_codes", ["uln"])


def downgrade() -> None:
    op.drop_index("ix_learner_share_codes_uln", "learner_share_codes")
    op.drop_table("learner_share_codes")
    op.drop_index("ix_learner_activation_codes_uln", "learner_activation_codes")
    op.drop_table("learner_activation_codes")
    op.drop_table("learner_accounts")
