"""The provider register on SQLite and PostgreSQL: storage, search, history, the change feed, and
UKPRN allocation under concurrent approvals."""

from __future__ import annotations

import dataclasses
import threading
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from openlrs.domain.accounts.organisations import SYSTEM, Organisation, OrgType
from openlrs.domain.identifiers import is_valid_ukprn
from openlrs.domain.providers.provider import Address, ProviderChanges, ProviderStatus
from openlrs.services.providers.apply import apply_for_ukprn
from openlrs.services.providers.search import provider_changes, search_providers
from openlrs.services.providers.standing import deactivate_provider
from openlrs.services.providers.update import update_provider_details
from openlrs.services.providers.verify import Decide, decide_application, get_application
from openlrs.store.engine import build_engine
from openlrs.store.providers import search_sql as provider_search_sql
from openlrs.store.providers.tables import providers
from openlrs.store.tables import organisations
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import many_provider_details, provider_details

APPROVERS = 16


def test_concurrent_approvals_never_share_a_ukprn(database_url: str) -> None:
    engine = build_engine(database_url, pool_size=APPROVERS)
    uow = SqlUnitOfWorkFactory(engine)
    try:
        with uow() as unit:
            unit.organisations.add(Organisation("10004321", "Existing College", OrgType.COLLEGE))
            unit.commit()
        references = [
            apply_for_ukprn(d, uow=uow()).reference
            for d in many_provider_details(APPROVERS, seed=7)
        ]
        start = threading.Barrier(APPROVERS)

        def approve(reference: str) -> str | None:
            start.wait()
            decided = Decide(reference, True, confirm_not_duplicate=True)
            return decide_application(decided, principal=SYSTEM, uow=uow()).ukprn

        with ThreadPoolExecutor(max_workers=APPROVERS) as pool:
            ukprns = list(pool.map(approve, references))
        assert all(u is not None and is_valid_ukprn(u) for u in ukprns)
        assert len(set(ukprns)) == APPROVERS
        assert min(int(u or 0) for u in ukprns) > 10004321  # above every existing organisation
        with engine.connect() as conn:
            held = conn.execute(sa.select(organisations.c.ukprn)).scalars().all()
        assert set(ukprns) <= set(held) and len(held) == APPROVERS + 1
    finally:
        uow.close()


def test_records_history_search_and_the_change_feed(uow_factory: SqlUnitOfWorkFactory) -> None:
    first, second = many_provider_details(2, seed=11)
    first = dataclasses.replace(
        first,
        legal_name="Harbour Light Training Ltd",
        trading_names=("Beacon Skills", "HLT"),
        address=Address("1 Dock Road", "Liverpool", "L3 4AA", "Unit 2"),
    )
    reference = apply_for_ukprn(first, uow=uow_factory()).reference
    apply_for_ukprn(second, uow=uow_factory())  # stays an application: never public
    approved = decide_application(Decide(reference, True), principal=SYSTEM, uow=uow_factory())
    ukprn = approved.ukprn or ""
    assert approved.details == first and approved.version == 2
    update_provider_details(
        ukprn,
        ProviderChanges(legal_name="Harbour Light Learning Ltd"),
        principal=SYSTEM,
        uow=uow_factory(),
    )
    view = get_application(reference, principal=SYSTEM, uow=uow_factory())
    assert [(v.provider.version, v.provider.status) for v in view.history] == [
        (1, ProviderStatus.APPLIED),
        (2, ProviderStatus.VERIFIED),
        (3, ProviderStatus.ACTIVE),
    ]
    assert view.history[1].changed_by == SYSTEM.actor and view.history[0].changed_at is not None

    for query in (
        "harbour light learning",
        "harbor light",
        "harbour lite",
        "Beacon Skils",
        "L3 4AA",
        "l3",
        ukprn,
        "liverpool",
    ):
        found = search_providers(query, page=1, page_size=5, uow=uow_factory())
        assert ukprn in [p.ukprn for p in found.items], query
    assert search_providers(second.legal_name, page=1, page_size=5, uow=uow_factory()).items == []

    feed = provider_changes(since=0, limit=10, uow=uow_factory())
    assert [(c.version, c.provider.status) for c in feed.items] == [
        (2, ProviderStatus.VERIFIED),
        (3, ProviderStatus.ACTIVE),
    ]
    deactivate_provider(ukprn, reason="closed", principal=SYSTEM, uow=uow_factory())
    later = provider_changes(since=feed.next_since, limit=10, uow=uow_factory())
    assert [c.provider.status for c in later.items] == [ProviderStatus.DEACTIVATED]
    assert later.items[0].provider.updated_at is not None


def test_a_query_of_common_words_is_narrowed_to_providers_holding_the_two_rarest(
    uow_factory: SqlUnitOfWorkFactory, engine: sa.Engine
) -> None:
    names = [
        "Star Learning Trust",
        "Star Skills Academy",
        "Star Care Training",
        "Oak Learning Trust",
        "Bright Learning Trust",
        "Green Learning Trust",
    ]
    ukprns = {}
    for seed, name in enumerate(names):
        generated = provider_details(40 + seed)
        details = dataclasses.replace(generated, legal_name=name, trading_names=())
        reference = apply_for_ukprn(details, uow=uow_factory()).reference
        decided = Decide(reference, True, confirm_not_duplicate=True)
        ukprns[name] = decide_application(decided, principal=SYSTEM, uow=uow_factory()).ukprn
    with engine.connect() as conn:
        # "star" is the rarest word (3 holders) but above a cap of 2: star AND learning it is
        ids = provider_search_sql.ranked_ids(
            conn, "star learning trust", limit=5, offset=0, candidates=2
        )
        found = conn.execute(
            sa.select(providers.c.legal_name).where(providers.c.id.in_(ids))
        ).scalars()
        assert set(found) == {"Star Learning Trust"}
        ids = provider_search_sql.ranked_ids(conn, "star lerning trust", limit=5, offset=0)
        first = conn.execute(sa.select(providers.c.ukprn).where(providers.c.id == ids[0]))
        assert first.scalar_one() == ukprns["Star Learning Trust"]
