"""An organisation's current learners: who it registered or has on roll, a page at a time.

The list names learners (so reading it is audited, once a page, with how many it showed) and
says which are also with another organisation: dual registration, one learner and one ULN."""

from __future__ import annotations

from openlrs.domain.accounts.organisations import LEARNER_ROLES, Principal, Role
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.errors import FieldError, NotAuthorised, ValidationFailed
from openlrs.domain.identifiers import parse_uln
from openlrs.domain.learners.current import CurrentLearnersPage
from openlrs.services.ports import UnitOfWork

PAGE_MAX = 500


def list_current_learners(
    ukprn: str,
    *,
    principal: Principal,
    uow: UnitOfWork,
    after: str | None = None,
    limit: int = 50,
) -> CurrentLearnersPage:
    """The organisation's learners in ULN order after `after` (a ULN): the caller's own, or any
    organisation's for the service desk."""
    principal.require(LEARNER_ROLES)
    if ukprn != principal.ukprn and Role.ADMIN not in principal.roles:
        raise NotAuthorised("You can list only your own organisation's learners")
    if not 1 <= limit <= PAGE_MAX:
        message = f"limit must be from 1 to {PAGE_MAX}"
        raise ValidationFailed([FieldError("limit", "FIELD_INVALID", message)])
    cursor = parse_uln(after) if after else None
    with uow:
        found = uow.learners.current_learners(ukprn, after=cursor, limit=limit + 1)
        page = found[:limit]
        uow.audit.record(
            AuditEvent(
                principal.actor,
                principal.ukprn,
                AuditAction.LEARNER_LIST,
                outcome=str(len(page)),
                detail=f"{ukprn} after {cursor}" if cursor else ukprn,
            )
        )
        uow.commit()
    more = len(found) > limit
    return CurrentLearnersPage(tuple(page), page[-1].uln if more and page else None)
