"""The Fellegi-Sunter match model: per-level m and u probabilities, thresholds, and scoring.

A model is a versioned JSON file (the shipped one is `openlrs/data/match_model.json`). Each field
level contributes log2(m/u) to a pair's weight; with the log2 prior odds added, the weight gives
the probability the two records are the same learner. An exact agreement on a common name is worth
less than on a rare one when a name-frequency function is supplied.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from openlrs.domain.learners.learner import LearnerDetails
from openlrs.domain.matching.comparison import (
    OPTIONAL_FIELDS,
    ComparisonVector,
    compare_keys,
)
from openlrs.domain.matching.explanation import combination_sentence, frequency_note, sentence
from openlrs.domain.matching.keys import MatchKeys, match_keys

NameFrequency = Callable[[str, str], float | None]
"""(field, key) -> the share of register records with that name, or None when not known.

Fields are "given_name" and "family_name" (key: the `name_key`), and "full_name" (key: the given
and family name keys joined by a space), which corrects for names that go together (Mohammed Khan).
"""

FREQUENCY_FIELDS = frozenset({"given_name", "family_name", "full_name"})


@dataclass(frozen=True)
class LevelParameters:
    """P(level | same learner) and P(level | different learners)."""

    m: float
    u: float

    @property
    def weight(self) -> float:
        """The level's match weight, log2(m/u)."""
        return math.log2(self.m / self.u)


@dataclass(frozen=True)
class Thresholds:
    """Match weights (prior included): exact and possible levels, and an exact match's lead.

    Model files may give the first two as match probabilities instead (`auto_match_probability`,
    `possible_probability`); a weight w and a probability p are the same threshold when
    p = 1 / (1 + 2^-w)."""

    auto_match: float
    possible: float
    margin: float

    @property
    def auto_match_probability(self) -> float:
        return probability(self.auto_match)

    @property
    def possible_probability(self) -> float:
        return probability(self.possible)


@dataclass(frozen=True)
class Damping:
    """How much less a disagreeing optional field counts against a strong candidate.

    When the names, date of birth and gender of a pair weigh `strong` or more, the negative weight
    of each disagreeing optional field (`comparison.OPTIONAL_FIELDS`) is multiplied by `factor`:
    a learner's email, address or school changes more often than a stranger shares their name and
    birthday, so those fields separate weak candidates far better than they doubt strong ones."""

    strong: float = math.inf
    factor: float = 1.0


CORE_FIELDS = ("given_name", "family_name", "date_of_birth", "gender")
"""The fields whose weight decides whether a candidate is strong (see `Damping`)."""


@dataclass(frozen=True)
class TermFrequency:
    """Bounds on the name-frequency adjustment, and where a name counts as common or rare."""

    fields: frozenset[str]
    max_decrease: float
    max_increase: float
    common: float
    rare: float
    baseline: Mapping[str, float] = dataclasses.field(default_factory=dict)
    """Per name field, the share of *random* pairs of register records agreeing exactly on it: a
    name's frequency is compared with this (an estimated model's exact-level u is measured among
    blocked pairs, which share a name far more often). Absent: the exact level's u."""


@dataclass(frozen=True)
class MatchModel:
    """A versioned set of m/u parameters, a prior and decision thresholds."""

    version: str
    prior: float
    fields: Mapping[str, Mapping[str, LevelParameters]]
    thresholds: Thresholds
    term_frequency: TermFrequency
    description: str = ""
    damping: Damping = Damping()

    @property
    def prior_weight(self) -> float:
        """log2 of the prior odds that a candidate pair is the same learner."""
        return math.log2(self.prior / (1 - self.prior))

    def weight(self, field: str, level: str) -> float:
        """The weight of one field level."""
        return self.level_weights[field][level]

    @functools.cached_property
    def level_weights(self) -> dict[str, dict[str, float]]:
        """Every level's weight, worked out once (ranking candidates sums thousands of them)."""
        return {field: _capped(levels) for field, levels in self.fields.items()}

    @functools.cached_property
    def damped_weights(self) -> dict[str, dict[str, float]]:
        """`level_weights` with optional fields' negative weights damped (see `Damping`)."""
        factor = self.damping.factor
        return {
            field: {
                level: (
                    w * factor
                    if field in OPTIONAL_FIELDS and w < 0 and (field, level) not in _UNDAMPED
                    else w
                )
                for level, w in levels.items()
            }
            for field, levels in self.level_weights.items()
        }

    def is_strong(self, vector: ComparisonVector) -> bool:
        """True when the pair's names, date of birth and gender alone weigh `damping.strong`."""
        table = self.level_weights
        core = sum(table[field][level] for field, level in zip(CORE_FIELDS, vector, strict=False))
        return core >= self.damping.strong

    def table_for(self, vector: ComparisonVector) -> dict[str, dict[str, float]]:
        """The level weights a pair is weighed with: damped when it is strong."""
        return self.damped_weights if self.is_strong(vector) else self.level_weights


def _capped(levels: Mapping[str, LevelParameters]) -> dict[str, float]:
    """Each level's weight, none above the field's best (first) level's: an estimated model may
    overrate a level it seldom saw (names exactly swapped, an initial), and a record must never
    score higher against a corrupted copy of itself than against itself."""
    weights = {level: p.weight for level, p in levels.items()}
    best = next(iter(weights.values()))
    return {
        level: min(w, best) if level not in ("missing", "unknown") else w
        for level, w in weights.items()
    }


