"""What the provider register needs from storage (`store.providers`)."""

from __future__ import annotations

from typing import Protocol

from openlrs.domain.providers.provider import Provider, ProviderStatus, ProviderVersion
from openlrs.domain.providers.search import ProviderQuery


class ProviderRepository(Protocol):
    """The provider register. Writes call `lock` first: it serialises them until the unit ends."""

    def lock(self) -> None: ...

    def allocate_ukprn(self) -> str:
        """A UKPRN never handed out before, above every UKPRN an organisation holds."""
        ...

    def add(
        self, provider: Provider, *, changed_by: str, reason: str | None = None
    ) -> Provider: ...

    def replace(
        self, provider: Provider, *, changed_by: str, reason: str | None = None
    ) -> Provider: ...

    def get_by_reference(self, reference: str) -> Provider | None: ...

    def get_by_ukprn(self, ukprn: str) -> Provider | None: ...

    def queue(
        self, statuses: frozenset[ProviderStatus], *, after_id: int | None, limit: int
    ) -> list[Provider]: ...

    def duplicate_candidates(self, provider: Provider, *, limit: int) -> list[Provider]: ...

    def history(self, provider_id: int) -> list[ProviderVersion]: ...

    def changes(self, *, since: int, limit: int) -> list[ProviderVersion]: ...

    def search(self, query: ProviderQuery, *, limit: int, offset: int) -> list[Provider]: ...
