"""Schools' DfE numbers (issue 25): LEA (3 digits) + establishment (4 digits), checked against a
Common Transfer File's source school when the school uploads it.

Revision ID: 0017
Revises: 0014
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN and a unique index: a batch copy of `organisations` would drop a table
    # other rows refer to, which SQLite refuses with foreign keys on.
    op.add_column("organisations", sa.Column("dfe_number", sa.String(7), nullable=True))
    op.create_index("uq_organisations_dfe_number", "organisations", ["dfe_number"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_organisations_dfe_number", table_name="organisations")
    with op.batch_alter_table("organisations") as batch:
        batch.drop_column("dfe_number")
