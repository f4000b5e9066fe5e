"""The synthetic population: deterministic, realistically distributed, and always valid."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter

import pytest

from openlrs.domain.learners.demographics import age_on, validate_learner_details
from openlrs.domain.learners.learner import Gender, LearnerDetails
from openlrs.domain.postcodes import DUMMY_POSTCODE, normalise_postcode, postcode_district
from openlrs.synth import generate_learners

TODAY = dt.date(2025, 9, 1)


@pytest.fixture(scope="module")
def population() -> tuple[LearnerDetails, ...]:
    return tuple(generate_learners(5000, seed=20250901, today=TODAY))


def test_the_same_seed_gives_the_same_learners() -> None:
    first = list(generate_learners(300, seed=7, today=TODAY))
    assert first == list(generate_learners(300, seed=7, today=TODAY))


def test_a_different_seed_gives_different_learners() -> None:
    first = list(generate_learners(300, seed=7, today=TODAY))
    other = list(generate_learners(300, seed=8, today=TODAY))
    assert sum(a == b for a, b in zip(first, other, strict=True)) == 0


def test_learners_stream_one_at_a_time_and_the_count_is_exact() -> None:
    head = list(itertools.islice(generate_learners(10**12, seed=1, today=TODAY), 3))
    assert len(head) == 3
    assert len(list(generate_learners(37, seed=1, today=TODAY))) == 37
    assert list(generate_learners(0, seed=1, today=TODAY)) == []


def test_a_negative_count_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        generate_learners(-1, seed=1, today=TODAY)


def test_smith_is_among_the_commonest_family_names(population: tuple[LearnerDetails, ...]) -> None:
    counts = Counter(learner.family_name for learner in population)
    assert "Smith" in [name for name, _ in counts.most_common(3)]
    assert len(counts) > 300  # a long tail, not a handful of names


def test_a_few_family_names_are_double_barrelled(population: tuple[LearnerDetails, ...]) -> None:
    hyphenated = sum("-" in learner.family_name for learner in population)
    assert 0.01 * len(population) < hyphenated < 0.06 * len(population)


def test_given_names_suit_the_gender_and_about_40_percent_have_middle_names(
    population: tuple[LearnerDetails, ...],
) -> None:
    boys = Counter(p.given_name for p in population if p.gender == Gender.MALE)
    girls = Counter(p.given_name for p in population if p.gender == Gender.FEMALE)
    assert "Jack" in boys and "Jack" not in girls
    assert "Olivia" in girls and "Olivia" not in boys
    with_middle = sum(learner.middle_names is not None for learner in population)
    assert 0.35 < with_middle / len(population) < 0.47
    assert any(learner.preferred_given_name for learner in population)


def test_genders_are_mostly_1_and_2_with_a_few_0_and_9(
    population: tuple[LearnerDetails, ...],
) -> None:
    counts = Counter(int(learner.gender) for learner in population)
    assert set(counts) == {0, 1, 2, 9}
    assert counts[1] + counts[2] > 0.95 * len(population)


@pytest.mark.parametrize("today", [TODAY, dt.date(2024, 2, 29)])
def test_ages_are_14_to_25_and_mostly_under_20(today: dt.date) -> None:
    ages = [age_on(p.date_of_birth, today) for p in generate_learners(3000, seed=3, today=today)]
    assert min(ages) == 14
    assert max(ages) == 25
    assert sum(age <= 19 for age in ages) > 0.6 * len(ages)


def test_postcodes_are_valid_and_clustered_in_districts(
    population: tuple[LearnerDetails, ...],
) -> None:
    assert all(normalise_postcode(p.postcode) == p.postcode for p in population)
    dummies = sum(p.postcode == DUMMY_POSTCODE for p in population)
    assert 0 < dummies < 0.02 * len(population)
    districts = Counter(postcode_district(p.postcode) for p in population)
    del districts["ZZ99"]
    assert len(districts) < len(population) / 20
    assert districts.most_common()[0][1] > 3 * districts.most_common()[-1][1]


def test_schools_emails_and_addresses_appear_for_some_learners(
    population: tuple[LearnerDetails, ...],
) -> None:
    over_16 = [p for p in population if age_on(p.date_of_birth, TODAY) >= 16]
    with_school = sum(p.school_at_16 is not None for p in over_16)
    assert 0.6 < with_school / len(over_16) < 0.8
    assert all(p.school_at_16 is None for p in population if age_on(p.date_of_birth, TODAY) < 16)
    emails = [p.email for p in population if p.email is not None]
    assert 0.4 < len(emails) / len(population) < 0.6
    assert all(email == email.lower() for email in emails)
    assert {email.rpartition("@")[2] for email in emails} <= {
        "example.org",
        "example.net",
        "example.com",
    }
    with_address = sum(p.address_line_1 is not None for p in population)
    assert 0.4 < with_address / len(population) < 0.6


def test_every_learner_passes_the_field_rules_already_normalised() -> None:
    for learner in generate_learners(2000, seed=11, today=TODAY):
        assert validate_learner_details(learner, today=TODAY) == learner
