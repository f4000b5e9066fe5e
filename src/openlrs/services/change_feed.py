"""The change feed: use cases note each change to a learner in their unit of work; organisations'
MIS systems read the changes to their learners after a cursor, in commit order."""

from __future__ import annotations

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.errors import FieldError, ValidationFailed
from openlrs.domain.learner_changes import ChangeKind, ChangePage, LearnerChange
from openlrs.domain.plr.roles import PLR_READ_ROLES
from openlrs.services.ports import UnitOfWork

FEED_ROLES = PLR_READ_ROLES
"""Registration bodies and awarding organisations, for learners they hold; the service desk."""
PAGE_MAX = 1000


def note_change(
    uow: UnitOfWork,
    principal: Principal,
    kind: ChangeKind,
    uln: str,
    *,
    related_uln: str | None = None,
    event_id: str | None = None,
) -> None:
    """Add a change to the feed when (and only if) the caller's unit of work commits."""
    change = LearnerChange(uln, kind, related_uln, event_id, principal.ukprn)
    uow.changes.record(change)


def read_changes(
    since: int, *, principal: Principal, uow: UnitOfWork, limit: int = 100
) -> ChangePage:
    """Changes after `since`, oldest first: all of them for the service desk, otherwise those
    to learners the caller's organisation has registered, looked up or recorded events for,
    less those naming an event of a learner who has opted out of sharing (unless the caller's
    organisation deposited that event)."""
    principal.require(FEED_ROLES)
    if since < 0 or not 1 <= limit <= PAGE_MAX:
        message = f"since must be 0 or more, and limit from 1 to {PAGE_MAX}"
        raise ValidationFailed([FieldError("since", "FIELD_INVALID", message)])
    ukprn = None if Role.ADMIN in principal.roles else principal.ukprn
    with uow:
        return uow.changes.since(since, ukprn=ukprn, limit=limit)
