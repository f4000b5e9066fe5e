"""Estimate a match model from unlabelled records: u from random pairs, m by expectation-maximisation.

As Splink does: u-probabilities (how often two different learners' fields agree at each level)
come from comparing pairs of register records drawn at random, almost all of them different
people; m-probabilities (how often the same learner's fields agree) and the share of candidate
pairs that are the same learner (the prior) come from expectation-maximisation over the
comparison vectors of the pairs a search's blocking keys bring together, with u held fixed.
Fields are assumed independent given match status (Fellegi-Sunter). Neutral levels (missing,
unknown) take no part. Each m is pulled towards the base model's by `pseudo_pairs` pairs' worth
of weight, so a level EM rarely sees (names exactly swapped) keeps a sensible value.

No labels are used. `check_against_labels` compares a model's probabilities with labelled pairs.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from openlrs.domain.matching.comparison import LEVELS, NEUTRAL_LEVELS, ComparisonVector
from openlrs.domain.matching.model import LevelParameters, MatchModel

_FLOOR = 1e-6


def informative(field: str) -> tuple[str, ...]:
    """The levels of a field that carry evidence (not missing or unknown)."""
    return tuple(level for level in LEVELS[field] if level not in NEUTRAL_LEVELS)


def estimate_u(
    vectors: Iterable[ComparisonVector], base: MatchModel, *, pseudo_pairs: float = 1.0
) -> dict[str, dict[str, float]]:
    """u-probabilities from the comparison vectors of random pairs of register records.

    A level never seen among them gets the share `pseudo_pairs` of the base model's u would."""
    counts: dict[str, Counter[str]] = {field: Counter() for field in LEVELS}
    for vector in vectors:
        for field, level in vector.items():
            counts[field][level] += 1
    return {field: _shares(counts[field], field, base, "u", pseudo_pairs) for field in LEVELS}


def _shares(
    counts: Mapping[str, float], field: str, base: MatchModel, which: str, pseudo: float
) -> dict[str, float]:
    levels = informative(field)
    prior = {level: getattr(base.fields[field][level], which) for level in levels}
    prior_total = sum(prior.values()) or 1.0
    total = sum(counts.get(level, 0.0) for level in levels) + pseudo
    return {
        level: max(_FLOOR, (counts.get(level, 0.0) + pseudo * prior[level] / prior_total) / total)
        for level in levels
    }


@dataclass(frozen=True)
class EmResult:
    """The m- and u-probabilities EM settled on (u among the blocked pairs: the candidates a
    search weighs), the share of pairs that match, and how it got there."""

    m: dict[str, dict[str, float]]
    u: dict[str, dict[str, float]]
    match_share: float
    iterations: int
    converged: bool
    log_likelihood: float


