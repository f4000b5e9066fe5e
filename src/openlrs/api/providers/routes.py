"""The UK Register of Learning Providers: apply (no sign-in), the desk's verification queue,
public search and look-up, the change feed, and maintenance by the provider and the desk."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, status

from openlrs.api.deps import CurrentPrincipal, UowFactoryDep, requires
from openlrs.api.json_bodies import UniqueKeysRoute
from openlrs.api.providers.schemas import (
    ApplicationCreated,
    ApplicationDecisionIn,
    ApplicationIn,
    ApplicationOut,
    ChangesOut,
    ProviderPatch,
    ProviderRecordOut,
    ProviderSearchOut,
    PublicProviderOut,
    StandingIn,
)
from openlrs.api.providers.views import (
    address_from,
    application_json,
    contact_from,
    public_json,
    record_json,
)
from openlrs.domain.accounts.organisations import ADMIN_ROLES, ORG_ADMIN_ROLES
from openlrs.domain.providers.provider import ProviderChanges, ProviderDetails
from openlrs.services.providers.apply import apply_for_ukprn
from openlrs.services.providers.search import (
    get_public_provider,
    provider_changes,
    search_providers,
)
from openlrs.services.providers.standing import deactivate_provider, reactivate_provider
from openlrs.services.providers.update import update_provider_details
from openlrs.services.providers.verify import Decide, decide_application, get_application
from openlrs.services.providers.verify import verification_queue as desk_queue

router = APIRouter(prefix="/api/v1/providers", tags=["providers"], route_class=UniqueKeysRoute)

Ukprn = Annotated[str, Path(pattern=r"^[0-9]{8}$", description="8 digits")]
Reference = Annotated[str, Path(pattern=r"^PA[0-9A-Z]{10}$", description="PA and 10 characters")]
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such provider"}}


@router.post(
    "/applications",
    response_model=ApplicationCreated,
    status_code=status.HTTP_201_CREATED,
    operation_id="applyAsProvider",
)
def apply(body: ApplicationIn, uow_factory: UowFactoryDep) -> Any:
    """Apply for a UKPRN. No sign-in: the answer is a reference to quote to the service desk,
    which verifies the application and allocates the UKPRN."""
    details = ProviderDetails(
        legal_name=body.legal_name,
        provider_type=body.provider_type,
        legal_status=body.legal_status,
        contact=contact_from(body.contact),
        address=address_from(body.address),
        trading_names=tuple(body.trading_names),
        company_number=body.company_number,
        charity_number=body.charity_number,
        website=body.website,
    )
    provider = apply_for_ukprn(details, uow=uow_factory())
    return {"reference": provider.reference, "status": provider.status}


@router.get(
    "/applications",
    response_model=list[ApplicationOut],
    dependencies=[requires(ADMIN_ROLES)],
    operation_id="listProviderApplications",
)
def verification_queue(
    principal: CurrentPrincipal,
    uow_factory: UowFactoryDep,
    after_id: Annotated[int | None, Query(ge=0, le=2**31 - 1)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> Any:
    """Service desk: applications and legal-name changes waiting, oldest first, with duplicates."""
    views = desk_queue(after_id=after_id, limit=limit, principal=principal, uow=uow_factory())
    return [application_json(v) for v in views]


@router.get(
    "/applications/{reference}",
    operation_id="getProviderApplication",
    response_model=ApplicationOut,
    responses=NOT_FOUND,
    dependencies=[requires(ADMIN_ROLES)],
)
def application(
    reference: Reference, principal: CurrentPrincipal, uow_factory: UowFactoryDep
) -> Any:
    return application_json(get_application(reference, principal=principal, uow=uow_factory()))


@router.post(
    "/applications/{reference}/decision",
    operation_id="decideProviderApplication",
    response_model=ProviderRecordOut,
    responses=NOT_FOUND | {409: {"description": "Possible duplicate, or not awaiting a decision"}},
    dependencies=[requires(ADMIN_ROLES)],
)
def decide(
    reference: Reference,
    body: ApplicationDecisionIn,
    principal: CurrentPrincipal,
    uow_factory: UowFactoryDep,
) -> Any:
    """Approve (allocating a UKPRN and creating the organisation) or reject with a reason."""
    command = Decide(reference, body.decision == "approve", body.reason, body.confirm_not_duplicate)
    return record_json(decide_application(command, principal=principal, uow=uow_factory()))


@router.get("", response_model=ProviderSearchOut, operation_id="searchProviders")
def search(
    uow_factory: UowFactoryDep,
    query: Annotated[str, Query(min_length=1, max_length=100)],
    page: Annotated[int, Query(ge=1, le=100)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Any:
    """Public, no sign-in: by name (fuzzy; trading names too), UKPRN, postcode, district or town."""
    found = search_providers(query, page=page, page_size=page_size, uow=uow_factory())
    return {
        "items": [public_json(p) for p in found.items],
        "page": found.page,
        "page_size": found.page_size,
        "next_page": found.next_page,
    }


@router.get("/changes", response_model=ChangesOut, operation_id="listProviderChanges")
def changes(
    uow_factory: UowFactoryDep,
    since: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 100,
) -> Any:
    """Public: every change to a provider holding a UKPRN after change number `since`."""
    page = provider_changes(since=since, limit=limit, uow=uow_factory())
    items = [
        {"change": c.change, "version": c.version, "provider": public_json(c.provider)}
        for c in page.items
    ]
    return {"items": items, "next_since": page.next_since}


@router.get(
    "/{ukprn}", response_model=PublicProviderOut, responses=NOT_FOUND, operation_id="getProvider"
)
def get_provider(ukprn: Ukprn, uow_factory: UowFactoryDep) -> Any:
    """Public, no sign-in: a provider's public details."""
    return public_json(get_public_provider(ukprn, uow=uow_factory()))


