"""The re-registration error model and hard negatives: realistic, deterministic, always valid."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections import Counter

import jellyfish
import pytest

from openlrs.domain.learners.demographics import name_key, validate_learner_details
from openlrs.domain.learners.learner import Gender, LearnerDetails
from openlrs.domain.postcodes import DUMMY_POSTCODE, normalise_postcode, postcode_district
from openlrs.synth import (
    DEFAULT_ERROR_MODEL,
    ErrorModel,
    ErrorType,
    apply,
    corrupt,
    generate_learners,
    hard_negatives,
    namesakes,
    reregistrations,
    twins,
)

TODAY = dt.date(2025, 9, 1)
ROBERT = LearnerDetails(
    given_name="Robert",
    family_name="Smith",
    date_of_birth=dt.date(2009, 3, 12),
    gender=Gender.MALE,
    postcode="LS6 2AB",
    middle_names="James",
    email="robert.smith@example.org",
    address_line_1="12 Hyde Park Road",
    town="Leeds",
    school_at_16="Leeds Academy",
)


@pytest.fixture(scope="module")
def population() -> tuple[LearnerDetails, ...]:
    return tuple(generate_learners(1500, seed=20250901, today=TODAY))


def _results(details: LearnerDetails, error: ErrorType, tries: int = 200) -> list[LearnerDetails]:
    """What `apply` makes of one record over many seeds (never None here)."""
    results = [apply(details, error, random.Random(seed)) for seed in range(tries)]
    assert all(result is not None for result in results)
    return [result for result in results if result is not None]


def _changed(before: LearnerDetails, after: LearnerDetails) -> set[str]:
    return {
        f.name
        for f in dataclasses.fields(before)
        if getattr(before, f.name) != getattr(after, f.name)
    }


# --- Determinism and the model ---------------------------------------------------------------------


def test_the_same_seed_gives_the_same_reregistrations(
    population: tuple[LearnerDetails, ...],
) -> None:
    first = list(reregistrations(population, 300, seed=7))
    assert first == list(reregistrations(population, 300, seed=7))
    assert first != list(reregistrations(population, 300, seed=8))
    assert corrupt(ROBERT, random.Random(3)) == corrupt(ROBERT, random.Random(3))


def test_every_error_type_has_a_rate_and_bad_models_are_refused() -> None:
    assert all(0 < DEFAULT_ERROR_MODEL.rate(error) < 1 for error in ErrorType)
    with pytest.raises(ValueError, match="between 0 and 1"):
        ErrorModel(typo=1.5)
    with pytest.raises(ValueError, match="max_errors"):
        ErrorModel(max_errors=-1)


def test_a_model_without_errors_changes_nothing() -> None:
    assert corrupt(ROBERT, random.Random(1), ErrorModel.only()) == (ROBERT, ())


def test_reregistrations_refuse_a_negative_count_or_an_empty_population() -> None:
    with pytest.raises(ValueError, match="negative"):
        reregistrations([ROBERT], -1, seed=1)
    with pytest.raises(ValueError, match="empty"):
        reregistrations([], 1, seed=1)
    assert list(reregistrations([], 0, seed=1)) == []


def test_every_reregistration_passes_the_field_rules(
    population: tuple[LearnerDetails, ...],
) -> None:
    for index, noisy, errors in reregistrations(population, 3000, seed=11):
        assert 0 <= index < len(population)
        assert validate_learner_details(noisy, today=TODAY, min_age=12, max_age=100) == noisy
        assert (noisy == population[index]) == (errors == ())


@pytest.mark.parametrize("error", list(ErrorType))
def test_each_error_alone_keeps_records_valid(
    population: tuple[LearnerDetails, ...], error: ErrorType
) -> None:
    rng = random.Random(error.value)
    applied = 0
    for learner in population[:300]:
        noisy = apply(learner, error, rng)
        if noisy is not None:
            applied += 1
            assert noisy != learner
            assert validate_learner_details(noisy, today=TODAY, min_age=12, max_age=100) == noisy
    assert applied > 0


def test_error_rates_roughly_follow_the_model(population: tuple[LearnerDetails, ...]) -> None:
    results = list(reregistrations(population, 3000, seed=5))
    counts = Counter(error for _, _, errors in results for error in errors)
    moved = counts[ErrorType.POSTCODE_SAME_DISTRICT] + counts[ErrorType.POSTCODE_ELSEWHERE]
    assert 0.16 < moved / 3000 < 0.24
    assert 0.07 < counts[ErrorType.TYPO] / 3000 < 0.13
    assert 0.04 < counts[ErrorType.NICKNAME] / 3000 < 0.09
    assert set(counts) == set(ErrorType)
    per_record = Counter(len(errors) for _, _, errors in results)
    assert per_record[0] > 0.35 * 3000
    assert per_record[0] + per_record[1] + per_record[2] > 0.95 * 3000
    assert max(per_record) <= DEFAULT_ERROR_MODEL.max_errors


def test_a_model_can_force_one_error_at_a_chosen_rate(
    population: tuple[LearnerDetails, ...],
) -> None:
    model = ErrorModel.only(ErrorType.TYPO, rate=0.5)
    results = list(reregistrations(population, 1000, seed=3, model=model))
    assert {errors for _, _, errors in results} == {(), (ErrorType.TYPO,)}
    assert 0.44 < sum(bool(errors) for _, _, errors in results) / 1000 < 0.56


# --- Each error does what it says -------------------------------------------------------------------


def test_a_nickname_replaces_the_given_name() -> None:
    names = Counter(result.given_name for result in _results(ROBERT, ErrorType.NICKNAME))
    assert {"Bob", "Rob"} <= set(names)
    assert names["Bob"] + names["Rob"] + names["Robbie"] + names["Bobby"] > 100
    liz = dataclasses.replace(ROBERT, given_name="Liz", gender=Gender.FEMALE, middle_names=None)
    assert "Elizabeth" in {result.given_name for result in _results(liz, ErrorType.NICKNAME)}
    olivia = dataclasses.replace(ROBERT, given_name="Olivia", preferred_given_name="Liv")
    assert "Liv" in {result.given_name for result in _results(olivia, ErrorType.NICKNAME)}
    assert (
        apply(dataclasses.replace(ROBERT, given_name="Xqzt"), ErrorType.NICKNAME, random.Random(1))
        is None
    )


def test_a_phonetic_spelling_sounds_alike() -> None:
    smiths = {
        r.family_name
        for r in _results(ROBERT, ErrorType.PHONETIC_SPELLING)
        if r.family_name != "Smith"
    }
    assert "Smyth" in smiths
    mohammed = dataclasses.replace(ROBERT, given_name="Mohammed", family_name="Xqzt")
    spellings = {r.given_name for r in _results(mohammed, ErrorType.PHONETIC_SPELLING)}
    assert {"Muhammad", "Mohamed"} <= spellings
    katherine = dataclasses.replace(ROBERT, given_name="Katherine")
    assert "Catherine" in {r.given_name for r in _results(katherine, ErrorType.PHONETIC_SPELLING)}
    assert all(name_key(name) != "SMITH" for name in smiths)


@pytest.mark.parametrize("error", [ErrorType.TYPO, ErrorType.OCR_CONFUSION])
def test_typos_and_misreadings_change_one_name_a_little(error: ErrorType) -> None:
    for result in _results(ROBERT, error):
        (field,) = _changed(ROBERT, result)
        assert field in {"given_name", "family_name", "middle_names"}
        before, after = getattr(ROBERT, field), getattr(result, field)
        limit = 1 if error == ErrorType.TYPO else 2
        assert 1 <= jellyfish.damerau_levenshtein_distance(before.lower(), after.lower()) <= limit


def test_typos_are_mostly_keyboard_neighbours_not_random_letters() -> None:
    substitutions = 0
    neighbours = 0
    for result in _results(ROBERT, ErrorType.TYPO, tries=400):
        (field,) = _changed(ROBERT, result)
        before, after = getattr(ROBERT, field).lower(), getattr(result, field).lower()
        if len(before) == len(after):
            diffs = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
            if len(diffs) == 1:
                substitutions += 1
                neighbours += diffs[0][1] in "qwertyuiopasdfghjklzxcvbnm" and diffs[0] in _ADJACENT
    assert substitutions > 50
    assert neighbours == substitutions


_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_ADJACENT = {
    (a, b)
    for r, row in enumerate(_ROWS)
    for i, a in enumerate(row)
    for b in row[max(i - 1, 0) : i + 2]
    + (_ROWS[r - 1][i : i + 2] if r else "")
    + (_ROWS[r + 1][max(i - 1, 0) : i + 1] if r < 2 else "")
    if a != b
}


def test_given_and_middle_names_swap_or_the_middle_name_is_used() -> None:
    swapped = apply(ROBERT, ErrorType.GIVEN_MIDDLE_SWAP, random.Random(1))
    assert swapped is not None
    assert (swapped.given_name, swapped.middle_names) == ("James", "Robert")
    used = apply(ROBERT, ErrorType.MIDDLE_AS_GIVEN, random.Random(1))
    assert used is not None
    assert (used.given_name, used.middle_names) == ("James", None)
    no_middle = dataclasses.replace(ROBERT, middle_names=None)
    assert apply(no_middle, ErrorType.GIVEN_MIDDLE_SWAP, random.Random(1)) is None
    assert apply(no_middle, ErrorType.MIDDLE_AS_GIVEN, random.Random(1)) is None


def test_given_and_family_names_swap() -> None:
    swapped = apply(ROBERT, ErrorType.GIVEN_FAMILY_SWAP, random.Random(1))
    assert swapped is not None
    assert (swapped.given_name, swapped.family_name) == ("Smith", "Robert")


def test_a_family_name_change_sometimes_records_the_previous_name() -> None:
    results = _results(ROBERT, ErrorType.FAMILY_NAME_CHANGE)
    assert all(
        r.family_name != "Smith" and r.previous_family_name in (None, "Smith") for r in results
    )
    assert 50 < sum(r.previous_family_name == "Smith" for r in results) < 150
    married = dataclasses.replace(ROBERT, family_name="Jones", previous_family_name="Smith")
    reverted = {r.family_name for r in _results(married, ErrorType.FAMILY_NAME_CHANGE)}
    assert "Smith" in reverted


def test_hyphenation_adds_a_second_family_name_and_partial_drops_one() -> None:
    for result in _results(ROBERT, ErrorType.HYPHENATION):
        first, second = result.family_name.split("-")
        assert "Smith" in (first, second) and first != second
    double = dataclasses.replace(ROBERT, family_name="Smith-Jones")
    assert apply(double, ErrorType.HYPHENATION, random.Random(1)) is None
    parts = {r.family_name for r in _results(double, ErrorType.PARTIAL_FAMILY_NAME)}
    assert parts == {"Smith", "Jones"}
    assert apply(ROBERT, ErrorType.PARTIAL_FAMILY_NAME, random.Random(1)) is None


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("O'Neill", {"ONeill", "O Neill"}),
        ("ONeill", {"O'Neill"}),
        ("Zoë", {"Zoe"}),
        ("Zoe", {"Zoë"}),
    ],
)
def test_punctuation_and_accents_come_and_go(before: str, after: set[str]) -> None:
    learner = LearnerDetails(
        given_name=before,
        family_name=before,
        date_of_birth=dt.date(2009, 3, 12),
        gender=2,
        postcode="LS6 2AB",
    )
    results = _results(learner, ErrorType.PUNCTUATION_ACCENT)
    names = {r.given_name for r in results} | {r.family_name for r in results}
    assert names - {before} == after
    assert apply(ROBERT, ErrorType.PUNCTUATION_ACCENT, random.Random(1)) is None


def test_day_and_month_swap_only_when_the_day_could_be_a_month() -> None:
    swapped = apply(ROBERT, ErrorType.DAY_MONTH_SWAP, random.Random(1))
    assert swapped is not None and swapped.date_of_birth == dt.date(2009, 12, 3)
    for day in (dt.date(2009, 3, 13), dt.date(2009, 3, 3)):
        learner = dataclasses.replace(ROBERT, date_of_birth=day)
        assert apply(learner, ErrorType.DAY_MONTH_SWAP, random.Random(1)) is None


def test_a_dob_digit_error_changes_one_digit_and_the_year_by_at_most_one() -> None:
    before = f"{ROBERT.date_of_birth:%d%m%Y}"
    for result in _results(ROBERT, ErrorType.DOB_DIGIT):
        after = f"{result.date_of_birth:%d%m%Y}"
        assert jellyfish.damerau_levenshtein_distance(before, after) == 1
        assert abs(result.date_of_birth.year - 2009) <= 1


def test_postcode_moves_stay_in_the_district_or_go_elsewhere() -> None:
    for result in _results(ROBERT, ErrorType.POSTCODE_SAME_DISTRICT):
        assert postcode_district(result.postcode) == "LS6" and result.postcode != "LS6 2AB"
        assert result.town == "Leeds" and result.address_line_1 != "12 Hyde Park Road"
    elsewhere = _results(ROBERT, ErrorType.POSTCODE_ELSEWHERE)
    assert all(postcode_district(r.postcode) not in (None, "LS6", "ZZ99") for r in elsewhere)
    assert len({r.town for r in elsewhere}) > 10
    for result in _results(ROBERT, ErrorType.POSTCODE_TYPO):
        assert normalise_postcode(result.postcode) == result.postcode != "LS6 2AB"
    dummy = dataclasses.replace(ROBERT, postcode=DUMMY_POSTCODE)
    assert apply(dummy, ErrorType.POSTCODE_SAME_DISTRICT, random.Random(1)) is None
    assert apply(dummy, ErrorType.POSTCODE_DUMMY, random.Random(1)) is None
    assert _results(ROBERT, ErrorType.POSTCODE_DUMMY, tries=1)[0].postcode == DUMMY_POSTCODE


def test_missing_fields_and_misrecorded_gender() -> None:
    for result in _results(ROBERT, ErrorType.MISSING_OPTIONAL):
        assert all(getattr(result, field) is None for field in _changed(ROBERT, result))
    bare = LearnerDetails("Robert", "Smith", dt.date(2009, 3, 12), Gender.MALE, "LS6 2AB")
    assert apply(bare, ErrorType.MISSING_OPTIONAL, random.Random(1)) is None
    genders = {r.gender for r in _results(ROBERT, ErrorType.GENDER_MISRECORDED)}
    assert genders == {Gender.FEMALE, Gender.NOT_KNOWN, Gender.NOT_SPECIFIED}


# --- Hard negatives --------------------------------------------------------------------------------


def test_twins_share_family_name_birthday_and_home_but_not_given_name() -> None:
    same_sex = 0
    for seed in range(200):
        twin = twins(ROBERT, random.Random(seed))
        assert (twin.family_name, twin.date_of_birth, twin.postcode) == (
            "Smith",
            ROBERT.date_of_birth,
            "LS6 2AB",
        )
        assert (twin.address_line_1, twin.school_at_16) == (
            ROBERT.address_line_1,
            ROBERT.school_at_16,
        )
        assert name_key(twin.given_name) not in ("ROBERT", "ROB", "BOB")
        same_sex += twin.gender == Gender.MALE
    assert 100 < same_sex < 190


def test_namesakes_share_name_and_birthday_but_live_elsewhere() -> None:
    for seed in range(100):
        other = namesakes(ROBERT, random.Random(seed), TODAY)
        assert (other.given_name, other.family_name, other.date_of_birth) == (
            "Robert",
            "Smith",
            ROBERT.date_of_birth,
        )
        assert postcode_district(other.postcode) != "LS6"
        assert other.school_at_16 != ROBERT.school_at_16


def test_hard_negatives_are_deterministic_valid_and_of_both_kinds(
    population: tuple[LearnerDetails, ...],
) -> None:
    results = list(hard_negatives(population, 600, seed=4, today=TODAY))
    assert results == list(hard_negatives(population, 600, seed=4, today=TODAY))
    assert 250 < Counter(kind for _, _, kind in results)["twin"] < 350
    for index, other, kind in results:
        original = population[index]
        assert validate_learner_details(other, today=TODAY, min_age=12, max_age=100) == other
        assert other.date_of_birth == original.date_of_birth
        assert other.family_name == original.family_name
        if kind == "twin":
            assert other.postcode == original.postcode and other.given_name != original.given_name
        else:
            assert other.given_name == original.given_name and other.postcode != original.postcode
    namesake_families = Counter(
        population[i].family_name for i, _, kind in results if kind == "namesake"
    )
    assert namesake_families["Smith"] > 10  # namesakes are of common names
