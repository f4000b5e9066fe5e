"""Re-aggregate a Diploma account: evaluate its live results against the rules of combination.

A pure function of the set of results (plus the centre's work experience and PLTS): the order in
which results arrived never matters. Where several results could count for one requirement, the
best counts (a resit), ties broken by reference, so the choice is the same whatever the order.
"""

from __future__ import annotations

from collections.abc import Iterable

from openlrs.domain.diploma.asl import evaluate_asl
from openlrs.domain.diploma.diploma_rules import Component, DiplomaRules, GradedComponent
from openlrs.domain.diploma.evaluation import DiplomaEvaluation, Requirement
from openlrs.domain.diploma.evaluation import RequirementStatus as S
from openlrs.domain.diploma.results import ComponentResult


def component_points(rule: GradedComponent, result: ComponentResult) -> int:
    """The result's weighted points, or the rule's points for its grade; 0 for a fail."""
    if not rule.passes(result.grade):
        return 0
    return result.points if result.points is not None else rule.points[result.grade]


def _best(rule: GradedComponent, results: list[ComponentResult]) -> ComponentResult:
    return min(
        results,
        key=lambda r: (-component_points(rule, r), -rule.points.get(r.grade, -1), r.reference),
    )


def _graded(
    name: str, label: str, rule: GradedComponent, results: list[ComponentResult]
) -> tuple[Requirement, int]:
    """Principal learning or the project: (requirement, points of the result that counts)."""
    if not results:
        return Requirement(name, S.MISSING, f"No {label} result yet"), 0
    wrong_qualification = [
        r for r in results if rule.qualifications and r.qualification not in rule.qualifications
    ]
    wrong_level = [r for r in results if r.level != rule.level and r not in wrong_qualification]
    eligible = [r for r in results if r not in wrong_qualification and r not in wrong_level]
    passing = [r for r in eligible if rule.passes(r.grade)]
    if passing:
        best = _best(rule, passing)
        detail = f"{best.title}: grade {best.grade}"
        return Requirement(name, S.MET, detail, (best.reference,)), component_points(rule, best)
    if eligible:
        grades = ", ".join(sorted({r.grade for r in eligible}))
        detail = f"{label.capitalize()} not passed (graded {grades}); a resit is needed"
    elif wrong_level:
        detail = f"{label.capitalize()} at level {wrong_level[0].level}; this Diploma needs level {rule.level}"
    else:
        detail = f"{wrong_qualification[0].qualification} is not {label} for this Diploma"
    return Requirement(name, S.NOT_MET, detail), 0


def _functional_skill(subject: str, level: int, results: list[ComponentResult]) -> Requirement:
    name = f"functional_skill:{subject}"
    mine = [r for r in results if r.subject == subject]
    passing = sorted(
        (r for r in mine if r.achieved and r.level >= level), key=lambda r: r.reference
    )
    if passing:
        return Requirement(
            name, S.MET, f"Functional skills {subject}: passed", (passing[0].reference,)
        )
    if not mine:
        return Requirement(name, S.MISSING, f"No functional skills {subject} result yet")
    low = [r for r in mine if r.achieved]
    if low:
        got = max(r.level for r in low)
        detail = (
            f"Functional skills {subject} passed at level {got}; this Diploma needs level {level}"
        )
    else:
        detail = f"Functional skills {subject} not passed; a resit is needed"
    return Requirement(name, S.NOT_MET, detail)


def _work_experience(days: int, needed: int) -> Requirement:
    if days >= needed:
        return Requirement("work_experience", S.MET, f"{days} days of work experience")
    return Requirement(
        "work_experience", S.MISSING, f"{days} of the {needed} days of work experience recorded"
    )


def _plts(recorded: frozenset[str], needed: frozenset[str]) -> Requirement:
    missing = sorted(needed - recorded)
    if not missing:
        return Requirement("plts", S.MET, "All six personal, learning and thinking skills recorded")
    return Requirement("plts", S.MISSING, "Not yet recorded: " + ", ".join(missing))


def evaluate(
    rules: DiplomaRules,
    results: Iterable[ComponentResult],
    *,
    work_experience_days: int = 0,
    plts: frozenset[str] = frozenset(),
) -> DiplomaEvaluation:
    """What is complete, what is missing, and the trial grade, from the live results."""
    by_component: dict[Component, list[ComponentResult]] = {c: [] for c in Component}
    for result in sorted(results, key=lambda r: r.reference):  # so every detail reads the same
        by_component[result.component].append(result)
    principal, pl_points = _graded(
        "principal_learning",
        "principal learning",
        rules.principal_learning,
        by_component[Component.PRINCIPAL_LEARNING],
    )
    project, project_points = _graded(
        "project", "project", rules.project, by_component[Component.PROJECT]
    )
    requirements = [principal, project]
    requirements += [
        _functional_skill(subject, level, by_component[Component.FUNCTIONAL_SKILL])
        for subject, level in sorted(rules.functional_skills.items())
    ]
    requirements += [
        _work_experience(work_experience_days, rules.work_experience_days),
        _plts(plts, rules.plts),
    ]
    if rules.asl is not None:
        counted = {ref for r in requirements for ref in r.counted}
        taken_codes = {
            r.barring_code
            for rs in by_component.values()
            for r in rs
            if r.reference in counted and r.barring_code
        }
        requirements.append(
            evaluate_asl(rules.asl, rules.barring_codes | taken_codes, by_component[Component.ASL])
        )
    graded = principal.status is S.MET and project.status is S.MET
    points = pl_points + project_points if graded else None
    trial = rules.grade_for(points) if points is not None else None
    return DiplomaEvaluation(tuple(requirements), trial, points)
