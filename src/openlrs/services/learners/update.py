"""Change a learner's details: a new version, the old one kept, and only from the version read.

Only the service desk, or an organisation the register relates to the learner (it registered them
or has them on roll), changes them directly; anyone else's change is stored as a change request
for the desk or the registering organisation to decide (`services.learners.change_requests`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from openlrs.domain.accounts.organisations import LEARNER_ROLES, Principal, Role
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
from openlrs.domain.learners.change_request import ChangeRequest, changes_fingerprint
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
) -> Learner | ChangeRequest:
    """Apply `changes` (field → new value; None clears an optional field) as version n + 1, or,
    without a relationship to the learner, store them as a change request and return it."""
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


def may_change_directly(learner: Learner, principal: Principal, uow: UnitOfWork) -> bool:
    """The desk, or an organisation related to the learner or to a ULN merged into them."""
    if Role.ADMIN in principal.roles:
        return True
    return bool(uow.learners.relationships((learner.uln, *learner.linked_ulns), principal.ukprn))


def update_within(
    command: UpdateLearner, *, principal: Principal, uow: UnitOfWork, policy: RegisterPolicy
) -> Learner | ChangeRequest:
    """Apply the update, or store the change request, inside the caller's open unit of work."""
    uln = _checked_uln(command)
    current = uow.learners.get(uln)
    if current is None:
        raise LearnerNotFound()
    if current.status is not LearnerStatus.ACTIVE:
        raise LearnerNotActive()
    if current.version != command.expected_version:
        raise VersionConflict()
    details = policy.validated(dataclasses.replace(current.details, **command.changes))
    if may_change_directly(current, principal, uow):
        return apply_update(current, details, command, principal=principal, uow=uow)
    if details == current.details:
        return current  # nothing would change: nothing to ask anyone
    return _request_change(current, details, principal, uow)


def apply_update(
    current: Learner,
    details: LearnerDetails,
    command: UpdateLearner,
    *,
    principal: Principal,
    uow: UnitOfWork,
    note: str | None = None,
) -> Learner:
    """Store validated `details` as the version after `current` (not committed)."""
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
    note_change(uow, principal, ChangeKind.UPDATED, current.uln)
    fields = " ".join(sorted(command.changes))
    uow.audit.record(
        AuditEvent(
            actor=principal.actor,
            ukprn=principal.ukprn,
            action=AuditAction.LEARNER_UPDATE,
            uln=current.uln,
            outcome=f"version {updated.version}",
            detail=f"{fields} ({note})" if note else fields,
        )
    )
    return updated


def _request_change(
    current: Learner, details: LearnerDetails, principal: Principal, uow: UnitOfWork
) -> ChangeRequest:
    """Store the fields that would change as a request (the same pending request if repeated)."""
    changes = {
        name: getattr(details, name)
        for name in sorted(_FIELDS)
        if getattr(details, name) != getattr(current.details, name)
    }
    request = uow.change_requests.add(
        ChangeRequest(
            uln=current.uln,
            ukprn=principal.ukprn,
            requested_by=principal.actor,
            changes=changes,
            expected_version=current.version,
            fingerprint=changes_fingerprint(current.uln, changes),
        )
    )
    uow.audit.record(
        AuditEvent(
            actor=principal.actor,
            ukprn=principal.ukprn,
            action=AuditAction.LEARNER_CHANGE_REQUEST,
            uln=current.uln,
            outcome=request.status.value,
            detail=f"{request.reference} {' '.join(sorted(changes))}".strip(),
        )
    )
    return request
