"""Diploma learner accounts, results, claims and awards (issue 8); an award is a learning event.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def _stamps() -> list[sa.Column[dt.datetime]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "diploma_accounts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("uln", sa.String(10), nullable=False),
        sa.Column("line", sa.String(64), nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("centre_ukprn", sa.String(8), nullable=False),
        sa.Column("awarding_body_ukprn", sa.String(8), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("work_experience_days", sa.Integer, nullable=False),
        sa.Column("plts", sa.JSON, nullable=False),
        sa.Column("complete", sa.Boolean, nullable=False),
        sa.Column("achievable", sa.Boolean, nullable=False),
        sa.Column("trial_grade", sa.String(2)),
        sa.Column("points", sa.Integer),
        sa.Column("missing", sa.JSON, nullable=False),
        sa.Column("final_grade", sa.String(2)),
        sa.Column("claimed_at", sa.DateTime(timezone=True)),
        sa.Column("awarded_at", sa.DateTime(timezone=True)),
        sa.Column("awarded_by", sa.String(100)),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name="pk_diploma_accounts"),
        sa.UniqueConstraint("uln", "line", "level", name="uq_diploma_accounts_uln_line_level"),
    )
    op.create_index(
        "ix_diploma_accounts_centre_status", "diploma_accounts", ["centre_ukprn", "status"]
    )
    op.create_index(
        "ix_diploma_accounts_awarding_body_status",
        "diploma_accounts",
        ["awarding_body_ukprn", "status"],
    )
    op.create_table(
        "diploma_results",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("account_id", sa.Integer, nullable=False),
        sa.Column("reference", sa.String(64), nullable=False),
        sa.Column("awarding_body_ukprn", sa.String(8), nullable=False),
        sa.Column("component", sa.String(20), nullable=False),
        sa.Column("qualification", sa.String(10), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("level", sa.Integer, nullable=False),
        sa.Column("grade", sa.String(20), nullable=False),
        sa.Column("points", sa.Integer),
        sa.Column("subject", sa.String(20)),
        sa.Column("glh", sa.Integer, nullable=False),
        sa.Column("barring_code", sa.String(20)),
        sa.Column("achieved_on", sa.Date, nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True)),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name="pk_diploma_results"),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["diploma_accounts.id"],
            name="fk_diploma_results_account_id_diploma_accounts",
        ),
        sa.UniqueConstraint("account_id", "reference", name="uq_diploma_results_account_reference"),
    )


def downgrade() -> None:
    op.drop_table("diploma_results")
    op.drop_table("diploma_accounts")
