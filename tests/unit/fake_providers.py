"""An in-memory provider register for service tests: the same rules as the SQL one, no SQL."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from openlrs.domain.postcodes import postcode_district
from openlrs.domain.providers.provider import (
    PUBLIC_STATUSES,
    Provider,
    ProviderStatus,
    ProviderVersion,
    provider_name_key,
)
from openlrs.domain.providers.search import (
    TEXT_SCORE_FLOOR,
    TOWN_SCORE,
    ProviderQuery,
    QueryKind,
    text_score,
)

UKPRN_FLOOR = 10000000


@dataclass
class ProviderState:
    """The provider tables: current records by id, every version, and the register's counters."""

    current: dict[int, Provider] = field(default_factory=dict)
    versions: list[ProviderVersion] = field(default_factory=list)
    next_ukprn: int = UKPRN_FLOOR
    last_change: int = 0


class FakeProviderRepository:
    def __init__(self, tables: Any) -> None:
        self._tables = tables  # tests.unit.fakes.Tables, holding `providers` and `organisations`

    @property
    def _state(self) -> ProviderState:
        state: ProviderState = self._tables.providers
        return state

    def lock(self) -> None:
        pass  # one fake unit of work runs at a time

    def allocate_ukprn(self) -> str:
        held = [int(u) + 1 for u in self._tables.organisations]
        held += [int(p.ukprn) + 1 for p in self._state.current.values() if p.ukprn]
        candidate = max([self._state.next_ukprn, *held])
        self._state.next_ukprn = candidate + 1
        return str(candidate)

    def _record(self, provider: Provider, changed_by: str, reason: str | None) -> Provider:
        now = dt.datetime.now(dt.UTC)
        assert provider.id is not None
        created = self._state.current.get(provider.id)
        stored = dataclasses.replace(
            provider, created_at=created.created_at if created else now, updated_at=now
        )
        self._state.current[provider.id] = stored
        self._state.last_change += 1
        self._state.versions.append(
            ProviderVersion(stored, self._state.last_change, changed_by, reason, now)
        )
        return stored

    def add(self, provider: Provider, *, changed_by: str, reason: str | None = None) -> Provider:
        if any(p.reference == provider.reference for p in self._state.current.values()):
            raise ValueError("duplicate reference")
        new_id = len(self._state.current) + 1
        return self._record(dataclasses.replace(provider, id=new_id), changed_by, reason)

    def replace(
        self, provider: Provider, *, changed_by: str, reason: str | None = None
    ) -> Provider:
        return self._record(provider, changed_by, reason)

    def get_by_reference(self, reference: str) -> Provider | None:
        return next((p for p in self._state.current.values() if p.reference == reference), None)

    def get_by_ukprn(self, ukprn: str) -> Provider | None:
        return next((p for p in self._state.current.values() if p.ukprn == ukprn), None)

    def queue(
        self, statuses: frozenset[ProviderStatus], *, after_id: int | None, limit: int
    ) -> list[Provider]:
        found = [
            p
            for i, p in sorted(self._state.current.items())
            if p.status in statuses and (after_id is None or i > after_id)
        ]
        return found[:limit]

    def duplicate_candidates(self, provider: Provider, *, limit: int) -> list[Provider]:
        d = provider.details
        district = postcode_district(d.address.postcode)
        found = [
            p
            for p in self._state.current.values()
            if p.reference != provider.reference
            and p.status is not ProviderStatus.REJECTED
            and (
                postcode_district(p.details.address.postcode) == district
                or (d.company_number and p.details.company_number == d.company_number)
                or (d.charity_number and p.details.charity_number == d.charity_number)
            )
        ]
        return found[:limit]

    def history(self, provider_id: int) -> list[ProviderVersion]:
        return [v for v in self._state.versions if v.provider.id == provider_id]

    def changes(self, *, since: int, limit: int) -> list[ProviderVersion]:
        found = [
            v
            for v in self._state.versions
            if v.change > since and v.provider.status in PUBLIC_STATUSES
        ]
        return found[:limit]

    def search(self, query: ProviderQuery, *, limit: int, offset: int) -> list[Provider]:
        public = [p for p in self._state.current.values() if p.status in PUBLIC_STATUSES]
        scored: list[tuple[float, int, Provider]] = []
        for p in public:
            score = self._score(query, p)
            if score > 0:
                scored.append((score, p.id or 0, p))
        scored.sort(key=lambda s: (-s[0], s[1]))
        return [p for _, _, p in scored[offset : offset + limit]]

    @staticmethod
    def _score(query: ProviderQuery, p: Provider) -> float:
        d = p.details
        if query.kind is QueryKind.UKPRN:
            return 1.0 if p.ukprn == query.value else 0.0
        if query.kind is QueryKind.POSTCODE:
            return 1.0 if d.address.postcode == query.value else 0.0
        if query.kind is QueryKind.DISTRICT:
            return 1.0 if postcode_district(d.address.postcode) == query.value else 0.0
        names = (d.legal_name, *d.trading_names)
        best = max(text_score(query.value, provider_name_key(n)) for n in names)
        best = best if best >= TEXT_SCORE_FLOOR else 0.0
        if provider_name_key(d.address.town) == query.value:
            best = max(best, TOWN_SCORE)
        return best
