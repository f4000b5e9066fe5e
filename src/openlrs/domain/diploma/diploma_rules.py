"""A Diploma's rules of combination (one line of learning at one level), as loaded from its file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class DiplomaLevel(StrEnum):
    FOUNDATION = "foundation"
    HIGHER = "higher"
    PROGRESSION = "progression"
    ADVANCED = "advanced"


class Component(StrEnum):
    """What a result counts towards."""

    PRINCIPAL_LEARNING = "principal_learning"
    PROJECT = "project"
    FUNCTIONAL_SKILL = "functional_skill"
    ASL = "asl"


FUNCTIONAL_SKILLS = ("english", "mathematics", "ict")
PLTS = (
    "independent_enquiry",
    "creative_thinking",
    "reflective_learning",
    "team_working",
    "self_management",
    "effective_participation",
)
"""The six personal, learning and thinking skills a centre records."""


@dataclass(frozen=True)
class GradedComponent:
    """Principal learning or the project: the qualifications accepted, their level, and the points
    each passing grade earns (a grade missing from `points` is a fail)."""

    qualifications: frozenset[str]
    level: int
    points: Mapping[str, int]

    def passes(self, grade: str) -> bool:
        return grade in self.points


@dataclass(frozen=True)
class AslRule:
    """Additional and specialist learning: GLH to reach, the lowest level that counts, and the
    earliest achievement date that counts."""

    min_glh: int
    min_level: int
    earliest: dt.date


@dataclass(frozen=True)
class DiplomaRules:
    line: str
    """The line of learning's slug, e.g. `engineering`."""
    line_title: str
    level: DiplomaLevel
    qcf_level: int
    qualification: str
    """The Diploma's own qualification number: what its award is recorded as on the PLR."""
    principal_learning: GradedComponent
    project: GradedComponent
    functional_skills: Mapping[str, int]
    """Subject -> the lowest level that counts."""
    work_experience_days: int
    plts: frozenset[str]
    asl: AslRule | None
    """None where the Diploma has no ASL (Progression)."""
    barring_codes: frozenset[str]
    """Barring codes that never count as ASL here (they overlap principal learning)."""
    grade_thresholds: tuple[tuple[str, int], ...]
    """(grade, minimum principal learning + project points), best grade first."""
    illustrative: bool
    note: str = ""

    @property
    def key(self) -> str:
        return f"{self.line}/{self.level.value}"

    @property
    def grades(self) -> tuple[str, ...]:
        """The Diploma grades this level can award, best first, then U."""
        return (*(grade for grade, _ in self.grade_thresholds), "U")

    @property
    def title(self) -> str:
        """`Higher Diploma in Engineering`."""
        return f"{self.level.value.capitalize()} Diploma in {self.line_title}"

    def grade_for(self, points: int) -> str:
        """The Diploma grade `points` reach; U below the lowest threshold."""
        for grade, minimum in self.grade_thresholds:
            if points >= minimum:
                return grade
        return "U"
