"""The matching engine: golden cases, decision rules, and no wrong exact after a single mistake."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from random import Random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openlrs.domain.learners.learner import Learner, LearnerDetails, LearnerStatus
from openlrs.domain.matching.engine import (
    Candidate,
    ScoredMatch,
    classify,
    decide,
    decision_floor,
    rank,
)
from openlrs.domain.matching.keys import blocking_keys, match_keys
from openlrs.domain.matching.model import NameFrequency
from openlrs.domain.matching.model_file import default_model
from openlrs.domain.matching.outcomes import MatchOutcome

from .mistakes import MISTAKES, POPULATION

MODEL = default_model()
GOLDEN = json.loads((Path(__file__).parent / "golden_cases.json").read_text(encoding="utf-8"))
BASE = LearnerDetails("Chloe", "Walker", dt.date(2010, 10, 10), 2, "BS5 6XX")
BY_KEY: dict[str, list[int]] = {}
for _i, _learner in enumerate(POPULATION):
    for _key in blocking_keys(_learner):
        BY_KEY.setdefault(_key, []).append(_i)


def details_from(data: dict[str, Any]) -> LearnerDetails:
    fields = {k: v for k, v in data.items() if k != "uln"}
    fields["date_of_birth"] = dt.date.fromisoformat(fields["date_of_birth"])
    return LearnerDetails(**fields)


def frequencies(data: dict[str, dict[str, float]]) -> NameFrequency:
    return lambda field, key: data.get(field, {}).get(key)


def learner(uln: str, **changes: Any) -> Learner:
    status = changes.pop("status", LearnerStatus.ACTIVE)
    master = changes.pop("master_uln", None)
    return Learner(uln, dataclasses.replace(BASE, **changes), status=status, master_uln=master)


def run(query: LearnerDetails, *candidates: Learner, **kwargs: Any) -> ScoredMatch:
    masters = kwargs.pop("masters", {})
    return classify(query, candidates, masters, MODEL, **kwargs)


@pytest.mark.parametrize("case", GOLDEN["cases"], ids=[c["name"] for c in GOLDEN["cases"]])
def test_golden_case(case: dict[str, Any]) -> None:
    register = [Learner(r["uln"], details_from(r)) for r in case["register"]]
    tf = frequencies(case["frequencies"]) if "frequencies" in case else None
    result = classify(details_from(case["query"]), register, {}, MODEL, tf=tf)
    assert result.outcome.value in case["outcomes"]
    if "first" in case:
        assert result.learners[0].uln == case["first"]


def test_exact_returns_the_one_learner_and_its_score() -> None:
    result = run(BASE, learner("1"), learner("2", given_name="Ben", gender=1))
    assert result.outcome is MatchOutcome.EXACT
    assert [x.uln for x in result.learners] == ["1"]
    assert len(result.scores) == 1 and result.scores[0].weight >= MODEL.thresholds.auto_match


def test_two_candidates_both_scoring_high_are_possible_ranked_best_first() -> None:
    result = run(BASE, learner("2", gender=0), learner("1"))
    assert result.outcome is MatchOutcome.POSSIBLE
    assert [x.uln for x in result.learners] == ["1", "2"]
    weights = [s.weight for s in result.scores]
    assert weights == sorted(weights, reverse=True)


def test_a_second_candidate_above_the_auto_match_weight_makes_both_possible() -> None:
    moved = learner("2", gender=0)  # the same learner registered twice
    assert run(BASE, learner("1"), moved).outcome is MatchOutcome.POSSIBLE
    assert run(BASE, learner("1"), learner("3", given_name="Ava")).outcome is MatchOutcome.EXACT


def test_a_gender_disagreement_is_never_exact() -> None:
    assert run(BASE, learner("1", gender=1)).outcome is MatchOutcome.POSSIBLE


def test_a_learner_merged_into_a_master_is_linked_to_the_master() -> None:
    master = learner("9", given_name="Chloé", postcode="LS6 2AB")
    merged = learner("1", status=LearnerStatus.MERGED, master_uln="9")
    result = run(BASE, merged, masters={"9": master})
    assert result.outcome is MatchOutcome.LINKED
    assert result.learners == (master,)


def test_a_merged_duplicate_of_the_best_candidate_does_not_block_an_exact_match() -> None:
    master = learner("9")
    merged = learner("1", status=LearnerStatus.MERGED, master_uln="9")
    result = run(BASE, merged, master, masters={"9": master})
    assert result.outcome in (MatchOutcome.EXACT, MatchOutcome.LINKED)
    assert result.learners == (master,)


def test_merged_records_are_left_out_of_possible_matches_when_others_remain() -> None:
    merged = learner("1", given_name="Chris", status=LearnerStatus.MERGED, master_uln="9")
    active = learner("2", given_name="Chris")
    result = run(BASE, merged, active)
    assert result.outcome is MatchOutcome.POSSIBLE
    assert [x.uln for x in result.learners] == ["2"]


def test_more_possible_matches_than_allowed_is_too_many() -> None:
    candidates = [learner(str(i), given_name=name) for i, name in enumerate(("Ann", "Bea", "Cat"))]
    assert run(BASE, *candidates, max_possible=2).outcome is MatchOutcome.TOO_MANY
    assert run(BASE, *candidates, max_possible=3).outcome is MatchOutcome.POSSIBLE


def test_no_candidates_is_no_match() -> None:
    result = run(BASE)
    assert (result.outcome, result.learners, result.scores) == (MatchOutcome.NO_MATCH, (), ())


def test_the_same_candidate_given_twice_is_counted_once() -> None:
    assert run(BASE, learner("1"), learner("1")).outcome is MatchOutcome.EXACT


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(POPULATION), st.sampled_from(sorted(MISTAKES)), st.randoms())
def test_a_single_mistake_never_gives_no_match_or_a_stranger(
    true: LearnerDetails, mistake: str, rng: Random
) -> None:
    query = MISTAKES[mistake](true, rng)
    if query is None:
        return
    found = {i for key in blocking_keys(query) for i in BY_KEY.get(key, ())}
    strangers = [POPULATION[i] for i in sorted(found) if POPULATION[i] is not true]
    register = [Learner("TRUE", true)] + [Learner(f"S{i}", p) for i, p in enumerate(strangers)]
    result = classify(query, register, {}, MODEL, max_possible=len(register))
    assert result.outcome is not MatchOutcome.NO_MATCH, mistake
    if result.outcome is MatchOutcome.EXACT:
        assert result.learners[0].uln == "TRUE", mistake


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(POPULATION),
    st.sampled_from(sorted(MISTAKES)),
    st.randoms(),
    st.floats(min_value=1e-7, max_value=0.2),
)
def test_ranking_above_the_decision_floor_keeps_every_candidate_that_can_change_the_outcome(
    true: LearnerDetails, mistake: str, rng: Random, share: float
) -> None:
    """Leaving out candidates that cannot reach the floor (most before their given names are
    compared) changes neither the candidates above it, nor their weights, nor the decision."""
    query = MISTAKES[mistake](true, rng) or true
    found = {i for key in blocking_keys(query) for i in BY_KEY.get(key, ())}
    candidates = [Candidate.of(Learner(f"L{i:05d}", POPULATION[i])) for i in sorted(found)]
    keys = match_keys(query)
    names = (keys.given_key, keys.family_key, f"{keys.given_key} {keys.family_key}")
    tf = frequencies(
        {
            "given_name": {names[0]: share},
            "family_name": {names[1]: share / 3},
            "full_name": {names[2]: share / 50},
        }
    )
    floor = decision_floor(MODEL)
    full = rank(keys, candidates, MODEL, tf)
    pruned = rank(keys, candidates, MODEL, tf, floor=floor)
    assert [r for r in full if r.weight >= floor] == [r for r in pruned if r.weight >= floor]
    assert decide(full, MODEL) == decide(pruned, MODEL)
