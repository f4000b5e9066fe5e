"""The provider register's use cases on the in-memory fakes."""

from __future__ import annotations

import dataclasses

import pytest

from openlrs.domain.accounts.organisations import (
    SYSTEM,
    Organisation,
    OrgStatus,
    OrgType,
    Principal,
    Role,
)
from openlrs.domain.errors import (
    NotAuthorised,
    ProviderNotFound,
    ProviderPossibleDuplicate,
    ProviderStatusConflict,
    ValidationFailed,
)
from openlrs.domain.providers.duplicates import DuplicateRule
from openlrs.domain.providers.provider import (
    Address,
    Provider,
    ProviderChanges,
    ProviderStatus,
)
from openlrs.services.providers.apply import apply_for_ukprn
from openlrs.services.providers.search import (
    get_public_provider,
    provider_changes,
    search_providers,
)
from openlrs.services.providers.standing import deactivate_provider, reactivate_provider
from openlrs.services.providers.update import update_provider_details
from openlrs.services.providers.verify import (
    Decide,
    decide_application,
    get_application,
    verification_queue,
)
from tests.builders import ADMIN, LRB, provider_details
from tests.unit.fakes import FakeUnitOfWork

DESK = ADMIN


def approve(reference: str, uow: FakeUnitOfWork, **kw: object) -> Provider:
    return decide_application(Decide(reference, True, **kw), principal=DESK, uow=uow)  # type: ignore[arg-type]


def admin_of(ukprn: str) -> Principal:
    return Principal(actor="user:own-admin", ukprn=ukprn, roles=frozenset({Role.LRB_ADMIN}))


def test_an_application_waits_for_the_desk_without_a_ukprn(uow: FakeUnitOfWork) -> None:
    applied = apply_for_ukprn(provider_details(), uow=uow)
    assert applied.status is ProviderStatus.APPLIED and applied.ukprn is None
    queue = verification_queue(after_id=None, limit=10, principal=DESK, uow=uow)
    assert [v.provider.reference for v in queue] == [applied.reference]
    with pytest.raises(NotAuthorised):
        verification_queue(after_id=None, limit=10, principal=LRB, uow=uow)


def test_approval_allocates_a_ukprn_above_every_organisation_and_creates_it(
    uow: FakeUnitOfWork,
) -> None:
    with uow:
        uow.organisations.add(Organisation("10004321", "Existing College", OrgType.COLLEGE))
        uow.commit()
    first = approve(apply_for_ukprn(provider_details(1), uow=uow).reference, uow)
    second = approve(apply_for_ukprn(provider_details(2), uow=uow).reference, uow)
    assert (first.ukprn, second.ukprn) == ("10004322", "10004323")
    assert first.status is ProviderStatus.VERIFIED
    with uow:
        org = uow.organisations.get("10004322")
    assert (
        org is not None and org.status is OrgStatus.ACTIVE and org.name == first.details.legal_name
    )


def test_a_second_application_with_the_same_company_number_is_flagged(uow: FakeUnitOfWork) -> None:
    original = provider_details(1)
    approve(apply_for_ukprn(original, uow=uow).reference, uow)
    again = dataclasses.replace(
        provider_details(2),
        legal_name="Quite Different Name Ltd",
        company_number=original.company_number,
    )
    reference = apply_for_ukprn(again, uow=uow).reference
    view = get_application(reference, principal=DESK, uow=uow)
    assert [r.rule for d in view.duplicates for r in d.reasons] == [
        DuplicateRule.SAME_COMPANY_NUMBER
    ]
    with pytest.raises(ProviderPossibleDuplicate):
        approve(reference, uow)
    assert approve(reference, uow, confirm_not_duplicate=True).ukprn is not None


def test_a_near_identical_name_in_the_same_postcode_is_flagged(uow: FakeUnitOfWork) -> None:
    original = dataclasses.replace(provider_details(1), legal_name="Riverside Skills Academy Ltd")
    apply_for_ukprn(original, uow=uow)
    again = dataclasses.replace(
        original, legal_name="Riverside Skills Acadamy Limited", company_number="09999999"
    )
    view = get_application(apply_for_ukprn(again, uow=uow).reference, principal=DESK, uow=uow)
    assert [r.rule for d in view.duplicates for r in d.reasons] == [
        DuplicateRule.SIMILAR_NAME_SAME_POSTCODE
    ]


def test_a_rejection_needs_a_reason_and_is_final(uow: FakeUnitOfWork) -> None:
    reference = apply_for_ukprn(provider_details(), uow=uow).reference
    with pytest.raises(ValidationFailed):
        decide_application(Decide(reference, False), principal=DESK, uow=uow)
    rejected = decide_application(
        Decide(reference, False, "Not a provider"), principal=DESK, uow=uow
    )
    assert rejected.status is ProviderStatus.REJECTED and rejected.notes == "Not a provider"
    with pytest.raises(ProviderStatusConflict):
        approve(reference, uow)


