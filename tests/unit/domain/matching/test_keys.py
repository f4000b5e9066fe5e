"""Match keys and blocking keys: single mistakes still share a key, and keys stay selective."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from random import Random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from openlrs.domain.learners.learner import LearnerDetails
from openlrs.domain.matching.keys import (
    blocking_keys,
    first_pass_keys,
    match_keys,
    second_pass_keys,
    swapped_date,
)
from tests.builders import many_learner_details

from .mistakes import MISTAKES, POPULATION, TODAY

BASE = LearnerDetails("Zoë", "O'Neill-Smith", dt.date(2009, 3, 12), 2, "b11 1aa")


def details(**changes: Any) -> LearnerDetails:
    return dataclasses.replace(BASE, **changes)


def test_match_keys_are_name_keys_sounds_dates_and_postcode_parts() -> None:
    keys = match_keys(details(previous_family_name="Brown", middle_names="Anne Marie"))
    assert (keys.given_key, keys.family_key) == ("ZOE", "ONEILLSMITH")
    assert keys.family_parts == {"ONEILL", "SMITH"}
    assert {"SM0", "ONL"} <= keys.family_phonetics
    assert keys.previous_family_keys == {"BROWN"}
    assert keys.middle_keys == {"ANNE", "MARIE"}
    assert (keys.dob, keys.dob_swapped, keys.birth_year) == (
        dt.date(2009, 3, 12),
        dt.date(2009, 12, 3),
        2009,
    )
    assert (keys.postcode, keys.postcode_sector, keys.postcode_district, keys.postcode_area) == (
        "B11 1AA",
        "B11 1",
        "B11",
        "B",
    )


def test_a_dummy_postcode_gives_no_place_keys() -> None:
    keys = match_keys(details(postcode="ZZ99 9ZZ"))
    assert keys.postcode is None and keys.postcode_district is None
    assert not any(
        key.startswith(("fs:", "gs:")) for key in blocking_keys(details(postcode="ZZ99 9ZZ"))
    )


def test_blocking_keys_stay_short_even_for_the_longest_names() -> None:
    longest = details(given_name="X" * 35, family_name="Xerxes-" + "X" * 28, postcode="SW1A 1AA")
    assert max(map(len, blocking_keys(longest))) <= 60


def test_a_date_swaps_only_when_day_and_month_make_another_real_date() -> None:
    assert swapped_date(dt.date(2009, 3, 12)) == dt.date(2009, 12, 3)
    assert swapped_date(dt.date(2009, 3, 13)) is None
    assert swapped_date(dt.date(2009, 4, 4)) is None


def test_blocking_keys_are_prefixed_strings() -> None:
    keys = blocking_keys(details())
    assert "dn:2009-03-12:ZO" in keys and "dn:2009-12-03:ON" in keys
    assert {"fym:SM0:2009-03", "fmd:SM0:03-12", "fyd:SM0:2009:12"} <= keys
    assert {"fs:SM0:B11 1", "gs:S:B11 1"} <= keys
    first = {"dn", "fym", "fmd", "fyd", "fs", "gs"}
    assert {key.split(":")[0] for key in first_pass_keys(details())} == first
    assert {key.split(":")[0] for key in keys} == first | {"gym", "gmd", "gyd"}


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(POPULATION),
    st.sampled_from(sorted(MISTAKES)),
    st.integers(min_value=0, max_value=2**32),
)
def test_every_single_mistake_still_shares_a_blocking_key(
    learner: LearnerDetails, mistake: str, seed: int
) -> None:
    changed = MISTAKES[mistake](learner, Random(seed))
    if changed is not None:
        assert blocking_keys(changed) & blocking_keys(learner), mistake


def test_each_kind_of_mistake_is_exercised_on_the_population() -> None:
    rng = Random(1)
    for name, mistake in MISTAKES.items():
        applied = [mistake(learner, rng) for learner in POPULATION[:300]]
        made = [
            (before, after)
            for before, after in zip(POPULATION[:300], applied, strict=True)
            if after
        ]
        assert len(made) >= 10, name
        assert all(blocking_keys(a) & blocking_keys(b) for a, b in made), name


def test_a_search_touches_few_rows_of_a_large_register() -> None:
    """Keys shared with others, per query, scale to well under a few hundred in a million."""
    size = 20_000
    register = many_learner_details(size, seed=11, today=TODAY)
    index = Counter(key for learner in register for key in blocking_keys(learner))
    rng = Random(3)
    queries = rng.sample(register, 400)
    others = sorted(sum(index[key] - 1 for key in first_pass_keys(q)) for q in queries)
    per_million = 1_000_000 / size
    assert sum(others) / len(others) * per_million < 250
    assert others[-1] * per_million < 1000
    # the second pass (only when the first finds no strong candidate) is wider, still bounded
    wider = sorted(sum(index[key] - 1 for key in second_pass_keys(q)) for q in queries)
    assert sum(wider) / len(wider) * per_million < 400
