"""Estimating m and u from labelled pairs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from random import Random

import pytest

from openlrs.domain.learners.learner import LearnerDetails
from openlrs.domain.matching.comparison import LEVELS, NEUTRAL_LEVELS
from openlrs.domain.matching.model_file import default_model, load_model, save_model
from openlrs.domain.matching.training import count_levels, estimate_model

from .mistakes import MISTAKES, POPULATION

BASE = default_model()


def labelled_pairs(seed: int) -> Iterator[tuple[LearnerDetails, LearnerDetails, bool]]:
    """Each learner against a mistaken copy of themselves (true) and against a stranger (false)."""
    rng = Random(seed)
    mistakes = list(MISTAKES.values())
    for learner in POPULATION[:1500]:
        changed = rng.choice(mistakes)(learner, rng) or learner
        yield changed, learner, True
        yield learner, rng.choice(POPULATION), False


def test_levels_are_counted_separately_for_matches_and_non_matches() -> None:
    matches, non_matches = count_levels(labelled_pairs(1))
    assert sum(matches["given_name"].values()) == 1500
    assert matches["date_of_birth"]["exact"] > non_matches["date_of_birth"]["exact"]


def test_estimated_parameters_separate_matches_from_non_matches() -> None:
    trained = estimate_model(labelled_pairs(2), BASE, version="2026-12-01.1")
    assert trained.version == "2026-12-01.1"
    assert trained.thresholds == BASE.thresholds and trained.prior == BASE.prior
    for field in ("given_name", "family_name", "date_of_birth"):
        assert trained.weight(field, "exact") > 5
        assert trained.weight(field, "different") < 0
    for field, levels in LEVELS.items():
        informative = [level for level in levels if level not in NEUTRAL_LEVELS]
        assert sum(trained.fields[field][level].m for level in informative) == pytest.approx(1)
        assert all(0 < trained.fields[field][level].u < 1 for level in informative)
        for level in NEUTRAL_LEVELS & set(levels):
            assert trained.weight(field, level) == 0


def test_a_trained_model_can_be_written_and_read_back(tmp_path: Path) -> None:
    trained = estimate_model(labelled_pairs(3), BASE)
    assert trained.version == f"{BASE.version}+trained"
    save_model(trained, tmp_path / "trained.json")
    assert load_model(tmp_path / "trained.json") == trained
