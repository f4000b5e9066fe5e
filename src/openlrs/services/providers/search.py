"""The public look-up: search, one provider by UKPRN, and the change feed. No sign-in; only the
public view (`domain.providers.public_view`) ever leaves this module."""

from __future__ import annotations

from dataclasses import dataclass, replace

from openlrs.domain.errors import ProviderNotFound
from openlrs.domain.identifiers import parse_ukprn
from openlrs.domain.providers.provider import PUBLIC_STATUSES, PublicProvider, public_view
from openlrs.domain.providers.search import parse_query
from openlrs.services.ports import UnitOfWork

MAX_PAGE_SIZE = 100
MAX_PAGE = 100


@dataclass(frozen=True)
class SearchPage:
    items: list[PublicProvider]
    page: int
    page_size: int
    next_page: int | None


@dataclass(frozen=True)
class PublicChange:
    change: int
    version: int
    provider: PublicProvider


@dataclass(frozen=True)
class ChangePage:
    items: list[PublicChange]
    next_since: int
    """Ask again with this as `since` for what changed after the last item."""


def search_providers(query: str, *, page: int, page_size: int, uow: UnitOfWork) -> SearchPage:
    """Providers holding a UKPRN that match a name (fuzzy, trading names too), UKPRN, postcode,
    postcode district or town; best first."""
    parsed = parse_query(query)
    page = max(1, min(page, MAX_PAGE))
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    with uow.autocommit():
        found = uow.providers.search(parsed, limit=page_size + 1, offset=(page - 1) * page_size)
    more = len(found) > page_size and page < MAX_PAGE
    items = [public_view(p) for p in found[:page_size]]
    return SearchPage(items, page, page_size, page + 1 if more else None)


def get_public_provider(ukprn: str, *, uow: UnitOfWork) -> PublicProvider:
    ukprn = parse_ukprn(ukprn)
    with uow.autocommit():
        provider = uow.providers.get_by_ukprn(ukprn)
    if provider is None or provider.status not in PUBLIC_STATUSES:
        raise ProviderNotFound()
    return public_view(provider)


def provider_changes(*, since: int, limit: int, uow: UnitOfWork) -> ChangePage:
    """Every change to a public provider after change number `since`, oldest first."""
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    with uow.autocommit():
        versions = uow.providers.changes(since=max(0, since), limit=limit)
    items = [
        PublicChange(
            v.change, v.provider.version, public_view(replace(v.provider, updated_at=v.changed_at))
        )
        for v in versions
    ]
    return ChangePage(items, items[-1].change if items else max(0, since))
