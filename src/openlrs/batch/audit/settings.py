"""The one Splink settings object of the duplicate audit, the same on DuckDB and on Spark.

Comparisons mirror the engine's comparison levels (`domain.matching.comparison`) on the columns
`features.audit_record` computes, and each level takes its m and u from the match model file, so
the audit and a registration search weigh evidence alike (decision 0009). The SQL is only what
every Splink backend has: equality, Jaro-Winkler, Damerau-Levenshtein, array intersection,
substr/length/abs. Build a linker with any backend: `Linker(table, audit_settings(...), db_api)`.
"""

from __future__ import annotations

from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on
from splink.internals.comparison_level_creator import ComparisonLevelCreator

from openlrs.domain.matching.model import MatchModel
from openlrs.domain.matching.names import SIMILAR, SOMEWHAT_SIMILAR

NULL_LEVEL = {
    "given_name": "missing",
    "family_name": "missing",
    "date_of_birth": None,
    "gender": "unknown",
    "postcode": "missing",
    "school_at_16": "missing",
    "email": "missing",
}
"""The engine level a Splink null level stands for (no evidence either way)."""

BLOCKING_RULES: tuple[Any, ...] = (
    block_on("dob"),
    "l.dob_swapped = r.dob",
    block_on("family_sound", "birth_year"),
    block_on("given_sound", "postcode_district"),
    block_on("given_key", "family_key"),
)
"""Pairs worth scoring: same date of birth, or swapped; family-name sound and birth year (any
date error); given-name sound and postcode district (a changed family name); the same full name
(a date error and a move together)."""


def _level(
    model: MatchModel, field: str, name: str, level: ComparisonLevelCreator, **extra: Any
) -> ComparisonLevelCreator:
    """A Splink level carrying the model's m and u for (field, name), labelled with `name`."""
    params = model.fields[field][name]
    return level.configure(
        m_probability=params.m, u_probability=params.u, label_for_charts=name, **extra
    )


def _null(column: str) -> ComparisonLevelCreator:
    return cll.NullLevel(column)


def _exact_name(model: MatchModel, field: str, column: str) -> ComparisonLevelCreator:
    """Exact agreement on a name, worth less for common names (Splink's term frequencies),
    at most `max_increase` more for rare ones."""
    u = model.fields[field]["exact"].u
    floor = u / 2**model.term_frequency.max_increase
    return _level(
        model,
        field,
        "exact",
        cll.ExactMatchLevel(column, term_frequency_adjustments=True),
        tf_minimum_u_value=floor,
    )


def _given(model: MatchModel) -> cl.CustomComparison:
    f = "given_name"
    return cl.CustomComparison(
        output_column_name=f,
        comparison_levels=[
            _null("given_key"),
            _exact_name(model, f, "given_key"),
            _level(model, f, "swapped", cll.ColumnsReversedLevel("given_key", "family_key")),
            _level(model, f, "nickname", cll.ArrayIntersectLevel("given_names", 1)),
            _level(model, f, "middle_name", cll.ArrayIntersectLevel("given_and_middle", 1)),
            _level(
                model,
                f,
                "initial",
                cll.CustomLevel(
                    "substr(given_key_l, 1, 1) = substr(given_key_r, 1, 1) "
                    "AND (length(given_key_l) = 1 OR length(given_key_r) = 1)"
                ),
            ),
            _level(model, f, "similar", cll.JaroWinklerLevel("given_key", SIMILAR)),
            _level(
                model, f, "somewhat_similar", cll.JaroWinklerLevel("given_key", SOMEWHAT_SIMILAR)
            ),
            _level(model, f, "different", cll.ElseLevel()),
        ],
    )


def _family(model: MatchModel) -> cl.CustomComparison:
    f = "family_name"
    return cl.CustomComparison(
        output_column_name=f,
        comparison_levels=[
            _null("family_key"),
            _exact_name(model, f, "family_key"),
            _level(model, f, "swapped", cll.ColumnsReversedLevel("family_key", "given_key")),
            _level(model, f, "previous", cll.ArrayIntersectLevel("family_names", 1)),
            _level(
                model,
                f,
                "similar",
                cll.Or(
                    cll.JaroWinklerLevel("family_key", SIMILAR),
                    cll.ExactMatchLevel("family_sound_long"),
                ),
            ),
            _level(
                model, f, "somewhat_similar", cll.JaroWinklerLevel("family_key", SOMEWHAT_SIMILAR)
            ),
            _level(model, f, "different", cll.ElseLevel()),
        ],
    )


def _date_of_birth(model: MatchModel) -> cl.CustomComparison:
    f = "date_of_birth"
    return cl.CustomComparison(
        output_column_name=f,
        comparison_levels=[
            _null("dob"),
            _level(model, f, "exact", cll.ExactMatchLevel("dob")),
            _level(model, f, "swapped", cll.CustomLevel("dob_swapped_l = dob_r")),
            _level(model, f, "one_digit", cll.DamerauLevenshteinLevel("dob_digits", 1)),
            _level(
                model,
                f,
                "year_off_by_one",
                cll.CustomLevel(
                    "dob_month_day_l = dob_month_day_r AND abs(birth_year_l - birth_year_r) = 1"
                ),
            ),
            _level(model, f, "different", cll.ElseLevel()),
        ],
    )


def _agreement(
    model: MatchModel, field: str, column: str, same: str, different: str
) -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name=field,
        comparison_levels=[
            _null(column),
            _level(model, field, same, cll.ExactMatchLevel(column)),
            _level(model, field, different, cll.ElseLevel()),
        ],
    )


def _postcode(model: MatchModel) -> cl.CustomComparison:
    f = "postcode"
    parts = [("full", "postcode"), ("sector", "postcode_sector")]
    parts += [("district", "postcode_district"), ("area", "postcode_area")]
    return cl.CustomComparison(
        output_column_name=f,
        comparison_levels=[
            _null("postcode"),
            *(_level(model, f, name, cll.ExactMatchLevel(column)) for name, column in parts),
            _level(model, f, "different", cll.ElseLevel()),
        ],
    )


def audit_settings(model: MatchModel, *, prior: float) -> SettingsCreator:
    """The audit's settings: the model's m/u on every level, `prior` the probability that two
    learners drawn at random are the same person (see `random_pair_prior`)."""
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[
            _given(model),
            _family(model),
            _date_of_birth(model),
            _agreement(model, "gender", "gender", "agree", "disagree"),
            _postcode(model),
            _agreement(model, "school_at_16", "school_key", "same", "different"),
            _agreement(model, "email", "email_key", "same", "different"),
        ],
        blocking_rules_to_generate_predictions=list(BLOCKING_RULES),
        probability_two_random_records_match=prior,
        retain_matching_columns=True,  # Splink keeps each field's level (gamma) only with them
        retain_intermediate_calculation_columns=False,
    )


def random_pair_prior(register_size: int, duplicate_share: float) -> float:
    """P(two learners drawn at random are one person) when `duplicate_share` of the register's
    records are second registrations of someone else in it."""
    pairs = max(register_size * (register_size - 1) / 2, 1.0)
    return min(0.5, max(register_size * duplicate_share, 1.0) / pairs)