def test_a_new_legal_name_needs_verifying_again(uow: FakeUnitOfWork) -> None:
    provider = approve(apply_for_ukprn(provider_details(), uow=uow).reference, uow)
    assert provider.ukprn is not None
    own = admin_of(provider.ukprn)
    changed = update_provider_details(
        provider.ukprn, ProviderChanges(legal_name="Renamed Training Ltd"), principal=own, uow=uow
    )
    assert changed.status is ProviderStatus.ACTIVE
    assert [
        v.provider.reference
        for v in verification_queue(after_id=None, limit=9, principal=DESK, uow=uow)
    ] == [provider.reference]
    refused = decide_application(
        Decide(provider.reference, False, "No evidence"), principal=DESK, uow=uow
    )
    assert refused.details.legal_name == provider.details.legal_name
    assert refused.status is ProviderStatus.VERIFIED
    website = update_provider_details(
        provider.ukprn, ProviderChanges(website="https://new.example"), principal=own, uow=uow
    )
    assert website.status is ProviderStatus.VERIFIED and website.version == refused.version + 1


def test_only_the_providers_own_admin_or_the_desk_may_change_it(uow: FakeUnitOfWork) -> None:
    provider = approve(apply_for_ukprn(provider_details(), uow=uow).reference, uow)
    assert provider.ukprn is not None
    with pytest.raises(NotAuthorised):
        update_provider_details(
            provider.ukprn,
            ProviderChanges(website="x.example"),
            principal=admin_of("10000002"),
            uow=uow,
        )
    with pytest.raises(ProviderNotFound):
        update_provider_details("10009998", ProviderChanges(), principal=DESK, uow=uow)


def test_deactivation_suspends_the_organisation_and_reactivation_restores_it(
    uow: FakeUnitOfWork,
) -> None:
    provider = approve(apply_for_ukprn(provider_details(), uow=uow).reference, uow)
    assert provider.ukprn is not None
    off = deactivate_provider(provider.ukprn, reason="Ceased trading", principal=DESK, uow=uow)
    assert off.status is ProviderStatus.DEACTIVATED
    with uow:
        org = uow.organisations.get(provider.ukprn)
    assert org is not None and org.status is OrgStatus.SUSPENDED
    with pytest.raises(ProviderStatusConflict):
        deactivate_provider(provider.ukprn, reason=None, principal=DESK, uow=uow)
    on = reactivate_provider(provider.ukprn, reason=None, principal=DESK, uow=uow)
    assert on.status is ProviderStatus.VERIFIED
    with uow:
        org = uow.organisations.get(provider.ukprn)
    assert org is not None and org.status is OrgStatus.ACTIVE
    with pytest.raises(NotAuthorised):
        deactivate_provider(
            provider.ukprn, reason=None, principal=admin_of(provider.ukprn), uow=uow
        )


def test_search_finds_public_providers_by_name_trading_name_postcode_and_ukprn(
    uow: FakeUnitOfWork,
) -> None:
    details = dataclasses.replace(
        provider_details(),
        legal_name="Harbour Light Training Ltd",
        trading_names=("Beacon Skills",),
        address=Address("1 Dock Road", "Liverpool", "L3 4AA"),
    )
    provider = approve(apply_for_ukprn(details, uow=uow).reference, uow)
    apply_for_ukprn(
        dataclasses.replace(details, company_number="07777777"), uow=uow
    )  # not public yet
    for query in (
        "harbour lite training",
        "Beacon Skils",
        "l3 4aa",
        "L3",
        provider.ukprn,
        "Liverpool",
    ):
        found = search_providers(query or "", page=1, page_size=10, uow=uow)
        assert [p.ukprn for p in found.items] == [provider.ukprn], query
    assert get_public_provider(provider.ukprn or "", uow=uow).legal_name == details.legal_name


def test_search_pages(uow: FakeUnitOfWork) -> None:
    for seed in range(5):
        details = dataclasses.replace(
            provider_details(seed), address=Address("1 Road", "Leeds", "LS1 1AA")
        )
        approve(apply_for_ukprn(details, uow=uow).reference, uow, confirm_not_duplicate=True)
    first = search_providers("LS1 1AA", page=1, page_size=3, uow=uow)
    second = search_providers("LS1 1AA", page=2, page_size=3, uow=uow)
    assert (len(first.items), first.next_page, len(second.items), second.next_page) == (
        3,
        2,
        2,
        None,
    )


def test_applications_are_not_public_and_the_feed_follows_public_changes(
    uow: FakeUnitOfWork,
) -> None:
    reference = apply_for_ukprn(provider_details(), uow=uow).reference
    assert provider_changes(since=0, limit=10, uow=uow).items == []
    provider = approve(reference, uow)
    with pytest.raises(ProviderNotFound):
        get_public_provider("10009998", uow=uow)
    feed = provider_changes(since=0, limit=10, uow=uow)
    assert [(c.provider.ukprn, c.provider.status) for c in feed.items] == [
        (provider.ukprn, ProviderStatus.VERIFIED)
    ]
    deactivate_provider(provider.ukprn or "", reason=None, principal=SYSTEM, uow=uow)
    later = provider_changes(since=feed.next_since, limit=10, uow=uow)
    assert [c.provider.status for c in later.items] == [ProviderStatus.DEACTIVATED]
