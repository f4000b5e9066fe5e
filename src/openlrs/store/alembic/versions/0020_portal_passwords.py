"""Portal passwords (issue 23): a forced change after an administrator sets one, and one-time
password reset links.

`portal_sign_in.must_change_password` holds a user to the change-password page after sign-in.
`portal_password_resets` keeps only the SHA-256 of each link's token, its expiry and when it was
used (single use).

Revision ID: 0020
Revises: 0014
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("portal_sign_in") as batch:
        batch.add_column(
            sa.Column(
                "must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    op.create_table(
        "portal_password_resets",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("issued_by", sa.String(100), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_portal_password_resets_username", "portal_password_resets", ["username"])


def downgrade() -> None:
    op.drop_index("ix_portal_password_resets_username", "portal_password_resets")
    op.drop_table("portal_password_resets")
    with op.batch_alter_table("portal_sign_in") as batch:
        batch.drop_column("must_change_password")
