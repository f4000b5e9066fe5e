"""Where an organisation's notifications go, and the outbox."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import Field

from openlrs.api.deps import CurrentPrincipal, UowFactoryDep, requires
from openlrs.api.json_bodies import UniqueKeysRoute
from openlrs.api.learners.schemas import Strict
from openlrs.domain.accounts.organisations import ORG_ADMIN_ROLES
from openlrs.services.notifications import outbox

router = APIRouter(prefix="/api/v1", tags=["notifications"], route_class=UniqueKeysRoute)
ORG_ADMINS = [requires(ORG_ADMIN_ROLES)]


class ContactAddressIn(Strict):
    contact_email: str | None = Field(
        max_length=254, description="Where notifications go; null: nowhere"
    )


@router.get(
    "/organisations/{ukprn}/contact-address",
    operation_id="getContactAddress",
    dependencies=ORG_ADMINS,
)
def get_contact_address(ukprn: str, principal: CurrentPrincipal, uow_factory: UowFactoryDep) -> Any:
    found = outbox.contact_address(ukprn, principal=principal, uow=uow_factory())
    return {"contact_email": found}


@router.put(
    "/organisations/{ukprn}/contact-address",
    operation_id="setContactAddress",
    dependencies=ORG_ADMINS,
)
def set_contact_address(
    ukprn: str, body: ContactAddressIn, principal: CurrentPrincipal, uow_factory: UowFactoryDep
) -> Any:
    """Batch results, challenge decisions and Diploma news are e-mailed here."""
    saved = outbox.set_contact_address(
        ukprn, body.contact_email, principal=principal, uow=uow_factory()
    )
    return {"contact_email": saved}


@router.get("/notifications", operation_id="listNotifications", dependencies=ORG_ADMINS)
def list_notifications(principal: CurrentPrincipal, uow_factory: UowFactoryDep) -> Any:
    """The outbox, newest first: every notification for the desk, its own for an organisation."""
    found = outbox.list_notifications(principal=principal, uow=uow_factory())
    return {
        "notifications": [
            {
                "kind": n.kind.value,
                "subject": n.subject,
                "to": n.to_address,
                "status": n.status.value,
                "attempts": n.attempts,
                "next_attempt_at": n.next_attempt_at,
            }
            for n in found
        ]
    }