def expectation_maximisation(
    patterns: Mapping[ComparisonVector, int],
    u: Mapping[str, Mapping[str, float]],
    base: MatchModel,
    *,
    start_share: float = 0.05,
    pseudo_pairs: float = 20.0,
    max_iterations: int = 500,
    tolerance: float = 1e-6,
) -> EmResult:
    """m, u and the match share from counted comparison vectors of blocked pairs.

    `u` (from random pairs) is where u starts; EM then re-estimates it among the blocked pairs,
    whose non-matches agree far more often than random pairs do (they share a blocking key): a
    search weighs exactly such pairs. Held at random pairs' u, EM takes the look-alikes blocking
    brings together for matches. Vectorised with numpy over the distinct vectors."""
    fields = list(LEVELS)
    levels = {field: informative(field) for field in fields}
    position = {f: {lv: i for i, lv in enumerate(levels[f])} for f in fields}
    vectors = list(patterns)
    counts = np.array([patterns[v] for v in vectors], dtype=float)
    codes = np.array(
        [[position[f].get(level, -1) for f, level in v.items()] for v in vectors], dtype=np.int64
    ).reshape(len(vectors), len(fields))
    m = {f: np.array([base.fields[f][lv].m for lv in levels[f]]) for f in fields}
    uu = {f: np.array([u[f][lv] for lv in levels[f]]) for f in fields}
    share = start_share
    log_likelihood = -math.inf
    total = float(counts.sum())
    iterations = 0
    for _ in range(max_iterations):
        iterations += 1
        log_m = np.zeros(len(vectors))
        log_u = np.zeros(len(vectors))
        for j, f in enumerate(fields):
            column = codes[:, j]
            seen = column >= 0
            log_m[seen] += np.log(m[f][column[seen]])
            log_u[seen] += np.log(uu[f][column[seen]])
        a = math.log(share) + log_m
        b = math.log(1 - share) + log_u
        top = np.maximum(a, b)
        evidence = top + np.log(np.exp(a - top) + np.exp(b - top))
        posterior = np.exp(a - evidence)
        log_likelihood_now = float((counts * evidence).sum())
        matched = posterior * counts
        unmatched = counts - matched
        new_m, new_u = {}, {}
        for j, f in enumerate(fields):
            column = codes[:, j]
            seen = column >= 0
            k = len(levels[f])
            em = np.bincount(column[seen], weights=matched[seen], minlength=k)
            eu = np.bincount(column[seen], weights=unmatched[seen], minlength=k)
            new_m[f] = _smoothed(em, f, base, "m", pseudo_pairs)
            new_u[f] = _smoothed(eu, f, base, "u", pseudo_pairs)
        new_share = min(max(float(matched.sum()) / total, 1e-9), 1 - 1e-9) if total else share
        change = max(
            max(float(np.abs(new_m[f] - m[f]).max()), float(np.abs(new_u[f] - uu[f]).max()))
            for f in fields
        )
        change = max(change, abs(new_share - share))
        m, uu, share = new_m, new_u, new_share
        log_likelihood = log_likelihood_now
        if change < tolerance:
            break
    converged = change < tolerance
    return EmResult(
        {f: dict(zip(levels[f], map(float, m[f]), strict=True)) for f in fields},
        {f: dict(zip(levels[f], map(float, uu[f]), strict=True)) for f in fields},
        share,
        iterations,
        converged,
        log_likelihood,
    )


def _smoothed(
    counts: np.ndarray, field: str, base: MatchModel, which: str, pseudo: float
) -> np.ndarray:
    shares = _shares(
        dict(zip(informative(field), counts.tolist(), strict=True)), field, base, which, pseudo
    )
    return np.array([shares[level] for level in informative(field)])


def estimated_model(
    base: MatchModel,
    m: Mapping[str, Mapping[str, float]],
    u: Mapping[str, Mapping[str, float]],
    prior: float,
    *,
    version: str,
    description: str,
) -> MatchModel:
    """The base model with new m, u and prior (thresholds, damping and term-frequency bounds kept;
    neutral levels stay m = u = 1)."""
    fields = {
        field: {
            level: (
                LevelParameters(m[field][level], u[field][level])
                if level in m[field]
                else LevelParameters(1.0, 1.0)
            )
            for level in LEVELS[field]
        }
        for field in LEVELS
    }
    return dataclasses.replace(
        base, version=version, description=description, prior=prior, fields=fields
    )


@dataclass(frozen=True)
class CalibrationBin:
    """Pairs whose predicted match probability fell in [low, high): how many were matches."""

    low: float
    high: float
    pairs: int
    matches: int
    mean_predicted: float


def calibration(
    scored: Sequence[tuple[float, bool]],
    edges: Sequence[float] = (0, 0.01, 0.1, 0.5, 0.9, 0.99, 0.999, 0.9999, 1.0000001),
) -> list[CalibrationBin]:
    """Predicted probability against the observed share of matches, per probability band."""
    bins = []
    for low, high in itertools.pairwise(edges):
        inside = [(p, same) for p, same in scored if low <= p < high]
        bins.append(
            CalibrationBin(
                low,
                min(high, 1.0),
                len(inside),
                sum(1 for _, same in inside if same),
                sum(p for p, _ in inside) / len(inside) if inside else 0.0,
            )
        )
    return bins
