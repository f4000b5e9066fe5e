"""Comparison levels for each field, and their symmetry."""

from __future__ import annotations

import dataclasses
import datetime as dt
from random import Random
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from openlrs.domain.learners.learner import LearnerDetails
from openlrs.domain.matching.comparison import (
    LEVELS,
    compare,
    compare_dob,
    compare_email,
    compare_gender,
    compare_school,
    swapped_date,
)
from openlrs.domain.matching.names import are_nicknames, is_short_form_misspelt

from .mistakes import MISTAKES, POPULATION

BASE = LearnerDetails("Olivia", "Smith", dt.date(2009, 3, 12), 2, "B11 1AA")


def details(**changes: Any) -> LearnerDetails:
    return dataclasses.replace(BASE, **changes)


def given_level(query: LearnerDetails, candidate: LearnerDetails) -> str:
    return compare(query, candidate).given_name


def family_level(query: LearnerDetails, candidate: LearnerDetails) -> str:
    return compare(query, candidate).family_name


@pytest.mark.parametrize(
    ("query", "candidate", "level"),
    [
        (details(given_name="Zoë"), details(given_name="ZOE"), "exact"),
        (details(given_name="Robert"), details(given_name="Bob"), "nickname"),
        (details(given_name="Bob"), details(given_name="Rob"), "nickname"),
        (details(given_name="Liz"), details(given_name="Elizabeth"), "nickname"),
        (
            details(given_name="Olivia"),
            details(given_name="Livvy", preferred_given_name="Olivia"),
            "nickname",
        ),
        (details(given_name="Rose"), details(given_name="Amy", middle_names="Rose"), "middle_name"),
        (details(given_name="Mary Ann"), details(given_name="Mary"), "middle_name"),
        (details(given_name="Mary-Kate"), details(given_name="Mary-Jane"), "somewhat_similar"),
        (details(given_name="Emily"), details(given_name="Emma"), "somewhat_similar"),
        (details(given_name="Katherine"), details(given_name="Kathrine"), "similar"),
        (details(given_name="Jack"), details(given_name="Jake"), "somewhat_similar"),
        (details(given_name="Kyls"), details(given_name="Kyle"), "similar"),
        (details(given_name="Lcuy"), details(given_name="Lucy"), "similar"),  # two exchanged
        (details(given_name="Oly"), details(given_name="Oliver"), "similar"),  # Olly, misspelt
        (details(given_name="Mo"), details(given_name="Muhammad"), "nickname"),
        (details(given_name="Bex"), details(given_name="Rebecca"), "nickname"),
        (details(given_name="J"), details(given_name="Jessica"), "initial"),
        (details(given_name="Amy"), details(given_name="Ava"), "different"),
    ],
)
def test_given_name_levels(query: LearnerDetails, candidate: LearnerDetails, level: str) -> None:
    assert given_level(query, candidate) == level
    assert given_level(candidate, query) == level


@pytest.mark.parametrize(
    ("query", "candidate", "level"),
    [
        (details(family_name="O'Neill"), details(family_name="ONeill"), "exact"),
        (details(family_name="Smith-Jones"), details(family_name="Smith Jones"), "exact"),
        (details(family_name="Jones", previous_family_name="Smith"), details(), "previous"),
        (details(family_name="Jones", family_name_at_16="Smith"), details(), "previous"),
        (details(family_name="Smith-Jones"), details(), "previous"),
        (details(family_name="Jones-Smith"), details(family_name="Smith-Jones"), "previous"),
        (details(family_name="Smyth"), details(), "similar"),
        (details(family_name="Thomson"), details(family_name="Thompson"), "similar"),
        (details(family_name="Smithers"), details(), "similar"),
        (details(family_name="Snitch"), details(), "somewhat_similar"),
        (details(family_name="Rarnett"), details(family_name="Barnett"), "similar"),
        (details(family_name="Patel"), details(), "different"),
    ],
)
def test_family_name_levels(query: LearnerDetails, candidate: LearnerDetails, level: str) -> None:
    assert family_level(query, candidate) == level
    assert family_level(candidate, query) == level


@pytest.mark.parametrize(
    ("given", "family"),
    [("Smith", "Olivai"), ("Smtih", "Olivia"), ("Smith", "Liv"), ("Smyth", "Olivia")],
)
def test_given_and_family_names_swapped_with_one_slip_or_short_form_are_swapped(
    given: str, family: str
) -> None:
    vector = compare(details(given_name=given, family_name=family), details())
    assert (vector.given_name, vector.family_name) == ("swapped", "swapped")


def test_names_swapped_with_both_misspelt_are_not_swapped() -> None:
    vector = compare(details(given_name="Smtih", family_name="Olivai"), details())
    assert vector.given_name != "swapped"


@pytest.mark.parametrize(
    ("a", "b"), [("LUCAWS", "LUKE"), ("JOHN", "JACK"), ("EMMA", "EMILY"), ("IVY", "AVA")]
)
def test_a_misspelt_short_form_never_links_separate_or_known_names(a: str, b: str) -> None:
    assert not is_short_form_misspelt(a, b)
    assert not is_short_form_misspelt(b, a)


def test_given_and_family_names_exactly_swapped_have_their_own_level() -> None:
    vector = compare(details(given_name="Smith", family_name="Olivia"), details())
    assert (vector.given_name, vector.family_name) == ("swapped", "swapped")
    same = compare(
        details(given_name="Lee", family_name="Lee"), details(given_name="Lee", family_name="Lee")
    )
    assert (same.given_name, same.family_name) == ("exact", "exact")


