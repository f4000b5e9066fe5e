"""Register foundation: organisations, accounts, learners with versions, ULN issuer, audit trail.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _timestamps() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("ukprn", sa.String(8), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("org_type", sa.String(40), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_organisations"),
        sa.UniqueConstraint("ukprn", name="uq_organisations_ukprn"),
    )
    for name, secret_col in (("users", "password_hash"), ("api_clients", "secret_hash")):
        login = "username" if name == "users" else "client_id"
        op.create_table(
            name,
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column(login, sa.String(100 if name == "users" else 64), nullable=False),
            sa.Column("organisation_id", sa.Integer, nullable=False),
            sa.Column(secret_col, sa.String(200), nullable=False),
            sa.Column("roles", sa.String(200), nullable=False),
            sa.Column("revoked_at", sa.DateTime(timezone=True)),
            *_timestamps(),
            sa.PrimaryKeyConstraint("id", name=f"pk_{name}"),
            sa.UniqueConstraint(login, name=f"uq_{name}_{login}"),
            sa.ForeignKeyConstraint(
                ["organisation_id"],
                ["organisations.id"],
                name=f"fk_{name}_organisation_id_organisations",
            ),
        )
        op.create_index(f"ix_{name}_organisation_id", name, ["organisation_id"])

    issuer = op.create_table(
        "uln_issuer",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("permutation_key", sa.String(128), nullable=False),
        sa.Column("counter", sa.BigInteger, nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_uln_issuer"),
    )
    now = sa.func.now()
    op.execute(
        sa.insert(issuer).values(
            id=1, permutation_key=secrets.token_hex(32), counter=0, created_at=now, updated_at=now
        )
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE SEQUENCE uln_counter_seq AS bigint MINVALUE 1 START 1")

    op.create_table(
        "learners",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("uln", sa.String(10), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("master_uln", sa.String(10)),
        sa.Column("given_name", sa.String(35), nullable=False),
        sa.Column("family_name", sa.String(35), nullable=False),
        sa.Column("date_of_birth", sa.Date, nullable=False),
        sa.Column("gender", sa.SmallInteger, nullable=False),
        sa.Column("postcode", sa.String(9), nullable=False),
        sa.Column("details", sa.JSON, nullable=False),
        sa.Column("given_key", sa.String(70), nullable=False),
        sa.Column("family_key", sa.String(70), nullable=False),
        sa.Column("registered_by_ukprn", sa.String(8)),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_learners"),
        sa.UniqueConstraint("uln", name="uq_learners_uln"),
    )
    op.create_index("ix_learners_master_uln", "learners", ["master_uln"])
    op.create_index("ix_learners_dob_family", "learners", ["date_of_birth", "family_key"])

    op.create_table(
        "learner_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("learner_id", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("details", sa.JSON, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("changed_by", sa.String(100), nullable=False),
        sa.Column("changed_by_ukprn", sa.String(8)),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_learner_versions"),
        sa.UniqueConstraint("learner_id", "version", name="uq_learner_versions_learner_version"),
        sa.ForeignKeyConstraint(
            ["learner_id"], ["learners.id"], name="fk_learner_versions_learner_id_learners"
        ),
    )

    op.create_table(
        "audit_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
        sa.Column(
            "occurred_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("ukprn", sa.String(8)),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("uln", sa.String(10)),
        sa.Column("outcome", sa.String(40)),
        sa.Column("detail", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_audit_events"),
    )
    op.create_index("ix_audit_events_uln", "audit_events", ["uln"])
    op.create_index("ix_audit_events_ukprn_id", "audit_events", ["ukprn", "id"])
    _make_audit_append_only()

    locks = op.create_table(
        "registration_locks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("taken", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_registration_locks"),
    )
    op.execute(sa.insert(locks).values(id=1, taken=0))


def _make_audit_append_only() -> None:
    """The audit trail refuses UPDATE and DELETE at the database, whatever the application does."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              RAISE EXCEPTION 'audit_events is append-only';
            END $$;
            """
        )
        op.execute(
            "CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events "
            "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()"
        )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_events_no_{event.lower()} BEFORE {event} ON audit_events "
                "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END"
            )


def downgrade() -> None:
    op.drop_table("registration_locks")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_events_no_change ON audit_events")
        op.execute("DROP FUNCTION audit_events_append_only()")
        op.execute("DROP SEQUENCE uln_counter_seq")
    op.drop_table("audit_events")
    op.drop_table("learner_versions")
    op.drop_table("learners")
    op.drop_table("uln_issuer")
    op.drop_table("api_clients")
    op.drop_table("users")
    op.drop_table("organisations")
