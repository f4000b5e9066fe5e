"""A learner's plan: read it, save its goals and planned learning, add a progress note.

Trainers (lrb, lrb_admin) of an organisation with a relationship with the learner (it registered
them or has them on roll) create, change and read the plan; the service desk reads it. The plan is
kept with the learner's current record (the master's, if the ULN was merged). Every read and every
change is audited (decision 0026).
"""

from __future__ import annotations

from dataclasses import dataclass

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.errors import LearnerNotFound, NotAuthorised
from openlrs.domain.identifiers import parse_uln
from openlrs.domain.learner_plans.plan import (
    PLAN_READ_ROLES,
    PLAN_WRITE_ROLES,
    LearnerPlan,
    LearnerPlanChanged,
    LearnerPlanNotFound,
    PlannedLearning,
    ProgressNote,
    validated_content,
    validated_note,
)
from openlrs.domain.learners.learner import Learner, LearnerStatus
from openlrs.services.ports import UnitOfWork


@dataclass(frozen=True)
class SavePlan:
    uln: str
    goals: tuple[str, ...]
    planned: tuple[PlannedLearning, ...]
    expected_version: int | None = None
    """The version read (None to create the plan); a stale version is a VersionConflict."""


@dataclass(frozen=True)
class AddNote:
    uln: str
    text: str


def _learner(uln: str, principal: Principal, uow: UnitOfWork) -> Learner:
    """The learner's current record, once the caller may see it: the desk, or an organisation
    with a relationship with the learner (or with a ULN merged into them)."""
    learner = uow.learners.get(parse_uln(uln))
    if learner is not None and learner.status is LearnerStatus.MERGED and learner.master_uln:
        learner = uow.learners.get(learner.master_uln) or learner
    if learner is None:
        raise LearnerNotFound()
    if Role.ADMIN not in principal.roles:
        related = uow.learners.relationships((learner.uln, *learner.linked_ulns), principal.ukprn)
        if not related:
            raise NotAuthorised("Your organisation has no relationship with this learner")
    return learner


def _audit(
    uow: UnitOfWork, principal: Principal, action: AuditAction, uln: str, outcome: str
) -> None:
    uow.audit.record(AuditEvent(principal.actor, principal.ukprn, action, uln=uln, outcome=outcome))


def get_plan(uln: str, *, principal: Principal, uow: UnitOfWork) -> LearnerPlan:
    """The learner's plan (LearnerPlanNotFound when there is none yet); the read is audited."""
    principal.require(PLAN_READ_ROLES)
    with uow:
        learner = _learner(uln, principal, uow)
        plan = uow.learner_plans.get(learner.uln)
        outcome = "found" if plan is not None else "not_found"
        _audit(uow, principal, AuditAction.LEARNER_PLAN_READ, learner.uln, outcome)
        uow.commit()
    if plan is None:
        raise LearnerPlanNotFound()
    return plan


def save_plan(command: SavePlan, *, principal: Principal, uow: UnitOfWork) -> LearnerPlan:
    """Create the plan, or replace its goals and planned learning as a new version."""
    principal.require(PLAN_WRITE_ROLES)
    goals, planned = validated_content(command.goals, command.planned)
    with uow:
        learner = _learner(command.uln, principal, uow)
        current = uow.learner_plans.get(learner.uln)
        version = current.version if current is not None else 0
        if command.expected_version is not None and command.expected_version != version:
            raise LearnerPlanChanged()
        plan = LearnerPlan(learner.uln, goals, planned, version, updated_by_ukprn=principal.ukprn)
        stored = uow.learner_plans.save(plan, actor=principal.actor)
        outcome = "created" if current is None else "updated"
        _audit(uow, principal, AuditAction.LEARNER_PLAN_SAVE, learner.uln, outcome)
        uow.commit()
    return stored


def add_note(command: AddNote, *, principal: Principal, uow: UnitOfWork) -> ProgressNote:
    """Add a progress note to the learner's plan (LearnerPlanNotFound when there is none)."""
    principal.require(PLAN_WRITE_ROLES)
    text = validated_note(command.text)
    with uow:
        learner = _learner(command.uln, principal, uow)
        if uow.learner_plans.get(learner.uln) is None:
            raise LearnerPlanNotFound()
        note = uow.learner_plans.add_note(
            learner.uln, ProgressNote(text, principal.ukprn), actor=principal.actor
        )
        _audit(uow, principal, AuditAction.LEARNER_PLAN_NOTE, learner.uln, "added")
        uow.commit()
    return note
