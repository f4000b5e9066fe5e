"""SQLAlchemy Core tables: the one description of the schema that migrations are checked against."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware UTC timestamp on every engine (SQLite stores none, so it is added back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is not None and value.tzinfo is not None:
            return value.astimezone(dt.UTC)
        return value

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def timestamps() -> tuple[Column[dt.datetime], Column[dt.datetime]]:
    return (
        Column("created_at", UtcDateTime(), nullable=False, default=utcnow),
        Column("updated_at", UtcDateTime(), nullable=False, default=utcnow),
    )


organisations = Table(
    "organisations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("ukprn", String(8), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("org_type", String(40), nullable=False),
    Column("status", String(20), nullable=False, default="active"),
    Column("contact_email", String(254)),  # notifications go here (migration 0019)
    Column("dfe_number", String(7)),  # schools: LEA + establishment (issue 25)
    *timestamps(),
    Index("uq_organisations_dfe_number", "dfe_number", unique=True),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organisation_id", ForeignKey("organisations.id"), nullable=False, index=True),
    Column("username", String(100), nullable=False, unique=True),
    Column("password_hash", String(200), nullable=False),
    Column("roles", String(200), nullable=False),
    Column("revoked_at", UtcDateTime()),
    *timestamps(),
)

api_clients = Table(
    "api_clients",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("client_id", String(64), nullable=False, unique=True),
    Column("organisation_id", ForeignKey("organisations.id"), nullable=False, index=True),
    Column("secret_hash", String(200), nullable=False),
    Column("roles", String(200), nullable=False),
    Column("revoked_at", UtcDateTime()),
    *timestamps(),
)

web_service_accounts = Table(
    "web_service_accounts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("login", String(100), nullable=False, unique=True),
    Column("organisation_id", ForeignKey("organisations.id"), nullable=False, index=True),
    Column("secret_hash", String(200), nullable=False),
    Column("roles", String(200), nullable=False),
    Column("revoked_at", UtcDateTime()),
    *timestamps(),
)
"""The LRS-compatible SOAP services' accounts (migration 0016): `login` is `<UKPRN>/<UserName>`,
the secret the message's OrgPassword."""

uln_issuer = Table(
    "uln_issuer",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("permutation_key", String(128), nullable=False),
    Column("counter", BigInteger, nullable=False),
    *timestamps(),
)

learners = Table(
    "learners",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uln", String(10), nullable=False, unique=True),
    Column("version", Integer, nullable=False),
    Column("status", String(10), nullable=False),
    Column("master_uln", String(10), index=True),
    Column("given_name", String(35), nullable=False),
    Column("family_name", String(35), nullable=False),
    Column("date_of_birth", Date, nullable=False),
    Column("gender", SmallInteger, nullable=False),
    Column("postcode", String(9), nullable=False),
    Column("details", JSON, nullable=False),
    Column("given_key", String(70), nullable=False),
    Column("family_key", String(70), nullable=False),
    Column("match_data", Text),
    Column("registered_by_ukprn", String(8)),
    *timestamps(),
    Index("ix_learners_dob_family", "date_of_birth", "family_key"),
)

name_frequencies = Table(
    "name_frequencies",
    metadata,
    Column("field", String(12), primary_key=True),
    Column("key", String(141), primary_key=True),
    Column("count", Integer, nullable=False),
)
"""How many learners have each given name, family name and full name (full names only when
shared): refreshed in bulk, read for term-frequency adjustment. ("*", "*") holds the total."""

learner_match_keys = Table(
    "learner_match_keys",
    metadata,
    Column("key", String(80), primary_key=True),
    Column("learner_id", ForeignKey("learners.id"), primary_key=True, index=True),
)

learner_versions = Table(
    "learner_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("learner_id", ForeignKey("learners.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("details", JSON, nullable=False),
    Column("status", String(10), nullable=False),
    Column("changed_by", String(100), nullable=False),
    Column("changed_by_ukprn", String(8)),
    *timestamps(),
    UniqueConstraint("learner_id", "version", name="uq_learner_versions_learner_version"),
)

audit_events = Table(
    "audit_events",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("occurred_at", UtcDateTime(), nullable=False, server_default=func.now()),
    Column("actor", String(100), nullable=False),
    Column("ukprn", String(8)),
    Column("action", String(40), nullable=False),
    Column("uln", String(10), index=True),
    Column("outcome", String(40)),
    Column("detail", Text),
    Index("ix_audit_events_ukprn_id", "ukprn", "id"),
)

held_registrations = Table(
    "held_registrations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("ukprn", String(8), nullable=False),
    Column("submitted_by", String(100), nullable=False),
    Column("details", JSON, nullable=False),
    Column("outcome", String(20), nullable=False),
    Column("candidate_ulns", String(200), nullable=False),
    Column("status", String(30), nullable=False),
    Column("resolved_uln", String(10)),
    Column("resolved_by", String(100)),
    Column("fingerprint", String(64)),
    *timestamps(),
    Index("ix_held_registrations_ukprn_status", "ukprn", "status"),
    Index(
        "uq_held_registrations_open_person",
        "ukprn",
        "fingerprint",
        unique=True,
        sqlite_where=text("status = 'open'"),
        postgresql_where=text("status = 'open'"),
    ),
)

registration_locks = Table(
    "registration_locks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("taken", BigInteger, nullable=False, default=0),
)

# Tables kept in their own modules, registered on `metadata` when this module is imported.
from openlrs.store.batches import tables as tables_batch  # noqa: E402, F401
from openlrs.store.desk import tables as tables_desk  # noqa: E402, F401
from openlrs.store.learner_accounts import tables as tables_learner_accounts  # noqa: E402, F401
from openlrs.store.learner_plans import tables as tables_learner_plans  # noqa: E402, F401
from openlrs.store.learners import tables as tables_learners  # noqa: E402, F401
from openlrs.store.notices import tables as tables_notices  # noqa: E402, F401
from openlrs.store.notifications import tables as tables_notifications  # noqa: E402, F401
