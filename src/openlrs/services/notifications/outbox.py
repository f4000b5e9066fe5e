"""Notifications join the outbox in the transaction of the event they report (never after it,
so an event committed is an e-mail owed, and an event rolled back is none); and the desk or an
organisation's admin sets where they go."""

from __future__ import annotations

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.errors import OrganisationNotFound
from openlrs.domain.notifications.messages import Message, Notification, checked_address
from openlrs.services.ports import UnitOfWork


def notify(uow: UnitOfWork, message: Message) -> None:
    """Inside the event's unit of work, before its commit."""
    uow.notifications.enqueue(message)


def set_contact_address(
    ukprn: str, address: str | None, *, principal: Principal, uow: UnitOfWork
) -> str | None:
    """Where an organisation's notifications go (None: nowhere)."""
    principal.require_org_admin(ukprn)
    checked = checked_address(address)
    with uow:
        if not uow.notifications.set_contact_address(ukprn, checked):
            raise OrganisationNotFound()
        uow.commit()
    return checked


def contact_address(ukprn: str, *, principal: Principal, uow: UnitOfWork) -> str | None:
    principal.require_org_admin(ukprn)
    with uow:
        if uow.organisations.get(ukprn) is None:
            raise OrganisationNotFound()
        return uow.notifications.contact_address(ukprn)


def list_notifications(
    *, principal: Principal, uow: UnitOfWork, limit: int = 100
) -> list[Notification]:
    """The outbox, newest first: all of it for the desk, an organisation's own for its admins."""
    principal.require(frozenset({Role.ADMIN, Role.LRB_ADMIN, Role.AO_ADMIN}))
    ukprn = None if Role.ADMIN in principal.roles else principal.ukprn
    with uow:
        return uow.notifications.list(ukprn=ukprn, limit=limit)
