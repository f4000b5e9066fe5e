"""Tables of the provider register, on the shared `metadata` (migration 0006)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from openlrs.store.tables import UtcDateTime, metadata, utcnow

UKPRN_FLOOR = 10000000

providers = Table(
    "providers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("reference", String(12), nullable=False, unique=True),
    Column("ukprn", String(8), unique=True),
    Column("status", String(20), nullable=False),
    Column("version", Integer, nullable=False),
    Column("legal_name", String(200), nullable=False),
    Column("verified_legal_name", String(200)),
    Column("provider_type", String(40), nullable=False),
    Column("legal_status", String(30), nullable=False),
    Column("company_number", String(8), index=True),
    Column("charity_number", String(9), index=True),
    Column("contact", JSON, nullable=False),
    Column("address_line_1", String(100), nullable=False),
    Column("address_line_2", String(100)),
    Column("town", String(60), nullable=False),
    Column("town_key", String(60), nullable=False),
    Column("postcode", String(8), nullable=False, index=True),
    Column("postcode_district", String(4), nullable=False, index=True),
    Column("website", String(200)),
    Column("notes", Text),
    Column("created_at", UtcDateTime(), nullable=False, default=utcnow),
    Column("updated_at", UtcDateTime(), nullable=False, default=utcnow),
    Index("ix_providers_status_id", "status", "id"),
    Index("ix_providers_town_key_id", "town_key", "id"),
)

provider_names = Table(
    "provider_names",
    metadata,
    Column("provider_id", ForeignKey("providers.id"), primary_key=True),
    # 0 is the legal name; 1.. the trading names, in the order given.
    Column("position", SmallInteger, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("name_key", String(200), nullable=False),
)

provider_name_words = Table(
    "provider_name_words",
    metadata,
    Column("word", String(60), primary_key=True),
    Column("provider_id", ForeignKey("providers.id"), primary_key=True, index=True),
)
"""The public search's word index: each word of a public provider's names (legal and trading).
Only providers the public may see are indexed (decision 0006)."""

provider_words = Table(
    "provider_words",
    metadata,
    Column("word", String(60), primary_key=True),
    Column("providers", Integer, nullable=False),
)
"""Every word ever indexed, with how many public providers' names hold it: the vocabulary a
misspelt query word is looked up in, and what picks a query's rarest word."""

provider_versions = Table(
    "provider_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("change", BigInteger, nullable=False, unique=True),
    Column("provider_id", ForeignKey("providers.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("ukprn", String(8)),
    Column("status", String(20), nullable=False),
    Column("record", JSON, nullable=False),
    Column("changed_by", String(100), nullable=False),
    Column("reason", String(500)),
    Column("created_at", UtcDateTime(), nullable=False, default=utcnow),
    Column("updated_at", UtcDateTime(), nullable=False, default=utcnow),
    UniqueConstraint("provider_id", "version", name="uq_provider_versions_provider_version"),
)

provider_register = Table(
    "provider_register",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("next_ukprn", BigInteger, nullable=False),
    Column("last_change", BigInteger, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False, default=utcnow),
    Column("updated_at", UtcDateTime(), nullable=False, default=utcnow),
)
"""One row: the next UKPRN to consider and the last change number. Every write to the register
updates it first, so its row lock serialises provider writes (UKPRNs and the change feed's
order stay true under concurrency)."""
