"""The retention job: remove what the policy says has been kept long enough, and say so."""

from __future__ import annotations

import datetime as dt
import json

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.retention.policy import DataKind, RetentionPolicy, RetentionReport
from openlrs.services.ports import UnitOfWork


def apply_retention(
    policy: RetentionPolicy, *, now: dt.datetime, principal: Principal, uow: UnitOfWork
) -> RetentionReport:
    """One transaction: every kind's expired rows go, and one audit record lists the counts
    (no personal data: kinds and numbers only). Safe to run again, from any number of workers."""
    principal.require(frozenset({Role.ADMIN}))
    removed: dict[DataKind, int | None] = {}
    with uow:
        for kind in DataKind:
            removed[kind] = uow.retention.remove_expired(kind, policy.cutoff(kind, now))
        report = RetentionReport(removed)
        uow.audit.record(
            AuditEvent(
                principal.actor,
                None,
                AuditAction.RETENTION_APPLY,
                outcome=str(report.total),
                detail=json.dumps({kind.value: count for kind, count in removed.items()}),
            )
        )
        uow.commit()
    return report


class RetentionSchedule:
    """When a long-running worker next applies the policy: at its first housekeeping, then every
    `every` (None: never; `openlrs retention` from cron instead)."""

    def __init__(self, every: dt.timedelta | None) -> None:
        self.every = every
        self._next: dt.datetime | None = None

    def due(self, now: dt.datetime) -> bool:
        if self.every is None or (self._next is not None and now < self._next):
            return False
        self._next = now + self.every
        return True
