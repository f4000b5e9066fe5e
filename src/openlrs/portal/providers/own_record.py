"""Your organisation's record on the provider register: what the public sees and the private
details the service desk holds (its administrators only)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from openlrs.domain.providers.provider import ProviderStatus
from openlrs.portal.providers.verification import provider_rows
from openlrs.portal.rendering import render
from openlrs.portal.security import UserDep
from openlrs.services.providers.own_record import own_provider_record

router = APIRouter(prefix="/your-provider-record")
STANDING = {
    ProviderStatus.APPLIED: "Waiting for the service desk to check it",
    ProviderStatus.VERIFIED: "On the register and checked by the service desk",
    ProviderStatus.ACTIVE: "On the register; a changed legal name is waiting to be checked",
    ProviderStatus.DEACTIVATED: "Taken off the register",
    ProviderStatus.REJECTED: "Rejected",
}


@router.get("")
async def own_record(request: Request, principal: UserDep) -> Response:
    uow = request.app.state.uow_factory()
    provider = await run_in_threadpool(
        own_provider_record, principal.ukprn, principal=principal, uow=uow
    )
    return render(
        request,
        "providers/own_record.html",
        title="Your organisation on the provider register",
        provider=provider,
        rows=provider_rows(provider) if provider else [],
        standing=STANDING.get(provider.status, "") if provider else "",
        ukprn=principal.ukprn,
        back="/portal/",
    )
