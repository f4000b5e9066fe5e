"""Match keys for every field: UPN, address, town and place of birth in the packed keys (format 2),
and the UPN, email and second-pass blocking keys (decision 0027). Existing learners' keys are
rebuilt; no schema change.

Revision ID: 0022
Revises: 0014
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from openlrs.store.matching.match_keys import rebuild_match_keys, rebuild_packed_keys

    rebuild_match_keys(op.get_bind())
    rebuild_packed_keys(op.get_bind())


def downgrade() -> None:
    """Keys of format 2 stay readable; `openlrs rebuild-match-keys` on the older code rebuilds
    them in its own format."""
