"""Web-service accounts (issue 24): the credentials the LRS-compatible SOAP services accept.

One row per organisation and user name (`login` is `<UKPRN>/<UserName>`), its OrgPassword hashed
with argon2 like every secret, its roles, and when it was revoked.

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_service_accounts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("login", sa.String(100), nullable=False),
        sa.Column("organisation_id", sa.Integer, nullable=False),
        sa.Column("secret_hash", sa.String(200), nullable=False),
        sa.Column("roles", sa.String(200), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_web_service_accounts"),
        sa.UniqueConstraint("login", name="uq_web_service_accounts_login"),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name="fk_web_service_accounts_organisation_id_organisations",
        ),
    )
    op.create_index(
        "ix_web_service_accounts_organisation_id", "web_service_accounts", ["organisation_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_web_service_accounts_organisation_id", "web_service_accounts")
    op.drop_table("web_service_accounts")