@router.patch(
    "/{ukprn}",
    operation_id="updateProvider",
    response_model=ProviderRecordOut,
    responses=NOT_FOUND,
    dependencies=[requires(ORG_ADMIN_ROLES)],
)
def update(
    ukprn: Ukprn, body: ProviderPatch, principal: CurrentPrincipal, uow_factory: UowFactoryDep
) -> Any:
    """The provider's own admin (or the desk) changes its details; a new legal name is verified again."""
    changes = ProviderChanges(
        legal_name=body.legal_name,
        trading_names=None if body.trading_names is None else tuple(body.trading_names),
        contact=None if body.contact is None else contact_from(body.contact),
        address=None if body.address is None else address_from(body.address),
        website=body.website,
        provider_type=body.provider_type,
    )
    return record_json(
        update_provider_details(ukprn, changes, principal=principal, uow=uow_factory())
    )


@router.post(
    "/{ukprn}/deactivate",
    operation_id="deactivateProvider",
    response_model=ProviderRecordOut,
    responses=NOT_FOUND,
    dependencies=[requires(ADMIN_ROLES)],
)
def deactivate(
    ukprn: Ukprn,
    principal: CurrentPrincipal,
    uow_factory: UowFactoryDep,
    body: StandingIn | None = None,
) -> Any:
    """Service desk: the provider's organisation is suspended; its clients are refused at once."""
    reason = body.reason if body else None
    return record_json(
        deactivate_provider(ukprn, reason=reason, principal=principal, uow=uow_factory())
    )


@router.post(
    "/{ukprn}/reactivate",
    operation_id="reactivateProvider",
    response_model=ProviderRecordOut,
    responses=NOT_FOUND,
    dependencies=[requires(ADMIN_ROLES)],
)
def reactivate(
    ukprn: Ukprn,
    principal: CurrentPrincipal,
    uow_factory: UowFactoryDep,
    body: StandingIn | None = None,
) -> Any:
    reason = body.reason if body else None
    return record_json(
        reactivate_provider(ukprn, reason=reason, principal=principal, uow=uow_factory())
    )
