"""Suspected duplicates: the register audit queues pairs; the service desk reads the queue.

The audit itself runs as a CLI job (`openlrs audit-duplicates`), never inside an API request.
"""

from __future__ import annotations

from collections.abc import Iterable

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.matching.suspected_duplicate import DuplicateStatus, SuspectedDuplicate
from openlrs.services.ports import UnitOfWork

SERVICE_DESK = frozenset({Role.ADMIN})


def queue_suspected_duplicates(pairs: Iterable[SuspectedDuplicate], *, uow: UnitOfWork) -> int:
    """Add the audit's pairs to the queue in one transaction; a pair already queued is refreshed
    (score, fields, run) but keeps its status, so re-running never repeats or reopens one."""
    with uow:
        written = uow.suspected_duplicates.upsert(pairs)
        uow.commit()
    return written


def list_suspected_duplicates(
    *,
    status: DuplicateStatus | None,
    after_id: int | None,
    limit: int,
    principal: Principal,
    uow: UnitOfWork,
) -> list[SuspectedDuplicate]:
    """The queue for the service desk, oldest first, a page at a time (after the last id seen)."""
    principal.require(SERVICE_DESK)
    with uow:
        return uow.suspected_duplicates.list(status=status, after_id=after_id, limit=limit)
