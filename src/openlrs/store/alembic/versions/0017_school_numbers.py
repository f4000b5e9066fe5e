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
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(sa.Column("dfe_number", sa.String(7), nullable=True))
        batch.create_unique_constraint("uq_organisations_dfe_number", ["dfe_number"])


def downgrade() -> None:
    with op.batch_alter_table("organisations") as batch:
        batch.drop_constraint("uq_organisations_dfe_number", type_="unique")
        batch.drop_column("dfe_number")
