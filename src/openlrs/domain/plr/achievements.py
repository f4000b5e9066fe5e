"""Learning events on a Personal Learning Record: achievements from awarding organisations and
participation (enrolments on a learning aim) from providers, and the state changes they go through.

An event is identified to its sender by a natural key, so a re-sent event is recognised, not
duplicated: (type, sender's UKPRN, ULN, qualification/unit/aim, award date or start date).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from openlrs.domain.errors import FieldError, ValidationFailed
from openlrs.domain.identifiers import is_valid_qualification_number, is_valid_unit_reference
from openlrs.domain.plr.errors import LearningEventStateConflict, QualificationNotOwned
from openlrs.domain.plr.qualifications import Qualification, Unit

GRADE_MAX = 20
EARLIEST = dt.date(1950, 1, 1)
_LEARNING_AIM = re.compile(r"[A-Z0-9]{8}")


class EventType(StrEnum):
    ACHIEVEMENT = "achievement"
    PARTICIPATION = "participation"


class SubjectKind(StrEnum):
    QUALIFICATION = "qualification"
    UNIT = "unit"
    LEARNING_AIM = "learning_aim"


class EventStatus(StrEnum):
    ACHIEVED = "achieved"
    ACTIVE = "active"
    """Participation under way (no end date yet)."""
    COMPLETED = "completed"
    """Participation ended."""
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class LearningEvent:
    id: str
    uln: str
    event_type: EventType
    ukprn: str
    """Who recorded it: the awarding organisation, or the provider for participation."""
    subject_kind: SubjectKind
    subject: str
    subject_title: str
    qualification_type: str
    level: str
    status: EventStatus
    grade: str | None = None
    credits: int | None = None
    award_date: dt.date | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    status_before_withdrawal: EventStatus | None = None
    source: str = "api"
    under_challenge: bool = False
    version: int = 1
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    recorded_uln: str | None = None
    """The ULN the sender recorded it under, when a merge or split has since moved it (or it
    was sent to a merged ULN): its natural key keeps that ULN, so moving never changes it."""

    @property
    def natural_key(self) -> str:
        when = self.award_date if self.event_type is EventType.ACHIEVEMENT else self.start_date
        uln = self.recorded_uln or self.uln
        return f"{self.event_type}|{self.ukprn}|{uln}|{self.subject}|{when}"

    def same_content(self, other: LearningEvent) -> bool:
        """True when a re-sent event says nothing new (its id, version and times aside)."""
        keep = ("id", "version", "created_at", "updated_at", "source", "under_challenge")
        mine = {k: v for k, v in dataclasses.asdict(self).items() if k not in keep}
        theirs = {k: v for k, v in dataclasses.asdict(other).items() if k not in keep}
        return mine == theirs


@dataclass(frozen=True)
class AchievementDetails:
    """What an AO sends: a qualification number or unit reference, the grade and the award date."""

    subject: str
    award_date: dt.date
    grade: str | None = None
    credits: int | None = None


@dataclass(frozen=True)
class ParticipationDetails:
    """What a provider sends: the learning aim, its start and (once known) its end."""

    learning_aim: str
    start_date: dt.date
    end_date: dt.date | None = None
    title: str | None = None


def subject_kind_of(subject: str) -> SubjectKind:
    """A unit reference (A/123/4567) or else a qualification number."""
    return (
        SubjectKind.UNIT if is_valid_unit_reference(subject.strip()) else SubjectKind.QUALIFICATION
    )


def _date_errors(field: str, day: dt.date | None, today: dt.date) -> list[FieldError]:
    if day is None:
        return [FieldError(field, "FIELD_REQUIRED", f"Enter the {field.replace('_', ' ')}")]
    if day < EARLIEST or day > today:
        message = f"The {field.replace('_', ' ')} must be from {EARLIEST} to today"
        return [FieldError(field, "DATE_OUT_OF_RANGE", message)]
    return []


def validated_achievement(details: AchievementDetails, *, today: dt.date) -> AchievementDetails:
    """Shape checks of an achievement (ownership and the register are the service's)."""
    errors: list[FieldError] = []
    subject = details.subject.strip().upper()
    if not (is_valid_qualification_number(subject) or is_valid_unit_reference(subject)):
        message = "Give a qualification number (123/4567/8) or a unit reference (A/123/4567)"
        errors.append(FieldError("subject", "SUBJECT_INVALID", message))
    errors += _date_errors("award_date", details.award_date, today)
    grade = " ".join(details.grade.split()) if details.grade else None
    if grade is not None and (len(grade) > GRADE_MAX or not grade.isprintable()):
        message = f"A grade is up to {GRADE_MAX} printable characters"
        errors.append(FieldError("grade", "GRADE_INVALID", message))
    if details.credits is not None and not 0 <= details.credits <= 1000:
        errors.append(FieldError("credits", "FIELD_INVALID", "Credits must be from 0 to 1000"))
    if errors:
        raise ValidationFailed(errors)
    return AchievementDetails(subject, details.award_date, grade, details.credits)


def validated_participation(
    details: ParticipationDetails, *, today: dt.date
) -> ParticipationDetails:
    errors: list[FieldError] = []
    aim = details.learning_aim.strip().upper()
    if not (aim.isascii() and _LEARNING_AIM.fullmatch(aim)):
        message = "A learning aim reference is 8 letters and digits, e.g. 60012345"
        errors.append(FieldError("learning_aim", "LEARNING_AIM_INVALID", message))
    errors += _date_errors("start_date", details.start_date, today)
    if (
        details.end_date is not None
        and details.start_date
        and details.end_date < details.start_date
    ):
        message = "The end date is before the start date"
        errors.append(FieldError("end_date", "DATE_ORDER_INVALID", message))
    title = " ".join(details.title.split())[:255] if details.title else None
    if errors:
        raise ValidationFailed(errors)
    return ParticipationDetails(aim, details.start_date, details.end_date, title)


def require_awardable(subject: Qualification | Unit, ukprn: str) -> None:
    """QUALIFICATION_NOT_OWNED unless the AO owns the qualification/unit or may share it."""
    if not subject.may_be_awarded_by(ukprn):
        raise QualificationNotOwned()


def achievement_event(
    event_id: str,
    uln: str,
    ukprn: str,
    subject: Qualification | Unit,
    details: AchievementDetails,
    *,
    source: str,
) -> LearningEvent:
    """A new achievement, its title, type and level taken from the register."""
    credits: int | None
    if isinstance(subject, Unit):
        kind, code, qtype, credits = SubjectKind.UNIT, subject.reference, "QCF unit", subject.credit
    else:
        kind, code, qtype = SubjectKind.QUALIFICATION, subject.number, subject.qualification_type
        credits = subject.credit
    return LearningEvent(
        id=event_id,
        uln=uln,
        event_type=EventType.ACHIEVEMENT,
        ukprn=ukprn,
        subject_kind=kind,
        subject=code,
        subject_title=subject.title,
        qualification_type=qtype,
        level=subject.level,
        status=EventStatus.ACHIEVED,
        grade=details.grade,
        credits=details.credits if details.credits is not None else credits,
        award_date=details.award_date,
        source=source,
    )


def participation_event(
    event_id: str, uln: str, ukprn: str, details: ParticipationDetails, *, source: str
) -> LearningEvent:
    status = EventStatus.COMPLETED if details.end_date else EventStatus.ACTIVE
    return LearningEvent(
        id=event_id,
        uln=uln,
        event_type=EventType.PARTICIPATION,
        ukprn=ukprn,
        subject_kind=SubjectKind.LEARNING_AIM,
        subject=details.learning_aim,
        subject_title=details.title or details.learning_aim,
        qualification_type="learning aim",
        level="",
        status=status,
        start_date=details.start_date,
        end_date=details.end_date,
        source=source,
    )


def withdrawn(event: LearningEvent) -> LearningEvent:
    if event.status is EventStatus.WITHDRAWN:
        raise LearningEventStateConflict("The learning event is already withdrawn")
    return dataclasses.replace(
        event, status=EventStatus.WITHDRAWN, status_before_withdrawal=event.status
    )


def reinstated(event: LearningEvent) -> LearningEvent:
    """The event as it was before it was withdrawn: every field restored, the status too."""
    if event.status is not EventStatus.WITHDRAWN:
        raise LearningEventStateConflict("Only a withdrawn learning event can be reinstated")
    status = event.status_before_withdrawal or EventStatus.ACHIEVED
    return dataclasses.replace(event, status=status, status_before_withdrawal=None)


def corrected(event: LearningEvent, details: AchievementDetails) -> LearningEvent:
    """An achievement with a new grade, award date or credits (same qualification or unit)."""
    if event.status is EventStatus.WITHDRAWN:
        raise LearningEventStateConflict("Reinstate the learning event before changing it")
    return dataclasses.replace(
        event,
        grade=details.grade,
        award_date=details.award_date,
        credits=details.credits if details.credits is not None else event.credits,
    )


class LearnerRecord(NamedTuple):
    """One learner's record as a PLR read needs it, read at once: whether they (and every ULN
    merged into them) share it, its version, and its events."""

    shares: bool
    version: int
    events: list[LearningEvent]
