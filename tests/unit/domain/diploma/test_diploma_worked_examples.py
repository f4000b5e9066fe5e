"""Worked examples: a Diploma at each level achieved, and refused for the right reason."""

from __future__ import annotations

import datetime as dt

import pytest

from openlrs.domain.diploma.diploma_engine import evaluate
from openlrs.domain.diploma.evaluation import DiplomaEvaluation, RequirementStatus
from openlrs.domain.diploma.rule_files import diploma_rules
from tests.builders import (
    EVERY_PLTS,
    asl_result,
    complete_results,
    functional_skill_result,
    principal_learning_result,
    project_result,
)


def _status(evaluation: DiplomaEvaluation, name: str) -> tuple[RequirementStatus, str]:
    (requirement,) = [r for r in evaluation.requirements if r.name == name]
    return requirement.status, requirement.detail


@pytest.mark.parametrize(
    ("level", "pl_grade", "project_grade", "trial_grade", "points"),
    [
        ("foundation", "A", "A", "A", 155),
        ("higher", "B", "A*", "B", 240),
        ("progression", "C", "D", "D", 230),  # the project pulls a C down to D
        ("advanced", "A*", "A", "A", 410),
    ],
)
def test_each_diploma_level_is_complete_with_its_trial_grade(
    level: str, pl_grade: str, project_grade: str, trial_grade: str, points: int
) -> None:
    rules = diploma_rules("engineering", level)
    evaluation = evaluate(
        rules,
        complete_results(rules, pl_grade, project_grade),
        work_experience_days=10,
        plts=EVERY_PLTS,
    )
    assert evaluation.complete, evaluation.missing
    assert evaluation.achievable
    assert evaluation.points == points
    assert evaluation.trial_grade == trial_grade


def _advanced_with(*changes: object, days: int = 10) -> DiplomaEvaluation:
    """A complete Advanced Engineering account, with the named results swapped in by reference."""
    rules = diploma_rules("engineering", "advanced")
    results = {r.reference: r for r in complete_results(rules, "B", "B")}
    for change in changes:
        results[change.reference] = change  # type: ignore[attr-defined]
    return evaluate(rules, results.values(), work_experience_days=days, plts=EVERY_PLTS)


def test_a_barred_asl_pair_counts_only_once_so_the_glh_fall_short() -> None:
    # Two 180-GLH ASL qualifications sharing barring code 1000: only one counts, 180 of 360.
    evaluation = _advanced_with(asl_result("asl-two", 180, 3, code="1000"))
    status, detail = _status(evaluation, "asl")
    assert not evaluation.complete
    assert status is RequirementStatus.NOT_MET
    assert "180 of the 360 GLH" in detail
    assert "shares barring code 1000" in detail
    assert evaluation.trial_grade == "B"  # the trial grade is still shown to the awarding body


def test_asl_in_the_lines_own_subject_does_not_count() -> None:
    evaluation = _advanced_with(asl_result("asl-two", 180, 3, code="9310"))
    status, detail = _status(evaluation, "asl")
    assert status is RequirementStatus.NOT_MET
    assert "overlaps the Diploma's other learning" in detail


def test_asl_below_the_diplomas_level_or_before_2005_does_not_count() -> None:
    low = _advanced_with(asl_result("asl-two", 180, 2, code="2000"))
    assert "below level 3" in _status(low, "asl")[1]
    old = _advanced_with(
        asl_result("asl-two", 180, 3, code="2000", achieved_on=dt.date(2004, 12, 31))
    )
    assert "before 1 January 2005" in _status(old, "asl")[1]
    assert not low.complete and not old.complete


def test_a_functional_skill_at_the_wrong_level_does_not_count() -> None:
    rules = diploma_rules("engineering", "higher")
    results = [r for r in complete_results(rules, "A", "A") if r.subject != "mathematics"]
    results.append(functional_skill_result("mathematics", 1))
    evaluation = evaluate(rules, results, work_experience_days=10, plts=EVERY_PLTS)
    status, detail = _status(evaluation, "functional_skill:mathematics")
    assert status is RequirementStatus.NOT_MET
    assert detail == "Functional skills mathematics passed at level 1; this Diploma needs level 2"
    assert not evaluation.complete and not evaluation.achievable


def test_a_functional_skill_above_the_level_needed_counts() -> None:
    rules = diploma_rules("engineering", "foundation")
    results = [r for r in complete_results(rules, "A", "A") if r.subject != "english"]
    results.append(functional_skill_result("english", 2))
    assert evaluate(rules, results, work_experience_days=10, plts=EVERY_PLTS).complete


def test_nine_days_of_work_experience_is_not_enough() -> None:
    evaluation = _advanced_with(days=9)
    status, detail = _status(evaluation, "work_experience")
    assert status is RequirementStatus.MISSING
    assert detail == "9 of the 10 days of work experience recorded"
    assert not evaluation.complete and evaluation.achievable


def test_unrecorded_plts_are_named() -> None:
    rules = diploma_rules("creative-and-media", "progression")
    evaluation = evaluate(
        rules,
        complete_results(rules, "A", "A"),
        work_experience_days=10,
        plts=frozenset({"team_working", "self_management"}),
    )
    status, detail = _status(evaluation, "plts")
    assert status is RequirementStatus.MISSING
    assert "creative_thinking" in detail and "team_working" not in detail


def test_unclassified_principal_learning_needs_a_resit_and_gives_no_trial_grade() -> None:
    rules = diploma_rules("engineering", "advanced")
    evaluation = _advanced_with(principal_learning_result(rules, "U"))
    status, detail = _status(evaluation, "principal_learning")
    assert status is RequirementStatus.NOT_MET
    assert "a resit is needed" in detail
    assert evaluation.trial_grade is None and not evaluation.achievable


def test_a_resit_counts_its_best_grade() -> None:
    rules = diploma_rules("engineering", "advanced")
    evaluation = _advanced_with(principal_learning_result(rules, "C", ref="pl-resit"))
    assert evaluation.complete
    assert evaluation.trial_grade == "B"  # the first sitting's B beats the resit's C


def test_a_grade_c_is_a_fail_for_foundation_principal_learning() -> None:
    rules = diploma_rules("engineering", "foundation")
    results = [r for r in complete_results(rules, "A", "A") if r.reference != "pl"]
    results.append(principal_learning_result(rules, "C"))
    evaluation = evaluate(rules, results, work_experience_days=10, plts=EVERY_PLTS)
    assert _status(evaluation, "principal_learning")[0] is RequirementStatus.NOT_MET


def test_a_project_at_another_level_does_not_count() -> None:
    rules = diploma_rules("engineering", "advanced")
    evaluation = _advanced_with(project_result(rules, "A*", level=2))
    status, detail = _status(evaluation, "project")
    assert status is RequirementStatus.NOT_MET
    assert detail == "Project at level 2; this Diploma needs level 3"


def test_a_progression_diploma_asks_for_no_asl() -> None:
    rules = diploma_rules("information-technology", "progression")
    evaluation = evaluate(
        rules, complete_results(rules, "E", "E"), work_experience_days=10, plts=EVERY_PLTS
    )
    assert "asl" not in {r.name for r in evaluation.requirements}
    assert evaluation.complete and evaluation.trial_grade == "E"


def test_an_empty_account_lists_everything_missing_and_is_achievable() -> None:
    evaluation = evaluate(diploma_rules("engineering", "higher"), [])
    assert {r.status for r in evaluation.requirements} == {RequirementStatus.MISSING}
    assert len(evaluation.missing) == 8
    assert evaluation.achievable and evaluation.trial_grade is None
