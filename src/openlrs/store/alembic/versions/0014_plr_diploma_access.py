"""PLR and Diploma access (issue 21).

The learner's sharing choice has one home, their `ability_to_share` (2: declined). Each opt-out
recorded in `learner_records.shares` is folded into the learner's current details (the choice was
already recorded, so no new version), then the column and who recorded it go.

Diploma accounts get a random public reference (`public_id`), which replaces the sequential id
in every URL and answer; existing accounts are given one each.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from __future__ import annotations

import json
import secrets
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

DECLINED = 2
_learners = sa.table("learners", sa.column("uln", sa.String), sa.column("details", sa.JSON))
_records = sa.table("learner_records", sa.column("uln", sa.String), sa.column("shares", sa.Boolean))


def _details(value: Any) -> dict[str, Any]:
    return dict(value if isinstance(value, dict) else json.loads(value))


_accounts = sa.table(
    "diploma_accounts", sa.column("id", sa.Integer), sa.column("public_id", sa.String)
)


def upgrade() -> None:
    _fold_opt_outs()
    with op.batch_alter_table("diploma_accounts") as batch:
        batch.add_column(sa.Column("public_id", sa.String(32), nullable=True))
    conn = op.get_bind()
    for (account_id,) in conn.execute(sa.select(_accounts.c.id)).all():
        reference = secrets.token_urlsafe(16)
        conn.execute(
            sa.update(_accounts).where(_accounts.c.id == account_id).values(public_id=reference)
        )
    with op.batch_alter_table("diploma_accounts") as batch:
        batch.alter_column("public_id", existing_type=sa.String(32), nullable=False)
        batch.create_unique_constraint("uq_diploma_accounts_public_id", ["public_id"])


def _fold_opt_outs() -> None:
    conn = op.get_bind()
    opted_out = sa.select(_records.c.uln).where(_records.c.shares.is_(False))
    rows = conn.execute(
        sa.select(_learners.c.uln, _learners.c.details).where(_learners.c.uln.in_(opted_out))
    ).all()
    for uln, details in rows:
        changed = _details(details) | {"ability_to_share": DECLINED}
        conn.execute(sa.update(_learners).where(_learners.c.uln == uln).values(details=changed))
    with op.batch_alter_table("learner_records") as batch:
        batch.drop_column("sharing_recorded_by")
        batch.drop_column("shares")


def downgrade() -> None:
    with op.batch_alter_table("diploma_accounts") as batch:
        batch.drop_constraint("uq_diploma_accounts_public_id", type_="unique")
        batch.drop_column("public_id")
    with op.batch_alter_table("learner_records") as batch:
        batch.add_column(sa.Column("shares", sa.Boolean, nullable=False, server_default=sa.true()))
        batch.add_column(sa.Column("sharing_recorded_by", sa.String(100)))
    conn = op.get_bind()
    for uln, details in conn.execute(sa.select(_learners.c.uln, _learners.c.details)).all():
        if _details(details).get("ability_to_share") == DECLINED:
            conn.execute(sa.update(_records).where(_records.c.uln == uln).values(shares=False))
