"""Change a learner's details: a new version, the old one kept, and only from the version read."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from openlrs.domain.accounts.organisations import LEARNER_ROLES, Principal
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.errors import (
    FieldError,
    LearnerNotActive,
    LearnerNotFound,
    ValidationFailed,
    VersionConflict,
)
from openlrs.domain.identifiers import parse_uln
from openlrs.domain.learner_changes import ChangeKind
from openlrs.domain.learners.learner import Learner, LearnerDetails, LearnerStatus
from openlrs.services.change_feed import note_change
from openlrs.services.policy import DEFAULT_POLICY, RegisterPolicy
from openlrs.services.ports import UnitOfWork

_FIELDS = frozenset(f.name for f in dataclasses.fields(LearnerDetails))


@dataclass(frozen=True)
class UpdateLearner:
    uln: str
    expected_version: int
    changes: dict[str, Any]


def update_learner(
    command: UpdateLearner,
    *,
    principal: Principal,
    uow: UnitOfWork,
    policy: RegisterPolicy = DEFAULT_POLICY,
) -> Learner:
    """Apply `changes` (field → new value; None clears an optional field) as version n + 1."""
    principal.require(LEARNER_ROLES)
    _checked_uln(command)
    with uow:
        updated = update_within(command, principal=principal, uow=uow, policy=policy)
        uow.commit()
    return updated


def _checked_uln(command: UpdateLearner) -> str:
    """The command's ULN, once it and the fields named are known to be well formed."""
    unknown = sorted(set(command.changes) - _FIELDS)
    if unknown:
        raise ValidationFailed(
            [FieldError(name, "FIELD_UNKNOWN", "This field does not exist") for name in unknown]
        )
    return parse_uln(command.uln)


def update_within(
    command: UpdateLearner, *, principal: Principal, uow: UnitOfWork, policy: RegisterPolicy
) -> Learner:
    """Apply the update inside the caller's open unit of work (not committed)."""
    uln = _checked_uln(command)
    current = uow.learners.get(uln)
    if current is None:
        raise LearnerNotFound()
    if current.status is not LearnerStatus.ACTIVE:
        raise LearnerNotActive()
    if current.version != command.expected_version:
        raise VersionConflict()
    details = policy.validated(dataclasses.replace(current.details, **command.changes))
    updated = dataclasses.replace(
        current,
        details=details,
        version=current.version + 1,
        updated_at=dt.datetime.now(dt.UTC),
    )
    if not uow.learners.replace(
        updated, expected_version=current.version, actor=principal.actor, ukprn=principal.ukprn
    ):
        raise VersionConflict()
    note_change(uow, principal, ChangeKind.UPDATED, uln)
    uow.audit.record(
        AuditEvent(
            actor=principal.actor,
            ukprn=principal.ukprn,
            action=AuditAction.LEARNER_UPDATE,
            uln=uln,
            outcome=f"version {updated.version}",
            detail=" ".join(sorted(command.changes)),
        )
    )
    return updated