_UNDAMPED = frozenset({("upn", "different_same_school")})
"""Levels counted in full even against a strong candidate: a twin's sibling UPN."""


class FieldWeight(NamedTuple):
    """One field's part in a score (or "full_name", for names that go together), explained."""

    field: str
    level: str
    weight: float
    sentence: str


@dataclass(frozen=True)
class Score:
    """How strongly two records look like the same learner, and why."""

    weight: float
    probability: float
    prior_weight: float
    comparison: ComparisonVector
    explanation: tuple[FieldWeight, ...]


def probability(weight: float) -> float:
    """The match probability for a match weight (prior included)."""
    bounded = max(-1000.0, min(1000.0, weight))
    return 1.0 / (1.0 + math.pow(2.0, -bounded))


def _bounded(model: MatchModel, raw: float) -> float:
    """A frequency adjustment held within the model's bounds."""
    bounds = model.term_frequency
    return max(-bounds.max_decrease, min(bounds.max_increase, raw))


def _frequency(field: str, key: str, model: MatchModel, tf: NameFrequency | None) -> float | None:
    """The register frequency of a name, when the model adjusts that field and tf knows it."""
    if tf is None or field not in model.term_frequency.fields or not key:
        return None
    frequency = tf(field, key)
    return frequency if frequency is not None and frequency > 0 else None


class _Weight(NamedTuple):
    """One field's part in a weight; `adjustment` is its name-frequency correction, if any."""

    field: str
    level: str
    weight: float
    adjustment: float | None = None


def _name_weights(
    keys: MatchKeys, vector: ComparisonVector, model: MatchModel, tf: NameFrequency | None
) -> list[_Weight]:
    """Exact name agreements adjusted for how common the names, and the full name, are."""
    names = {
        "given_name": (keys.given_key, vector.given_name),
        "family_name": (keys.family_key, vector.family_name),
    }
    parts, shares = [], []
    for field, (key, level) in names.items():
        weight, adjustment = model.weight(field, level), None
        frequency = _frequency(field, key, model, tf) if level == "exact" else None
        baseline = model.term_frequency.baseline.get(field) or model.fields[field]["exact"].u
        if frequency is not None:
            adjustment = _bounded(model, math.log2(baseline / frequency))
            weight += adjustment
        shares.append(frequency or baseline)
        parts.append(_Weight(field, level, weight, adjustment))
    both_exact = vector.given_name == vector.family_name == "exact"
    full_key = f"{keys.given_key} {keys.family_key}"
    joint = _frequency("full_name", full_key, model, tf) if both_exact else None
    if joint is not None:
        weight = _bounded(model, math.log2(shares[0] * shares[1] / joint))
        parts.append(_Weight("full_name", "exact", weight))
    return parts


def _weights(
    keys: MatchKeys, vector: ComparisonVector, model: MatchModel, tf: NameFrequency | None
) -> list[_Weight]:
    parts = _name_weights(keys, vector, model, tf)
    table = model.table_for(vector)
    for field, level in vector.items():
        if field not in ("given_name", "family_name"):
            parts.append(_Weight(field, level, table[field][level]))
    return parts


def weigh(
    query: MatchKeys, vector: ComparisonVector, model: MatchModel, tf: NameFrequency | None = None
) -> float:
    """The total match weight of a compared pair, without the explanation `score` writes.

    Ranking a search's candidates needs only this; explanations are written for those returned.
    Without an exact name agreement there is no frequency adjustment: a plain sum of levels."""
    if vector.given_name != "exact" and vector.family_name != "exact":
        table = model.table_for(vector)
        return model.prior_weight + sum(table[field][level] for field, level in vector.items())
    return model.prior_weight + sum(part.weight for part in _weights(query, vector, model, tf))


def _explained(query: LearnerDetails, part: _Weight, model: MatchModel) -> FieldWeight:
    bounds = model.term_frequency
    if part.field == "full_name":
        shown = f"{query.given_name} {query.family_name}"
        line = combination_sentence(shown, part.weight, common=bounds.common)
        return FieldWeight(part.field, part.level, part.weight, line)
    detail = None
    if part.adjustment is not None:
        shown = query.given_name if part.field == "given_name" else query.family_name
        detail = frequency_note(shown, part.adjustment, common=bounds.common, rare=bounds.rare)
    line = sentence(part.field, part.level, part.weight, detail)
    return FieldWeight(part.field, part.level, part.weight, line)


def score(
    query: LearnerDetails,
    candidate: LearnerDetails,
    model: MatchModel,
    tf: NameFrequency | None = None,
) -> Score:
    """Score a candidate against a query: total weight, probability and a per-field explanation."""
    return explain(query, match_keys(candidate), model, tf)


def explain(
    query: LearnerDetails,
    candidate: MatchKeys,
    model: MatchModel,
    tf: NameFrequency | None = None,
) -> Score:
    """`score`, from the candidate's match keys (what stores keep beside each learner)."""
    keys = match_keys(query)
    vector = compare_keys(keys, candidate)
    parts = _weights(keys, vector, model, tf)
    total = model.prior_weight + sum(part.weight for part in parts)
    explanation = tuple(_explained(query, part, model) for part in parts)
    return Score(total, probability(total), model.prior_weight, vector, explanation)


# --- Reading and writing model files --------------------------------------------------------------
