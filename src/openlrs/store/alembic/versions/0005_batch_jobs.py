"""Batch jobs, their files and rows (the durable job queue), and organisations' batch settings.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _timestamps() -> list[sa.Column[dt.datetime]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "batch_jobs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("public_id", sa.String(36), nullable=False),
        sa.Column("ukprn", sa.String(8), nullable=False),
        sa.Column("submitted_by", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("fmt", sa.String(10), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("checksum", sa.String(64), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("request_id", sa.String(64)),
        sa.Column("error_code", sa.String(60)),
        sa.Column("error_message", sa.String(500)),
        sa.Column("approved_by", sa.String(100)),
        sa.Column("claimed_by", sa.String(64)),
        sa.Column("claimed_until", sa.DateTime(timezone=True)),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_batch_jobs"),
        sa.UniqueConstraint("public_id", name="uq_batch_jobs_public_id"),
    )
    op.create_index("ix_batch_jobs_ukprn_checksum", "batch_jobs", ["ukprn", "checksum"])
    op.create_index("ix_batch_jobs_status", "batch_jobs", ["status"])
    op.create_table(
        "batch_files",
        sa.Column("job_id", sa.Integer, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("job_id", name="pk_batch_files"),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["batch_jobs.id"],
            name="fk_batch_files_job_id_batch_jobs",
            ondelete="CASCADE",
        ),
    )
    op.create_table(
        "batch_rows",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("job_id", sa.Integer, nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("source_learner_id", sa.String(50)),
        sa.Column("cells", sa.JSON, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("claimed_by", sa.String(64)),
        sa.Column("claimed_until", sa.DateTime(timezone=True)),
        sa.Column("result", sa.JSON),
        sa.Column("failed", sa.Boolean),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_batch_rows"),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["batch_jobs.id"],
            name="fk_batch_rows_job_id_batch_jobs",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_batch_rows_job_number", "batch_rows", ["job_id", "number"], unique=True)
    op.create_index("ix_batch_rows_job_status", "batch_rows", ["job_id", "status"])
    op.create_table(
        "batch_settings",
        sa.Column("ukprn", sa.String(8), nullable=False),
        sa.Column("approval_required", sa.Boolean, nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("ukprn", name="pk_batch_settings"),
    )


def downgrade() -> None:
    op.drop_table("batch_settings")
    op.drop_index("ix_batch_rows_job_status", table_name="batch_rows")
    op.drop_index("ix_batch_rows_job_number", table_name="batch_rows")
    op.drop_table("batch_rows")
    op.drop_table("batch_files")
    op.drop_index("ix_batch_jobs_status", table_name="batch_jobs")
    op.drop_index("ix_batch_jobs_ukprn_checksum", table_name="batch_jobs")
    op.drop_table("batch_jobs")
