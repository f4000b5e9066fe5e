"""An organisation's own record on the provider register, with its private details (contact,
numbers), for the organisation's administrators and the service desk."""

from __future__ import annotations

from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.identifiers import parse_ukprn
from openlrs.domain.providers.provider import Provider
from openlrs.services.ports import UnitOfWork


def own_provider_record(ukprn: str, *, principal: Principal, uow: UnitOfWork) -> Provider | None:
    """The provider holding `ukprn` (None when the organisation is not on the register)."""
    ukprn = parse_ukprn(ukprn)
    principal.require_org_admin(ukprn)
    with uow.autocommit():
        return uow.providers.get_by_ukprn(ukprn)
