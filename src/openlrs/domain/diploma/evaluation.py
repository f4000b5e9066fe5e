"""What an evaluation of a Diploma account says: each requirement's status, and the trial grade."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class RequirementStatus(StrEnum):
    MET = "met"
    MISSING = "missing"
    """Nothing that counts yet; results still to come may satisfy it."""
    NOT_MET = "not_met"
    """Results on the account fail it (unclassified, wrong level, barred...): a new result is needed."""


@dataclass(frozen=True)
class Requirement:
    name: str
    """A stable id: principal_learning, project, functional_skill:english, work_experience, plts, asl."""
    status: RequirementStatus
    detail: str
    counted: tuple[str, ...] = ()
    """The references of the results that satisfy it."""


@dataclass(frozen=True)
class DiplomaEvaluation:
    requirements: tuple[Requirement, ...]
    trial_grade: str | None
    """From principal learning + project points; None until both have passed."""
    points: int | None
    """Principal learning + project points: for the Diploma awarding body, never on a transcript."""

    @property
    def complete(self) -> bool:
        return all(r.status is RequirementStatus.MET for r in self.requirements)

    @property
    def achievable(self) -> bool:
        """Nothing on the account stands in the way: each unmet requirement can still be met by
        results yet to come, without replacing one already there."""
        return not any(r.status is RequirementStatus.NOT_MET for r in self.requirements)

    @property
    def missing(self) -> tuple[Requirement, ...]:
        return tuple(r for r in self.requirements if r.status is not RequirementStatus.MET)

    def counted(self) -> tuple[str, ...]:
        return tuple(ref for r in self.requirements for ref in r.counted)
