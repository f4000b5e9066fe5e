"""Properties of re-aggregation: arrival order never matters, withdrawals undo, U never helps."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from openlrs.domain.diploma.diploma_engine import evaluate
from openlrs.domain.diploma.diploma_rules import Component, DiplomaRules
from openlrs.domain.diploma.results import ComponentResult, with_result, without_result
from tests.builders import EVERY_PLTS, component_result, rules_and_results


def _fold(results: list[ComponentResult]) -> dict[str, ComponentResult]:
    live: dict[str, ComponentResult] = {}
    for r in results:
        live = with_result(live, r)
    return live


@settings(max_examples=200, deadline=None)
@given(rules_and_results(), st.randoms(use_true_random=False), st.integers(0, 12))
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
@given(rules_and_results(), st.data())
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
@given(rules_and_results(), st.sampled_from(list(Component)), st.sampled_from(("U", "X")))
def test_adding_an_unclassified_or_absent_result_never_raises_the_grade(
    account: tuple[DiplomaRules, list[ComponentResult]], component: Component, grade: str
) -> None:
    rules, results = account
    (number,) = rules.principal_learning.qualifications
    before = evaluate(rules, results)
    failed = component_result(
        "failed", component, qualification=number, level=rules.qcf_level, grade=grade
    )
    after = evaluate(rules, [*results, failed])
    assert _rank(rules, after.trial_grade) >= _rank(rules, before.trial_grade)
    assert (after.points or 0) <= (before.points or 0)
    assert not (after.complete and not before.complete)
