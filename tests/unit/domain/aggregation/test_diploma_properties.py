"""Properties of re-aggregation: arrival order never matters, withdrawals undo, U never helps."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from openlrs.domain.diploma.diploma_engine import evaluate
from openlrs.domain.diploma.diploma_rules import Component, DiplomaRules
from openlrs.domain.diploma.results import ComponentResult, with_result, without_result
from openlrs.domain.diploma.rule_files import all_diploma_rules
from tests.unit.domain.aggregation.builders import EVERY_PLTS, asl, functional_skill, result

RULES = sorted(all_diploma_rules().values(), key=lambda r: r.key)
GRADES = ("A*", "A", "B", "C", "D", "E", "U", "X")


@st.composite
def accounts(draw: st.DrawFn) -> tuple[DiplomaRules, list[ComponentResult]]:
    """A Diploma and a handful of results of every kind, each with its own reference."""
    rules = draw(st.sampled_from(RULES))
    (number,) = rules.principal_learning.qualifications
    results = []
    for index in range(draw(st.integers(0, 10))):
        kind = draw(st.sampled_from(list(Component)))
        ref = f"r{index}"
        if kind is Component.PRINCIPAL_LEARNING:
            grade = draw(st.sampled_from(GRADES))
            results.append(
                result(ref, kind, qualification=number, level=rules.qcf_level, grade=grade)
            )
        elif kind is Component.PROJECT:
            level = draw(st.integers(1, 3))
            results.append(result(ref, kind, level=level, grade=draw(st.sampled_from(GRADES))))
        elif kind is Component.FUNCTIONAL_SKILL:
            subject = draw(st.sampled_from(("english", "mathematics", "ict")))
            fs = functional_skill(
                subject, draw(st.integers(1, 2)), draw(st.sampled_from(("PASS", "FAIL")))
            )
            results.append(result(ref, kind, subject=fs.subject, level=fs.level, grade=fs.grade))
        else:
            code = draw(st.sampled_from((None, "1000", "2000", "9310")))
            results.append(
                asl(ref, draw(st.sampled_from((60, 120, 180))), draw(st.integers(1, 3)), code)
            )
    return rules, results


def _fold(results: list[ComponentResult]) -> dict[str, ComponentResult]:
    live: dict[str, ComponentResult] = {}
    for r in results:
        live = with_result(live, r)
    return live


@settings(max_examples=200, deadline=None)
@given(accounts(), st.randoms(use_true_random=False), st.integers(0, 12))
def test_the_outcome_is_the_same_whatever_order_results_arrive_in(
    account: tuple[DiplomaRules, list[ComponentResult]], random: object, days: int
) -> None:
    rules, results = account
    shuffled = list(results)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    first = evaluate(rules, _fold(results).values(), work_experience_days=days, plts=EVERY_PLTS)
    again = evaluate(rules, _fold(shuffled).values(), work_experience_days=days, plts=EVERY_PLTS)
    assert first == again


@settings(max_examples=200, deadline=None)
@given(accounts(), st.data())
def test_withdrawing_a_result_then_re_adding_it_returns_to_the_same_state(
    account: tuple[DiplomaRules, list[ComponentResult]], data: st.DataObject
) -> None:
    rules, results = account
    live = _fold(results)
    before = evaluate(rules, live.values())
    if not results:
        return
    chosen = data.draw(st.sampled_from(results))
    withdrawn = without_result(live, chosen.reference)
    assert evaluate(rules, withdrawn.values()) == evaluate(
        rules, _fold([r for r in results if r is not chosen]).values()
    )
    restored = with_result(withdrawn, chosen)
    assert restored == live
    assert evaluate(rules, restored.values()) == before


def _rank(rules: DiplomaRules, grade: str | None) -> int:
    return len(rules.grades) if grade is None else rules.grades.index(grade)


@settings(max_examples=200, deadline=None)
@given(accounts(), st.sampled_from(list(Component)), st.sampled_from(("U", "X")))
def test_adding_an_unclassified_or_absent_result_never_raises_the_grade(
    account: tuple[DiplomaRules, list[ComponentResult]], component: Component, grade: str
) -> None:
    rules, results = account
    (number,) = rules.principal_learning.qualifications
    before = evaluate(rules, results)
    failed = result("failed", component, qualification=number, level=rules.qcf_level, grade=grade)
    after = evaluate(rules, [*results, failed])
    assert _rank(rules, after.trial_grade) >= _rank(rules, before.trial_grade)
    assert (after.points or 0) <= (before.points or 0)
    assert not (after.complete and not before.complete)
