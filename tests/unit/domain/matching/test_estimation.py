"""Expectation-maximisation recovers m, u and the match share from unlabelled comparison vectors."""

from __future__ import annotations

from collections import Counter
from random import Random

import pytest

from openlrs.domain.matching.comparison import LEVELS, ComparisonVector
from openlrs.domain.matching.estimation import (
    calibration,
    estimate_u,
    expectation_maximisation,
    informative,
)
from openlrs.domain.matching.model_file import default_model

BASE = default_model()
FIELDS = ("given_name", "family_name", "date_of_birth", "postcode")
TRUE_M = {
    "given_name": {"exact": 0.9, "different": 0.1},
    "family_name": {"exact": 0.85, "different": 0.15},
    "date_of_birth": {"exact": 0.95, "different": 0.05},
    "postcode": {"full": 0.7, "different": 0.3},
}
TRUE_U = {
    "given_name": {"exact": 0.1, "different": 0.9},
    "family_name": {"exact": 0.3, "different": 0.7},
    "date_of_birth": {"exact": 0.2, "different": 0.8},
    "postcode": {"full": 0.05, "different": 0.95},
}


def _draw(table: dict[str, dict[str, float]], rng: Random) -> ComparisonVector:
    levels = {}
    for field in LEVELS:
        if field in table:
            options = list(table[field])
            levels[field] = rng.choices(options, weights=[table[field][o] for o in options])[0]
        else:
            levels[field] = "unknown" if field == "gender" else "missing"
    return ComparisonVector(**levels)


def test_em_recovers_the_parameters_that_made_the_pairs() -> None:
    rng = Random(4)
    pairs = [_draw(TRUE_M, rng) for _ in range(4000)] + [_draw(TRUE_U, rng) for _ in range(16000)]
    start_u = estimate_u((_draw(TRUE_U, rng) for _ in range(5000)), BASE)
    result = expectation_maximisation(Counter(pairs), start_u, BASE, pseudo_pairs=1.0)
    assert result.converged
    assert result.match_share == pytest.approx(0.2, abs=0.03)
    for field in FIELDS:
        for level, m in TRUE_M[field].items():
            assert result.m[field][level] == pytest.approx(m, abs=0.06)
        for level, u in TRUE_U[field].items():
            assert result.u[field][level] == pytest.approx(u, abs=0.06)


def test_neutral_levels_take_no_part_and_every_informative_level_is_estimated() -> None:
    assert "missing" not in informative("upn") and "unknown" not in informative("gender")
    rng = Random(5)
    result = expectation_maximisation(
        Counter(_draw(TRUE_M, rng) for _ in range(200)),
        estimate_u((_draw(TRUE_U, rng) for _ in range(200)), BASE),
        BASE,
    )
    for field in LEVELS:
        assert set(result.m[field]) == set(informative(field))
        assert all(0 < value <= 1 for value in result.m[field].values())


def test_calibration_bands_count_pairs_and_matches() -> None:
    bands = calibration([(0.005, False), (0.95, True), (0.95, False), (0.99999, True)])
    assert sum(band.pairs for band in bands) == 4
    [top] = [band for band in bands if band.low == 0.9999]
    assert (top.pairs, top.matches) == (1, 1)
