"""Provider register (issue 10): providers, their names, their history, and the UKPRN counter.

The public name search runs on a word index (`provider_name_words`, `provider_words`), the same on
SQLite and PostgreSQL. The UKPRN counter starts above every UKPRN organisations already hold
(decision 0006).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

UKPRN_FLOOR = 10000000


def _timestamps() -> list[sa.Column[dt.datetime]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "providers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("reference", sa.String(12), nullable=False),
        sa.Column("ukprn", sa.String(8)),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("legal_name", sa.String(200), nullable=False),
        sa.Column("verified_legal_name", sa.String(200)),
        sa.Column("provider_type", sa.String(40), nullable=False),
        sa.Column("legal_status", sa.String(30), nullable=False),
        sa.Column("company_number", sa.String(8)),
        sa.Column("charity_number", sa.String(9)),
        sa.Column("contact", sa.JSON, nullable=False),
        sa.Column("address_line_1", sa.String(100), nullable=False),
        sa.Column("address_line_2", sa.String(100)),
        sa.Column("town", sa.String(60), nullable=False),
        sa.Column("town_key", sa.String(60), nullable=False),
        sa.Column("postcode", sa.String(8), nullable=False),
        sa.Column("postcode_district", sa.String(4), nullable=False),
        sa.Column("website", sa.String(200)),
        sa.Column("notes", sa.Text),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_providers"),
        sa.UniqueConstraint("reference", name="uq_providers_reference"),
        sa.UniqueConstraint("ukprn", name="uq_providers_ukprn"),
    )
    for column in ("company_number", "charity_number", "postcode", "postcode_district"):
        op.create_index(f"ix_providers_{column}", "providers", [column])
    op.create_index("ix_providers_status_id", "providers", ["status", "id"])
    op.create_index("ix_providers_town_key_id", "providers", ["town_key", "id"])

    op.create_table(
        "provider_names",
        sa.Column("provider_id", sa.Integer, nullable=False),
        sa.Column("position", sa.SmallInteger, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_key", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("provider_id", "position", name="pk_provider_names"),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["providers.id"], name="fk_provider_names_provider_id_providers"
        ),
    )
    op.create_table(
        "provider_name_words",
        sa.Column("word", sa.String(60), nullable=False),
        sa.Column("provider_id", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("word", "provider_id", name="pk_provider_name_words"),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["providers.id"], name="fk_provider_name_words_provider_id_providers"
        ),
    )
    op.create_index("ix_provider_name_words_provider_id", "provider_name_words", ["provider_id"])
    op.create_table(
        "provider_words",
        sa.Column("word", sa.String(60), nullable=False),
        sa.Column("providers", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("word", name="pk_provider_words"),
    )

    op.create_table(
        "provider_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("change", sa.BigInteger, nullable=False),
        sa.Column("provider_id", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("ukprn", sa.String(8)),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("record", sa.JSON, nullable=False),
        sa.Column("changed_by", sa.String(100), nullable=False),
        sa.Column("reason", sa.String(500)),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_provider_versions"),
        sa.UniqueConstraint("change", name="uq_provider_versions_change"),
        sa.UniqueConstraint("provider_id", "version", name="uq_provider_versions_provider_version"),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["providers.id"], name="fk_provider_versions_provider_id_providers"
        ),
    )

    register = op.create_table(
        "provider_register",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("next_ukprn", sa.BigInteger, nullable=False),
        sa.Column("last_change", sa.BigInteger, nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_provider_register"),
    )
    organisations = sa.table("organisations", sa.column("ukprn", sa.String))
    highest = op.get_bind().execute(sa.select(sa.func.max(organisations.c.ukprn))).scalar()
    start = max(UKPRN_FLOOR, int(highest) + 1 if highest and highest.isdigit() else UKPRN_FLOOR)
    now = dt.datetime.now(dt.UTC)
    op.bulk_insert(
        register,
        [{"id": 1, "next_ukprn": start, "last_change": 0, "created_at": now, "updated_at": now}],
    )


def downgrade() -> None:
    op.drop_table("provider_register")
    op.drop_table("provider_versions")
    op.drop_table("provider_words")
    op.drop_table("provider_name_words")
    op.drop_table("provider_names")
    op.drop_table("providers")