@pytest.mark.parametrize(
    ("other", "level"),
    [
        (dt.date(2009, 3, 12), "exact"),
        (dt.date(2009, 12, 3), "swapped"),
        (dt.date(2009, 3, 13), "one_digit"),
        (dt.date(2009, 3, 21), "one_digit"),
        (dt.date(2008, 3, 12), "one_digit"),
        (dt.date(2010, 3, 12), "year_off_by_one"),
        (dt.date(2011, 3, 12), "different"),
        (dt.date(2009, 7, 30), "different"),
    ],
)
def test_date_of_birth_levels(other: dt.date, level: str) -> None:
    assert compare_dob(dt.date(2009, 3, 12), other) == level
    assert compare_dob(other, dt.date(2009, 3, 12)) == level


def _one_place_or_adjacent_swap(a: str, b: str) -> bool:
    """The plain definition of a digit typo, position by position."""
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(diff) == 1:
        return True
    return (
        len(diff) == 2
        and diff[1] == diff[0] + 1
        and (a[diff[0]], a[diff[1]]) == (b[diff[1]], b[diff[0]])
    )


def _date_of(digits: str) -> dt.date | None:
    try:
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None


@settings(max_examples=500, deadline=None)
@given(st.dates(dt.date(1000, 1, 1), dt.date(9999, 12, 31)), st.data())
def test_a_digit_typo_is_one_digit_changed_or_two_neighbours_swapped(a: dt.date, data: Any) -> None:
    """Through compare_dob: a date whose eight digits (YYYYMMDD) differ from another's in one
    place, or by two neighbours swapped, is "one_digit" out, unless it is the same date or the
    day and month swapped; any other different date is not."""
    digits = f"{a.year:04d}{a.month:02d}{a.day:02d}"
    typed = data.draw(
        st.one_of(
            st.dates(dt.date(1000, 1, 1)).map(lambda d: f"{d.year:04d}{d.month:02d}{d.day:02d}"),
            st.integers(0, 7).flatmap(
                lambda i: st.sampled_from("0123456789").map(
                    lambda d: digits[:i] + d + digits[i + 1 :]
                )
            ),
            st.integers(0, 6).map(
                lambda i: digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
            ),
        )
    )
    b = _date_of(typed)
    assume(b is not None and b != a and b != swapped_date(a))
    assert b is not None
    is_typo = _one_place_or_adjacent_swap(digits, typed)
    assert (compare_dob(a, b) == "one_digit") == is_typo


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        (1, 1, "agree"),
        (2, 2, "agree"),
        (1, 2, "disagree"),
        (0, 1, "unknown"),
        (2, 9, "unknown"),
        (0, 0, "unknown"),
        (9, 9, "unknown"),
    ],
)
def test_gender_not_known_or_not_specified_neither_agrees_nor_disagrees(
    a: int, b: int, level: str
) -> None:
    assert compare_gender(a, b) == level


@pytest.mark.parametrize(
    ("postcode", "level"),
    [
        ("b111aa", "full"),
        ("B11 1XY", "sector"),
        ("B11 4XY", "district"),
        ("B12 1AA", "area"),
        ("LS1 4AP", "different"),
        ("ZZ99 9ZZ", "missing"),
        ("", "missing"),
        ("NOT A CODE", "missing"),
    ],
)
def test_postcode_levels(postcode: str, level: str) -> None:
    assert compare(details(postcode=postcode), details()).postcode == level


def test_school_and_email_are_same_different_or_missing() -> None:
    assert compare_school("St Mary's Catholic School", "ST MARYS catholic school") == "same"
    assert compare_school("Oakwood Academy", "Highfield Academy") == "different"
    assert compare_school(None, "Oakwood Academy") == "missing"
    assert compare_email(" Olivia.Smith@Example.org", "olivia.smith@example.org") == "same"
    assert compare_email("a@example.org", "b@example.org") == "different"
    assert compare_email("", "b@example.org") == "missing"


def test_nicknames_are_symmetric_and_case_blind() -> None:
    assert are_nicknames("ROBERT", "BOB") and are_nicknames("BOB", "ROBERT")
    assert are_nicknames("BOB", "ROB") and are_nicknames("liz", "Elizabeth")
    assert not are_nicknames("AMY", "AVA")


@pytest.mark.parametrize(("a", "b"), [("EMILY", "EMMA"), ("HARRY", "HENRY"), ("AARON", "ERIN")])
def test_names_given_today_as_separate_names_are_not_nicknames(a: str, b: str) -> None:
    assert not are_nicknames(a, b) and not are_nicknames(b, a)


def test_every_level_produced_is_a_declared_level() -> None:
    rng = Random(5)
    for learner in POPULATION[:200]:
        for mistake in MISTAKES.values():
            changed = mistake(learner, rng)
            if changed is not None:
                for field, level in compare(changed, learner).items():
                    assert level in LEVELS[field]


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(POPULATION),
    st.sampled_from(POPULATION),
    st.sampled_from(sorted(MISTAKES)),
    st.randoms(),
)
def test_comparison_is_symmetric(
    a: LearnerDetails, b: LearnerDetails, mistake: str, rng: Random
) -> None:
    changed = MISTAKES[mistake](a, rng) or a
    assert compare(a, b) == compare(b, a)
    assert compare(a, changed) == compare(changed, a)
