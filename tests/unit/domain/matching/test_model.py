"""The match model file, Fellegi-Sunter scoring, name frequencies and explanations."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from pathlib import Path
from random import Random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openlrs.domain.learners.learner import LearnerDetails
from openlrs.domain.matching.comparison import LEVELS
from openlrs.domain.matching.model import probability, score
from openlrs.domain.matching.model_file import (
    default_model,
    load_model,
    model_from_dict,
    model_to_dict,
    save_model,
)

from .mistakes import MISTAKES, POPULATION

MODEL = default_model()
BASE = LearnerDetails("Olivia", "Smith", dt.date(2009, 3, 12), 2, "B11 1AA")


def details(**changes: Any) -> LearnerDetails:
    return dataclasses.replace(BASE, **changes)


def test_the_shipped_model_is_versioned_and_covers_every_level() -> None:
    assert MODEL.version == "2026-12-06.3"
    for field, levels in LEVELS.items():
        assert set(MODEL.fields[field]) == set(levels)
    limits = MODEL.thresholds
    assert limits.possible < limits.auto_match and limits.margin > 0


def test_each_level_weighs_log2_m_over_u() -> None:
    exact = MODEL.fields["date_of_birth"]["exact"]
    assert MODEL.weight("date_of_birth", "exact") == pytest.approx(math.log2(exact.m / exact.u))
    assert MODEL.weight("gender", "unknown") == 0
    assert MODEL.weight("postcode", "missing") == 0


def test_a_model_file_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    save_model(MODEL, path)
    assert load_model(path) == MODEL


def test_a_model_file_missing_a_level_is_refused(tmp_path: Path) -> None:
    data = model_to_dict(MODEL)
    del data["fields"]["given_name"]["nickname"]
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match=r"given_name\.nickname"):
        load_model(path)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"version": ""}, "version"),
        ({"prior": 1.5}, "prior"),
        ({"thresholds": {"auto_match": 1, "possible": 5, "margin": 1}}, "possible"),
    ],
)
def test_a_malformed_model_is_refused(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        model_from_dict({**model_to_dict(MODEL), **change})


def test_the_score_is_prior_plus_field_weights_and_gives_a_probability() -> None:
    result = score(BASE, BASE, MODEL)
    assert result.weight == pytest.approx(
        result.prior_weight + sum(part.weight for part in result.explanation)
    )
    assert result.probability == pytest.approx(probability(result.weight))
    assert result.probability > 0.999
    assert probability(-5000) == pytest.approx(0, abs=1e-12) and probability(5000) == 1.0


def test_a_common_name_is_worth_less_than_a_rare_one_within_bounds() -> None:
    common = score(BASE, BASE, MODEL, lambda field, key: 0.02 if key == "SMITH" else None)
    rare = score(BASE, BASE, MODEL, lambda field, key: 1e-7 if key == "SMITH" else None)
    plain = score(BASE, BASE, MODEL)
    assert common.weight < plain.weight < rare.weight
    assert rare.weight - plain.weight == pytest.approx(MODEL.term_frequency.max_increase)
    family = next(part for part in common.explanation if part.field == "family_name")
    assert family.sentence.startswith("Family name: the same (Smith, a common name) ")


def test_names_that_go_together_are_worth_less_than_their_parts_suggest() -> None:
    query = details(given_name="Mohammed", family_name="Khan", gender=1)
    known = {"MOHAMMED": 0.004, "KHAN": 0.006, "MOHAMMED KHAN": 0.0006}
    with_pairing = score(query, query, MODEL, lambda field, key: known.get(key))
    without = score(query, query, MODEL, lambda field, key: None if " " in key else known.get(key))
    assert with_pairing.weight < without.weight
    full = [p for p in with_pairing.explanation if p.field == "full_name"]
    assert len(full) == 1 and "often found together" in full[0].sentence


def test_gender_not_known_or_not_specified_adds_nothing() -> None:
    for unstated in (0, 9):
        result = score(details(gender=unstated), BASE, MODEL)
        gender = next(part for part in result.explanation if part.field == "gender")
        assert (gender.level, gender.weight) == ("unknown", 0)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(POPULATION), st.sampled_from(sorted(MISTAKES)), st.randoms())
def test_explanations_never_show_the_date_of_birth(
    learner: LearnerDetails, mistake: str, rng: Random
) -> None:
    query = MISTAKES[mistake](learner, rng) or learner
    for dob in {query.date_of_birth, learner.date_of_birth}:
        forms = {dob.isoformat(), dob.strftime("%d/%m/%Y"), dob.strftime("%d%m%Y"), str(dob.year)}
        for part in score(query, learner, MODEL).explanation:
            assert not any(form in part.sentence for form in forms)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(POPULATION), st.sampled_from(sorted(MISTAKES)), st.randoms())
def test_a_record_scores_highest_against_itself(
    learner: LearnerDetails, mistake: str, rng: Random
) -> None:
    changed = MISTAKES[mistake](learner, rng)
    if changed is not None:
        assert score(learner, learner, MODEL).weight >= score(changed, learner, MODEL).weight


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(POPULATION),
    st.sampled_from(POPULATION),
    st.sampled_from(sorted(MISTAKES)),
    st.randoms(),
)
def test_scores_are_symmetric(
    a: LearnerDetails, b: LearnerDetails, mistake: str, rng: Random
) -> None:
    changed = MISTAKES[mistake](a, rng) or a
    assert score(a, b, MODEL).weight == pytest.approx(score(b, a, MODEL).weight)
    assert score(a, changed, MODEL).weight == pytest.approx(score(changed, a, MODEL).weight)
