"""A learner's plan: their goals, the learning planned with its dates, and progress notes.

One plan per learner, kept with their record: it follows them from one prison education provider
to the next (decision 0026). Goals and planned learning are replaced together as a new version;
progress notes are only ever added.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from openlrs.domain.accounts.organisations import Role
from openlrs.domain.errors import DomainError, FieldError, ValidationFailed

GOALS_MAX = 20
GOAL_MAX_LENGTH = 200
PLANNED_MAX = 30
TITLE_MAX_LENGTH = 150
NOTE_MAX_LENGTH = 2000

PLAN_WRITE_ROLES = frozenset({Role.LRB, Role.LRB_ADMIN})
"""Trainers at a provider with a relationship with the learner create and maintain the plan."""
PLAN_READ_ROLES = frozenset({Role.LRB, Role.LRB_ADMIN, Role.ADMIN})
"""The same providers, and the service desk (support), read it."""


class LearnerPlanNotFound(DomainError):
    code = "LEARNER_PLAN_NOT_FOUND"
    title = "This learner has no learner plan yet"
    status = 404


class LearnerPlanChanged(DomainError):
    code = "LEARNER_PLAN_CHANGED"
    title = "The learner plan has changed since you read it: read it again and reapply your change"
    status = 409


class PlannedStatus(StrEnum):
    PLANNED = "planned"
    STARTED = "started"
    COMPLETED = "completed"
    STOPPED = "stopped"


@dataclass(frozen=True)
class PlannedLearning:
    title: str
    start_date: dt.date
    end_date: dt.date
    status: PlannedStatus = PlannedStatus.PLANNED


@dataclass(frozen=True)
class ProgressNote:
    text: str
    written_by_ukprn: str
    written_at: dt.datetime | None = None


@dataclass(frozen=True)
class LearnerPlan:
    uln: str
    goals: tuple[str, ...]
    planned: tuple[PlannedLearning, ...]
    version: int = 1
    notes: tuple[ProgressNote, ...] = field(default_factory=tuple)
    updated_by_ukprn: str = ""
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None


def validated_content(
    goals: tuple[str, ...], planned: tuple[PlannedLearning, ...]
) -> tuple[tuple[str, ...], tuple[PlannedLearning, ...]]:
    """Goals and planned learning tidied (blank goals dropped), or every problem at once."""
    errors: list[FieldError] = []
    kept = tuple(g.strip() for g in goals if g.strip())
    if not kept:
        errors.append(FieldError("goals", "FIELD_REQUIRED", "Enter at least one goal"))
    if len(kept) > GOALS_MAX:
        errors.append(FieldError("goals", "GOALS_TOO_MANY", f"Enter {GOALS_MAX} goals or fewer"))
    if any(len(g) > GOAL_MAX_LENGTH for g in kept):
        message = f"Each goal must be {GOAL_MAX_LENGTH} characters or fewer"
        errors.append(FieldError("goals", "GOAL_TOO_LONG", message))
    if len(planned) > PLANNED_MAX:
        message = f"A plan can hold {PLANNED_MAX} pieces of planned learning or fewer"
        errors.append(FieldError("planned", "PLANNED_TOO_MANY", message))
    tidied = []
    for item in planned:
        errors.extend(planned_problems(item))
        tidied.append(
            PlannedLearning(item.title.strip(), item.start_date, item.end_date, item.status)
        )
    if errors:
        raise ValidationFailed(errors)
    return kept, tuple(tidied)


def planned_problems(item: PlannedLearning) -> list[FieldError]:
    """What is wrong with one piece of planned learning (field names as the form's)."""
    errors = []
    title = item.title.strip()
    if not title:
        errors.append(FieldError("title", "FIELD_REQUIRED", "Enter what the learner will study"))
    elif len(title) > TITLE_MAX_LENGTH:
        message = f"What the learner will study must be {TITLE_MAX_LENGTH} characters or fewer"
        errors.append(FieldError("title", "TITLE_TOO_LONG", message))
    if item.end_date < item.start_date:
        message = "The planned end date must be the same as or after the start date"
        errors.append(FieldError("end_date", "END_BEFORE_START", message))
    return errors


def validated_note(text: str) -> str:
    note = text.strip()
    if not note:
        raise ValidationFailed([FieldError("note", "FIELD_REQUIRED", "Enter the progress note")])
    if len(note) > NOTE_MAX_LENGTH:
        message = f"The progress note must be {NOTE_MAX_LENGTH} characters or fewer"
        raise ValidationFailed([FieldError("note", "NOTE_TOO_LONG", message)])
    return note
