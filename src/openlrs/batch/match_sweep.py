"""What moving a threshold would do: each query's scores, and precision/recall by threshold.

For every query the register's candidates are scored as the engine scores them; from that, the
range of auto-match weights at which the engine would answer exact is worked out once, so a
sweep over thresholds costs nothing more. At the model's own thresholds the sweep agrees with
`classify` (tests check it).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from openlrs.domain.learners.learner import Learner, LearnerDetails
from openlrs.domain.matching.comparison import ComparisonVector, compare_keys
from openlrs.domain.matching.engine import (
    MAX_POSSIBLE,
    is_another_real_name,
    is_corroborated,
    is_exact_pattern,
)
from openlrs.domain.matching.keys import MatchKeys, match_keys
from openlrs.domain.matching.model import MatchModel, NameFrequency, weigh


@dataclass(frozen=True)
class QueryScores:
    """One query: candidate ids with weights (best first), the true ids if labelled, and the
    auto-match weights (lo, hi] at which its best candidate would be answered as exact."""

    query_id: str
    ranked: tuple[tuple[str, float], ...]
    truth: frozenset[str] | None
    exact_range: tuple[float, float] | None

    def exact_at(self, threshold: float) -> str | None:
        """The id answered as exact at this auto-match weight, if any."""
        if self.exact_range is None:
            return None
        lo, hi = self.exact_range
        return self.ranked[0][0] if lo < threshold <= hi else None


def score_query(
    query_id: str,
    query: LearnerDetails,
    candidates: Iterable[Learner],
    model: MatchModel,
    tf: NameFrequency | None,
    truth: frozenset[str] | None,
) -> QueryScores:
    """Score one query's candidates and find where an exact answer would start and stop."""
    keys = match_keys(query)
    scored = []
    for learner in {c.uln: c for c in candidates}.values():
        vector = compare_keys(keys, match_keys(learner.details))
        scored.append((learner.uln, weigh(keys, vector, model, tf), vector))
    scored.sort(key=lambda s: (-s[1], s[0]))
    ranked = tuple((uln, weight) for uln, weight, _ in scored)
    return QueryScores(query_id, ranked, truth, _exact_range(scored, model, keys, tf))


def _exact_range(
    scored: Sequence[tuple[str, float, ComparisonVector]],
    model: MatchModel,
    keys: MatchKeys | None = None,
    tf: NameFrequency | None = None,
) -> tuple[float, float] | None:
    """The engine's exact rule (`engine._exact`) with the auto-match weight left free."""
    if not scored:
        return None
    _, best, vector = scored[0]
    if not is_exact_pattern(vector) or is_another_real_name(vector, keys, tf):
        return None
    margin = model.thresholds.margin
    rivals = scored[1:]
    if rivals and best - rivals[0][1] < margin:
        return None
    high = best if is_corroborated(vector) else best - margin
    exact_rivals = [w for _, w, v in rivals if is_exact_pattern(v)]
    low = max(exact_rivals, default=-math.inf)
    return (low, high) if low < high else None


@dataclass(frozen=True)
class CurvePoint:
    threshold: float
    precision: float | None
    recall: float | None
    answered: int


def exact_curve(queries: Sequence[QueryScores], thresholds: Iterable[float]) -> list[CurvePoint]:
    """Exact-match precision (right / exact answers) and recall (right exact answers / labelled
    queries whose person the register holds) at each auto-match weight."""
    labelled = [q for q in queries if q.truth is not None]
    present = sum(1 for q in labelled if q.truth)
    points = []
    for t in thresholds:
        answers = [(q, q.exact_at(t)) for q in labelled]
        exact = [(q, uid) for q, uid in answers if uid is not None]
        right = sum(1 for q, uid in exact if q.truth and uid in q.truth)
        points.append(
            CurvePoint(
                t,
                right / len(exact) if exact else None,
                right / present if present else None,
                len(exact),
            )
        )
    return points


def possible_curve(
    queries: Sequence[QueryScores], thresholds: Iterable[float], auto_match: float
) -> list[CurvePoint]:
    """At each possible-match weight (auto-match fixed): recall = the right person answered as
    exact or listed among the possibles; precision = the share of listed candidates who are the
    right person (how much of a reviewer's list is worth reading); answered = lists returned."""
    labelled = [q for q in queries if q.truth is not None]
    present = sum(1 for q in labelled if q.truth)
    points = []
    for p in thresholds:
        found = listed = right_listed = lists = 0
        for q in labelled:
            truth = q.truth or frozenset()
            exact = q.exact_at(auto_match)
            if exact is not None:
                found += exact in truth
                continue
            shown = [uid for uid, w in q.ranked if w >= p]
            if not shown or len(shown) > MAX_POSSIBLE:
                continue
            lists += 1
            listed += len(shown)
            hits = sum(1 for uid in shown if uid in truth)
            right_listed += hits
            found += hits > 0
        points.append(
            CurvePoint(
                p,
                right_listed / listed if listed else None,
                found / present if present else None,
                lists,
            )
        )
    return points


def threshold_grid(queries: Sequence[QueryScores], step: float = 0.5) -> list[float]:
    """Weights from just below the lowest top score to just above the highest, every `step`."""
    tops = [q.ranked[0][1] for q in queries if q.ranked]
    if not tops:
        return [0.0]
    low, high = math.floor(min(min(tops), 0.0)), math.ceil(max(tops)) + 1
    count = int((high - low) / step) + 1
    return [round(low + i * step, 3) for i in range(count)]
