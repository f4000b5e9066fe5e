"""Change requests: changes to a learner asked for by an organisation without a relationship,
listed for and decided by the service desk or the organisation that registered the learner."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from openlrs.domain.accounts.organisations import LEARNER_ROLES, Principal, Role
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.errors import (
    ChangeRequestDecided,
    ChangeRequestNotFound,
    LearnerNotActive,
    LearnerNotFound,
    NotAuthorised,
    VersionConflict,
)
from openlrs.domain.learners.change_request import (
    ChangeRequest,
    ChangeRequestStatus,
    RelationshipKind,
)
from openlrs.domain.learners.learner import Learner, LearnerStatus
from openlrs.services.learners.update import UpdateLearner, apply_update
from openlrs.services.policy import DEFAULT_POLICY, RegisterPolicy
from openlrs.services.ports import UnitOfWork


@dataclass(frozen=True)
class DecideChangeRequest:
    reference: str
    accept: bool
    expected_version: int | None = None
    """With accept: the learner's version the decider read (default: the one the request was
    made against). The changes apply on top of it; a later version gets VERSION_CONFLICT."""


@dataclass(frozen=True)
class ChangeRequestView:
    """A request, the learner it is for as they are now, and whether the caller may decide it."""

    request: ChangeRequest
    learner: Learner | None
    may_decide: bool
    requested_by_name: str = ""
    """The requesting organisation's name (for pages; the API gives its UKPRN)."""


def _may_decide(
    request: ChangeRequest, learner: Learner | None, principal: Principal, uow: UnitOfWork
) -> bool:
    if Role.ADMIN in principal.roles:
        return True
    ulns = (request.uln, *(learner.linked_ulns if learner else ()))
    return RelationshipKind.REGISTERED in uow.learners.relationships(ulns, principal.ukprn)


def _view(
    request: ChangeRequest | None, principal: Principal, uow: UnitOfWork
) -> ChangeRequestView:
    """Visible to the desk, the requesting organisation and the registering one; to anyone
    else it is not found, so references reveal nothing."""
    if request is None:
        raise ChangeRequestNotFound()
    learner = uow.learners.get(request.uln)
    may_decide = _may_decide(request, learner, principal, uow)
    if not may_decide and request.ukprn != principal.ukprn:
        raise ChangeRequestNotFound()
    organisation = uow.organisations.get(request.ukprn)
    return ChangeRequestView(
        request, learner, may_decide, organisation.name if organisation else ""
    )


def list_change_requests(
    *, status: ChangeRequestStatus | None, limit: int, principal: Principal, uow: UnitOfWork
) -> list[ChangeRequestView]:
    """The desk sees every request; an organisation those it made and those on its learners."""
    principal.require(LEARNER_ROLES)
    ukprn = None if Role.ADMIN in principal.roles else principal.ukprn
    with uow:
        found = uow.change_requests.list(ukprn=ukprn, status=status, limit=limit)
        views = [_view(request, principal, uow) for request in found]
        uow.audit.record_many([_read(view.request, principal) for view in views])
        uow.commit()
    return views


def get_change_request(
    reference: str, *, principal: Principal, uow: UnitOfWork
) -> ChangeRequestView:
    principal.require(LEARNER_ROLES)
    with uow:
        view = _view(uow.change_requests.get(reference), principal, uow)
        uow.audit.record(_read(view.request, principal))
        uow.commit()
    return view


def _read(request: ChangeRequest, principal: Principal) -> AuditEvent:
    """A request holds proposed personal details: reading it is audited like reading a learner."""
    return AuditEvent(
        actor=principal.actor,
        ukprn=principal.ukprn,
        action=AuditAction.LEARNER_CHANGE_READ,
        uln=request.uln,
        outcome=request.status.value,
        detail=request.reference,
    )


def decide_change_request(
    command: DecideChangeRequest,
    *,
    principal: Principal,
    uow: UnitOfWork,
    policy: RegisterPolicy = DEFAULT_POLICY,
) -> ChangeRequestView:
    """Accept (the changes applied as an update, with its checks) or reject a pending request."""
    principal.require(LEARNER_ROLES)
    with uow:
        view = _view(uow.change_requests.get(command.reference), principal, uow)
        request = view.request
        if not view.may_decide:
            raise NotAuthorised()
        if request.status is not ChangeRequestStatus.PENDING:
            raise ChangeRequestDecided()
        applied = _apply(request, command, principal, uow, policy) if command.accept else None
        status = ChangeRequestStatus.ACCEPTED if command.accept else ChangeRequestStatus.REJECTED
        if not uow.change_requests.decide(
            request.reference,
            status,
            by=principal.actor,
            by_ukprn=principal.ukprn,
            applied_version=applied.version if applied else None,
        ):
            raise ChangeRequestDecided()
        uow.audit.record(
            AuditEvent(
                actor=principal.actor,
                ukprn=principal.ukprn,
                action=AuditAction.LEARNER_CHANGE_DECIDE,
                uln=request.uln,
                outcome=status.value,
                detail=f"{request.reference} from {request.ukprn}",
            )
        )
        decided = uow.change_requests.get(request.reference)
        assert decided is not None
        uow.commit()
    return dataclasses.replace(view, request=decided, learner=applied or view.learner)


def _apply(
    request: ChangeRequest,
    command: DecideChangeRequest,
    principal: Principal,
    uow: UnitOfWork,
    policy: RegisterPolicy,
) -> Learner:
    current = uow.learners.get(request.uln)
    if current is None:
        raise LearnerNotFound()
    if current.status is not LearnerStatus.ACTIVE:
        raise LearnerNotActive()
    expected = command.expected_version or request.expected_version
    if current.version != expected:
        raise VersionConflict()
    details = policy.validated(dataclasses.replace(current.details, **request.changes))
    update = UpdateLearner(request.uln, expected, request.changes)
    note = f"change request {request.reference} from {request.ukprn}"
    return apply_update(current, details, update, principal=principal, uow=uow, note=note)
