"""Roles bound to the type of organisation, and sign-in lockout per user and source (issue 21).

Every user and API client holding a role its organisation's type may not hold loses that role;
one left with none is revoked. The log says, per organisation (its UKPRN, never a login), how many
accounts were narrowed and how many revoked. Downgrading does not give the roles back.

Lockout moves from the user (`portal_sign_in.failed_attempts`, `locked_until`) to the user and the
place they sign in from (`portal_sign_in_failures`), so that nobody can lock a user out from
elsewhere.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

log = logging.getLogger("openlrs.migrations")

# The rule as it stood when this migration was written (domain/accounts/organisations.py
# ROLES_BY_ORG_TYPE), copied so that a later change to the rule cannot change this migration.
_REGISTRATION_BODY = frozenset({"lrb", "lrb_admin"})
ROLES_BY_ORG_TYPE = {
    "school": _REGISTRATION_BODY,
    "college": _REGISTRATION_BODY,
    "training_provider": _REGISTRATION_BODY,
    "local_authority": _REGISTRATION_BODY,
    "prison": _REGISTRATION_BODY,
    "higher_education": _REGISTRATION_BODY,
    "awarding_organisation": frozenset({"ao", "ao_admin"}),
    "service_desk": frozenset({"admin"}),
}

_organisations = sa.table(
    "organisations",
    sa.column("id", sa.Integer),
    sa.column("ukprn", sa.String),
    sa.column("org_type", sa.String),
)


def _accounts(name: str) -> sa.TableClause:
    return sa.table(
        name,
        sa.column("id", sa.Integer),
        sa.column("organisation_id", sa.Integer),
        sa.column("roles", sa.String),
        sa.column("revoked_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )


def revoke_disallowed_grants(conn: sa.Connection) -> dict[str, Counter[str]]:
    """Narrow or revoke every account whose roles break the rule; the counts per UKPRN."""
    now = dt.datetime.now(dt.UTC)
    report: dict[str, Counter[str]] = {}
    for name in ("users", "api_clients"):
        table = _accounts(name)
        rows = conn.execute(
            sa.select(table.c.id, table.c.roles, _organisations.c.ukprn, _organisations.c.org_type)
            .join(_organisations, _organisations.c.id == table.c.organisation_id)
            .where(table.c.revoked_at.is_(None))
        ).all()
        for row in rows:
            held = set(row.roles.split())
            allowed = held & ROLES_BY_ORG_TYPE.get(row.org_type, frozenset())
            if allowed == held:
                continue
            values: dict[str, object] = {"roles": " ".join(sorted(allowed)), "updated_at": now}
            if not allowed:
                values["revoked_at"] = now
            conn.execute(sa.update(table).where(table.c.id == row.id).values(**values))
            counts = report.setdefault(row.ukprn, Counter())
            counts["revoked" if not allowed else "narrowed"] += 1
    for ukprn, counts in sorted(report.items()):
        log.warning(
            "organisation %s: %d account(s) lost roles its type may not hold, %d revoked",
            ukprn,
            counts["narrowed"],
            counts["revoked"],
        )
    return report


def upgrade() -> None:
    revoke_disallowed_grants(op.get_bind())
    op.create_table(
        "portal_sign_in_failures",
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("username", "source", name="pk_portal_sign_in_failures"),
    )
    with op.batch_alter_table("portal_sign_in") as batch:
        batch.drop_column("failed_attempts")
        batch.drop_column("locked_until")


def downgrade() -> None:
    with op.batch_alter_table("portal_sign_in") as batch:
        batch.add_column(
            sa.Column("failed_attempts", sa.Integer, nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("locked_until", sa.DateTime(timezone=True)))
    op.drop_table("portal_sign_in_failures")
