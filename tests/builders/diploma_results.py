"""Diploma component results for the aggregation rules: a complete set, single results to vary
it, and random accounts (a Diploma and results of every kind) for property tests."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from openlrs.domain.diploma.diploma_rules import PLTS, Component, DiplomaRules
from openlrs.domain.diploma.results import ComponentResult
from openlrs.domain.diploma.rule_files import all_diploma_rules

CAB = "10009999"
ON = dt.date(2026, 6, 30)
EVERY_PLTS = frozenset(PLTS)


def component_result(reference: str, component: Component, **fields: object) -> ComponentResult:
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


def principal_learning_result(rules: DiplomaRules, grade: str, ref: str = "pl") -> ComponentResult:
    (number,) = sorted(rules.principal_learning.qualifications)
    return component_result(
        ref,
        Component.PRINCIPAL_LEARNING,
        qualification=number,
        level=rules.qcf_level,
        grade=grade,
        glh=0,
    )


def project_result(rules: DiplomaRules, grade: str, level: int | None = None) -> ComponentResult:
    return component_result(
        "project", Component.PROJECT, level=level or rules.qcf_level, grade=grade
    )


def functional_skill_result(subject: str, level: int, grade: str = "PASS") -> ComponentResult:
    return component_result(
        f"fs-{subject}-{level}-{grade.lower()}",
        Component.FUNCTIONAL_SKILL,
        subject=subject,
        level=level,
        grade=grade,
    )


def asl_result(
    ref: str, glh: int, level: int, code: str | None = None, **fields: object
) -> ComponentResult:
    return component_result(
        ref, Component.ASL, level=level, glh=glh, grade="B", barring_code=code, **fields
    )


def complete_results(
    rules: DiplomaRules, pl_grade: str, project_grade: str
) -> list[ComponentResult]:
    """Everything the Diploma asks of the component awarding bodies, at the given grades."""
    results = [principal_learning_result(rules, pl_grade), project_result(rules, project_grade)]
    results += [
        functional_skill_result(s, level) for s, level in sorted(rules.functional_skills.items())
    ]
    if rules.asl is not None:
        half = rules.asl.min_glh // 2
        results += [
            asl_result("asl-one", half, rules.asl.min_level, code="1000"),
            asl_result("asl-two", rules.asl.min_glh - half, rules.asl.min_level, code="2000"),
        ]
    return results


EVERY_RULES = sorted(all_diploma_rules().values(), key=lambda r: r.key)
GRADES = ("A*", "A", "B", "C", "D", "E", "U", "X")


@st.composite
def rules_and_results(draw: st.DrawFn) -> tuple[DiplomaRules, list[ComponentResult]]:
    """A Diploma and a handful of results of every kind, each with its own reference."""
    rules = draw(st.sampled_from(EVERY_RULES))
    (number,) = rules.principal_learning.qualifications
    results = []
    for index in range(draw(st.integers(0, 10))):
        kind = draw(st.sampled_from(list(Component)))
        ref = f"r{index}"
        if kind is Component.PRINCIPAL_LEARNING:
            grade = draw(st.sampled_from(GRADES))
            results.append(
                component_result(
                    ref, kind, qualification=number, level=rules.qcf_level, grade=grade
                )
            )
        elif kind is Component.PROJECT:
            level = draw(st.integers(1, 3))
            grade = draw(st.sampled_from(GRADES))
            results.append(component_result(ref, kind, level=level, grade=grade))
        elif kind is Component.FUNCTIONAL_SKILL:
            subject = draw(st.sampled_from(("english", "mathematics", "ict")))
            fs = functional_skill_result(
                subject, draw(st.integers(1, 2)), draw(st.sampled_from(("PASS", "FAIL")))
            )
            results.append(
                component_result(ref, kind, subject=fs.subject, level=fs.level, grade=fs.grade)
            )
        else:
            code = draw(st.sampled_from((None, "1000", "2000", "9310")))
            glh = draw(st.sampled_from((60, 120, 180)))
            results.append(asl_result(ref, glh, draw(st.integers(1, 3)), code))
    return rules, results
