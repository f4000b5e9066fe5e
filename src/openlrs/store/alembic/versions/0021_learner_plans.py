"""Learner plans (issue 23): one plan per learner with its versions and progress notes.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def _timestamps() -> list[sa.Column[dt.datetime]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "learner_plans",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("uln", sa.String(10), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("content", sa.JSON, nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
        sa.Column("updated_by_ukprn", sa.String(8), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_learner_plans"),
        sa.UniqueConstraint("uln", name="uq_learner_plans_uln"),
    )
    op.create_table(
        "learner_plan_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("plan_id", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("content", sa.JSON, nullable=False),
        sa.Column("changed_by", sa.String(100), nullable=False),
        sa.Column("changed_by_ukprn", sa.String(8), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_learner_plan_versions"),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["learner_plans.id"],
            name="fk_learner_plan_versions_plan_id_learner_plans",
        ),
        sa.UniqueConstraint("plan_id", "version", name="uq_learner_plan_versions_plan_version"),
    )
    op.create_table(
        "learner_plan_notes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("plan_id", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("written_by", sa.String(100), nullable=False),
        sa.Column("written_by_ukprn", sa.String(8), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_learner_plan_notes"),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["learner_plans.id"], name="fk_learner_plan_notes_plan_id_learner_plans"
        ),
    )
    op.create_index("ix_learner_plan_notes_plan_id", "learner_plan_notes", ["plan_id"])


def downgrade() -> None:
    op.drop_index("ix_learner_plan_notes_plan_id", table_name="learner_plan_notes")
    op.drop_table("learner_plan_notes")
    op.drop_table("learner_plan_versions")
    op.drop_table("learner_plans")
