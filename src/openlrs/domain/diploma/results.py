"""A component result as a component awarding body submits it, and the account's live results."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace

from openlrs.domain.diploma.diploma_rules import Component
from openlrs.domain.diploma.levels import FAILED_GRADES


@dataclass(frozen=True)
class ComponentResult:
    """One result: `reference` is the awarding body's own id for it, unique within an account.

    `grade` is as awarded (A*-E, PASS, Merit, ...); U is unclassified, X absent, FAIL a failed
    functional skill. `points` are the weighted points, where the awarding body sends them."""

    reference: str
    awarding_body: str
    component: Component
    qualification: str
    title: str
    level: int
    grade: str
    achieved_on: dt.date
    points: int | None = None
    subject: str | None = None
    """english, mathematics or ict, for a functional skill."""
    glh: int = 0
    barring_code: str | None = None

    @property
    def achieved(self) -> bool:
        return self.grade.upper() not in FAILED_GRADES


_GRADE_WORDS = frozenset({"A*", "A", "B", "C", "D", "E", "U", "X", "PASS", "FAIL"})


def normal_grade(grade: str) -> str:
    """Letter grades, U, X, PASS and FAIL in capitals; other grade words (Merit...) as sent."""
    text = grade.strip()
    return text.upper() if text.upper() in _GRADE_WORDS else text


Results = Mapping[str, ComponentResult]
"""An account's live results, by reference."""


def with_result(results: Results, result: ComponentResult) -> dict[str, ComponentResult]:
    """The results after a submission: a reference submitted again replaces its earlier result."""
    return {**results, result.reference: replace(result)}


def without_result(results: Results, reference: str) -> dict[str, ComponentResult]:
    """The results after a withdrawal (nothing changes if the reference is not there)."""
    return {ref: r for ref, r in results.items() if ref != reference}
