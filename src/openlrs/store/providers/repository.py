"""The provider register in SQL: records, names, history, UKPRN allocation and the change feed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, delete, func, insert, or_, select, update

from openlrs.domain.errors import UkprnRangeExhausted
from openlrs.domain.providers.provider import (
    PUBLIC_STATUSES,
    Provider,
    ProviderStatus,
    ProviderVersion,
)
from openlrs.domain.providers.search import ProviderQuery, QueryKind
from openlrs.store.providers import search_sql as provider_search_sql
from openlrs.store.providers.rows import columns, from_columns, from_snapshot, name_rows, snapshot
from openlrs.store.providers.tables import (
    provider_names,
    provider_register,
    provider_versions,
    providers,
)
from openlrs.store.tables import organisations, utcnow

UKPRN_CEILING = 99999999
_PUBLIC = [s.value for s in PUBLIC_STATUSES]


class SqlProviderRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    # --- writes (each after `lock`) ---------------------------------------------------------------

    def lock(self) -> None:
        """Take the register's row lock until the unit of work ends: provider writes queue here."""
        self._conn.execute(
            update(provider_register).where(provider_register.c.id == 1).values(updated_at=utcnow())
        )

    def allocate_ukprn(self) -> str:
        """The next UKPRN, above every UKPRN an organisation or provider holds; never handed out
        twice because the counter only moves forward under the lock."""
        self.lock()
        counter = self._conn.execute(
            select(provider_register.c.next_ukprn).where(provider_register.c.id == 1)
        ).scalar_one()
        held = [
            self._conn.execute(select(func.max(organisations.c.ukprn))).scalar(),
            self._conn.execute(select(func.max(providers.c.ukprn))).scalar(),
        ]
        candidate = max([int(counter), *(int(h) + 1 for h in held if h and h.isdigit())])
        if candidate > UKPRN_CEILING:
            raise UkprnRangeExhausted()
        self._conn.execute(
            update(provider_register)
            .where(provider_register.c.id == 1)
            .values(next_ukprn=candidate + 1)
        )
        return str(candidate)

    def _next_change(self) -> int:
        stmt = (
            update(provider_register)
            .where(provider_register.c.id == 1)
            .values(last_change=provider_register.c.last_change + 1)
            .returning(provider_register.c.last_change)
        )
        return int(self._conn.execute(stmt).scalar_one())

    def _record_version(self, provider: Provider, changed_by: str, reason: str | None) -> None:
        now = utcnow()
        self._conn.execute(
            insert(provider_versions).values(
                change=self._next_change(),
                provider_id=provider.id,
                version=provider.version,
                ukprn=provider.ukprn,
                status=provider.status.value,
                record=snapshot(provider),
                changed_by=changed_by[:100],
                reason=reason[:500] if reason else None,
                created_at=now,
                updated_at=now,
            )
        )

    def add(self, provider: Provider, *, changed_by: str, reason: str | None = None) -> Provider:
        now = utcnow()
        new_id = self._conn.execute(
            insert(providers)
            .values(**columns(provider), created_at=now, updated_at=now)
            .returning(providers.c.id)
        ).scalar_one()
        self._conn.execute(insert(provider_names), name_rows(new_id, provider.details))
        stored = self._get(providers.c.id == new_id)
        assert stored is not None
        provider_search_sql.index_words(self._conn, stored)
        self._record_version(stored, changed_by, reason)
        return stored

    def replace(
        self, provider: Provider, *, changed_by: str, reason: str | None = None
    ) -> Provider:
        """Store `provider` (its version already moved on) as the current record, keeping history."""
        assert provider.id is not None
        self._conn.execute(
            update(providers)
            .where(providers.c.id == provider.id)
            .values(**columns(provider), updated_at=utcnow())
        )
        self._conn.execute(
            delete(provider_names).where(provider_names.c.provider_id == provider.id)
        )
        self._conn.execute(insert(provider_names), name_rows(provider.id, provider.details))
        stored = self._get(providers.c.id == provider.id)
        assert stored is not None
        provider_search_sql.index_words(self._conn, stored)
        self._record_version(stored, changed_by, reason)
        return stored

    # --- reads --------------------------------------------------------------------------------------

    def _with_names(self, rows: Sequence[Any]) -> list[Provider]:
        ids = [r.id for r in rows]
        names: dict[int, list[str]] = defaultdict(list)
        if ids:
            found = self._conn.execute(
                select(provider_names.c.provider_id, provider_names.c.name)
                .where(provider_names.c.provider_id.in_(ids), provider_names.c.position > 0)
                .order_by(provider_names.c.provider_id, provider_names.c.position)
            )
            for provider_id, name in found:
                names[provider_id].append(name)
        return [from_columns(r, tuple(names[r.id])) for r in rows]

    def _get(self, condition: Any) -> Provider | None:
        row = self._conn.execute(select(providers).where(condition)).one_or_none()
        return None if row is None else self._with_names([row])[0]

    def get_by_reference(self, reference: str) -> Provider | None:
        return self._get(providers.c.reference == reference)

    def get_by_ukprn(self, ukprn: str) -> Provider | None:
        return self._get(providers.c.ukprn == ukprn)

    def queue(
        self, statuses: frozenset[ProviderStatus], *, after_id: int | None, limit: int
    ) -> list[Provider]:
        stmt = (
            select(providers)
            .where(providers.c.status.in_([s.value for s in statuses]))
            .order_by(providers.c.id)
            .limit(limit)
        )
        if after_id is not None:
            stmt = stmt.where(providers.c.id > after_id)
        return self._with_names(self._conn.execute(stmt).all())

    def duplicate_candidates(self, provider: Provider, *, limit: int) -> list[Provider]:
        """Providers sharing a company or charity number or a postcode district with `provider`."""
        d = provider.details
        conditions = [providers.c.postcode_district == columns(provider)["postcode_district"]]
        if d.company_number:
            conditions.append(providers.c.company_number == d.company_number)
        if d.charity_number:
            conditions.append(providers.c.charity_number == d.charity_number)
        stmt = (
            select(providers)
            .where(or_(*conditions), providers.c.reference != provider.reference)
            .where(providers.c.status != ProviderStatus.REJECTED.value)
            .limit(limit)
        )
        return self._with_names(self._conn.execute(stmt).all())

    def history(self, provider_id: int) -> list[ProviderVersion]:
        rows = self._conn.execute(
            select(provider_versions)
            .where(provider_versions.c.provider_id == provider_id)
            .order_by(provider_versions.c.version)
        )
        return [self._version(r) for r in rows]

    @staticmethod
    def _version(row: Any) -> ProviderVersion:
        return ProviderVersion(
            provider=from_snapshot(row.record),
            change=row.change,
            changed_by=row.changed_by,
            reason=row.reason,
            changed_at=row.created_at,
        )

    def changes(self, *, since: int, limit: int) -> list[ProviderVersion]:
        """Versions of public providers with a change number above `since`, oldest first."""
        rows = self._conn.execute(
            select(provider_versions)
            .where(provider_versions.c.change > since, provider_versions.c.status.in_(_PUBLIC))
            .order_by(provider_versions.c.change)
            .limit(limit)
        )
        return [self._version(r) for r in rows]

    def search(self, query: ProviderQuery, *, limit: int, offset: int) -> list[Provider]:
        """Public providers matching `query`, best first."""
        public = providers.c.status.in_(_PUBLIC)
        if query.kind is QueryKind.TEXT:
            ids = provider_search_sql.ranked_ids(
                self._conn, query.value, limit=limit, offset=offset
            )
            if not ids:
                return []
            rows = self._conn.execute(select(providers).where(providers.c.id.in_(ids))).all()
            order = {provider_id: i for i, provider_id in enumerate(ids)}
            return self._with_names(sorted(rows, key=lambda r: order[r.id]))
        column = {
            QueryKind.UKPRN: providers.c.ukprn,
            QueryKind.POSTCODE: providers.c.postcode,
            QueryKind.DISTRICT: providers.c.postcode_district,
        }[query.kind]
        stmt = (
            select(providers)
            .where(column == query.value, public)
            .order_by(providers.c.legal_name, providers.c.id)
            .limit(limit)
            .offset(offset)
        )
        return self._with_names(self._conn.execute(stmt).all())
