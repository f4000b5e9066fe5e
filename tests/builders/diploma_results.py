"""Results for worked examples: a complete Diploma account, and single results to vary it."""

from __future__ import annotations

import dataclasses
import datetime as dt

from openlrs.domain.diploma.diploma_rules import PLTS, Component, DiplomaRules
from openlrs.domain.diploma.results import ComponentResult

CAB = "10009999"
ON = dt.date(2026, 6, 30)
EVERY_PLTS = frozenset(PLTS)


def result(reference: str, component: Component, **fields: object) -> ComponentResult:
    values: dict[str, object] = {
        "reference": reference,
        "awarding_body": CAB,
        "component": component,
        "qualification": "500/9999/9",
        "title": reference.replace("-", " ").capitalize(),
        "level": 1,
        "grade": "PASS",
        "achieved_on": ON,
    }
    values.update(fields)
    return ComponentResult(**values)  # type: ignore[arg-type]


def principal_learning(rules: DiplomaRules, grade: str, ref: str = "pl") -> ComponentResult:
    (number,) = sorted(rules.principal_learning.qualifications)
    return result(
        ref,
        Component.PRINCIPAL_LEARNING,
        qualification=number,
        level=rules.qcf_level,
        grade=grade,
        glh=0,
    )


def project(rules: DiplomaRules, grade: str, level: int | None = None) -> ComponentResult:
    return result("project", Component.PROJECT, level=level or rules.qcf_level, grade=grade)


def functional_skill(subject: str, level: int, grade: str = "PASS") -> ComponentResult:
    return result(
        f"fs-{subject}-{level}-{grade.lower()}",
        Component.FUNCTIONAL_SKILL,
        subject=subject,
        level=level,
        grade=grade,
    )


def asl(
    ref: str, glh: int, level: int, code: str | None = None, **fields: object
) -> ComponentResult:
    return result(ref, Component.ASL, level=level, glh=glh, grade="B", barring_code=code, **fields)


def complete_results(
    rules: DiplomaRules, pl_grade: str, project_grade: str
) -> list[ComponentResult]:
    """Everything the Diploma asks of the component awarding bodies, at the given grades."""
    results = [principal_learning(rules, pl_grade), project(rules, project_grade)]
    results += [functional_skill(s, level) for s, level in sorted(rules.functional_skills.items())]
    if rules.asl is not None:
        half = rules.asl.min_glh // 2
        results += [
            asl("asl-one", half, rules.asl.min_level, code="1000"),
            asl("asl-two", rules.asl.min_glh - half, rules.asl.min_level, code="2000"),
        ]
    return results


def replaced(result_: ComponentResult, **changes: object) -> ComponentResult:
    return dataclasses.replace(result_, **changes)  # type: ignore[arg-type]
