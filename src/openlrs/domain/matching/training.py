"""Estimate a match model's m and u probabilities from labelled pairs of records.

m comes from counting each field's levels over pairs known to be the same learner, u over pairs
known to be different learners, with add-one (Laplace) smoothing so no level is impossible. Neutral
levels (missing, unknown) keep m = u: they say nothing either way. Thresholds, the prior and the
term-frequency bounds are kept from the base model.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable

from openlrs.domain.learners.learner import LearnerDetails
from openlrs.domain.matching.comparison import LEVELS, NEUTRAL_LEVELS, compare
from openlrs.domain.matching.model import LevelParameters, MatchModel


def count_levels(
    pairs: Iterable[tuple[LearnerDetails, LearnerDetails, bool]],
) -> tuple[dict[str, Counter[str]], dict[str, Counter[str]]]:
    """How often each field level occurs among matching and among non-matching pairs."""
    matches: dict[str, Counter[str]] = {name: Counter() for name in LEVELS}
    non_matches: dict[str, Counter[str]] = {name: Counter() for name in LEVELS}
    for left, right, same in pairs:
        counts = matches if same else non_matches
        for name, level in compare(left, right).items():
            counts[name][level] += 1
    return matches, non_matches


def _smoothed(counts: Counter[str], levels: tuple[str, ...], smoothing: float) -> dict[str, float]:
    """Add-`smoothing` proportions over the levels that carry evidence."""
    total = sum(counts[level] for level in levels) + smoothing * len(levels)
    return {level: (counts[level] + smoothing) / total for level in levels}


def estimate_model(
    pairs: Iterable[tuple[LearnerDetails, LearnerDetails, bool]],
    base: MatchModel,
    *,
    version: str | None = None,
    smoothing: float = 1.0,
) -> MatchModel:
    """A new model with m and u counted from `pairs` (left, right, same learner?), else as `base`.

    The version defaults to the base version with "+trained" appended; give a new dated one
    (e.g. "2026-12-01.1") when writing the result out with `save_model`.
    """
    matches, non_matches = count_levels(pairs)
    fields: dict[str, dict[str, LevelParameters]] = {}
    for name, levels in LEVELS.items():
        informative = tuple(level for level in levels if level not in NEUTRAL_LEVELS)
        m = _smoothed(matches[name], informative, smoothing)
        u = _smoothed(non_matches[name], informative, smoothing)
        fields[name] = {
            level: LevelParameters(m[level], u[level]) if level in m else base.fields[name][level]
            for level in levels
        }
    return dataclasses.replace(base, version=version or f"{base.version}+trained", fields=fields)
