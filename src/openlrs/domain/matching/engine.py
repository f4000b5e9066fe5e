"""The matching engine: score the candidates a search fetched and decide the outcome.

An exact match hands out a ULN, so it needs more than a high score: one candidate alone above the
auto-match weight (no other that could be the learner is), clear of the next by the margin, whose
names, date of birth and gender all agree at least as typos, short forms or known changes.
Anything weaker that still scores above the possible weight goes to a person to choose: twins,
namesakes, learners known by a middle name and duplicate registrations end up there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from openlrs.domain.learner import Learner, LearnerDetails, LearnerStatus
from openlrs.domain.matching.comparison import ComparisonVector, compare_keys
from openlrs.domain.matching.keys import match_keys
from openlrs.domain.matching.model import MatchModel, NameFrequency, Score, score, weigh
from openlrs.domain.matching.outcomes import MatchOutcome

MAX_POSSIBLE = 10

EXACT_GIVEN = frozenset({"exact", "nickname", "swapped", "similar"})
"""Given name levels an exact match allows: another given (or middle) name may be a twin's."""
EXACT_FAMILY = frozenset({"exact", "previous", "swapped", "similar"})
"""Family name levels an exact match allows: an unexplained change needs a person to confirm."""
EXACT_DATE_OF_BIRTH = frozenset({"exact", "swapped", "one_digit", "year_off_by_one"})
"""Date of birth levels an exact match allows: a different date may be a parent or namesake."""
NEARBY_POSTCODE = frozenset({"full", "sector", "district"})
"""Postcode levels that place two records in the same neighbourhood."""


@dataclass(frozen=True)
class ScoredMatch:
    """A search outcome with its learners, best first, and each one's score (aligned).

    For LINKED the learner is the master and the score is that of the merged record that matched.
    """

    outcome: MatchOutcome
    learners: tuple[Learner, ...] = field(default_factory=tuple)
    scores: tuple[Score, ...] = field(default_factory=tuple)


def is_exact_pattern(vector: ComparisonVector) -> bool:
    """True when every key field agrees well enough for an exact match (not a hard negative)."""
    return (
        vector.given_name in EXACT_GIVEN
        and vector.family_name in EXACT_FAMILY
        and vector.date_of_birth in EXACT_DATE_OF_BIRTH
        and vector.gender != "disagree"
    )


def is_corroborated(vector: ComparisonVector) -> bool:
    """The records share a neighbourhood, or a field that ties them together (school, email).

    Same name and date of birth somewhere else is as likely a namesake as a learner who moved:
    without corroboration only a clearly higher score (rare names) is enough for an exact match."""
    return (
        vector.postcode in NEARBY_POSTCODE
        or vector.school_at_16 == "same"
        or vector.email == "same"
    )


def _identity(learner: Learner) -> str:
    """The ULN a record stands for: its master's when it was merged, else its own."""
    if learner.status is LearnerStatus.MERGED and learner.master_uln:
        return learner.master_uln
    return learner.uln


@dataclass(frozen=True)
class _Ranked:
    """A candidate with its weight and comparison: enough to decide, not yet explained."""

    learner: Learner
    weight: float
    comparison: ComparisonVector


def _rank(
    query: LearnerDetails,
    candidates: Iterable[Learner],
    model: MatchModel,
    tf: NameFrequency | None,
) -> list[_Ranked]:
    """Each distinct candidate with its weight, best first (ties by ULN, so the order is stable)."""
    unique = {learner.uln: learner for learner in candidates}
    keys = match_keys(query)
    ranked = []
    for learner in unique.values():
        vector = compare_keys(keys, match_keys(learner.details))
        ranked.append(_Ranked(learner, weigh(keys, vector, model, tf), vector))
    return sorted(ranked, key=lambda r: (-r.weight, r.learner.uln))


def _exact(ranked: list[_Ranked], model: MatchModel) -> _Ranked | None:
    """The one candidate that is clearly the learner, if there is one."""
    if not ranked:
        return None
    best = ranked[0]
    limits = model.thresholds
    if best.weight < limits.auto_match or not is_exact_pattern(best.comparison):
        return None
    if not is_corroborated(best.comparison) and best.weight < limits.auto_match + limits.margin:
        return None
    rivals = [r for r in ranked[1:] if _identity(r.learner) != _identity(best.learner)]
    if rivals and best.weight - rivals[0].weight < limits.margin:
        return None
    if any(r.weight >= limits.auto_match and is_exact_pattern(r.comparison) for r in rivals):
        return None
    return best


def classify(
    query: LearnerDetails,
    candidates: Iterable[Learner],
    masters: Mapping[str, Learner],
    model: MatchModel,
    *,
    tf: NameFrequency | None = None,
    max_possible: int = MAX_POSSIBLE,
) -> ScoredMatch:
    """Decide the outcome of a search. `masters` maps a merged record's master ULN to the master."""
    ranked = _rank(query, candidates, model, tf)

    def explained(found: _Ranked) -> Score:
        return score(query, found.learner.details, model, tf)

    exact = _exact(ranked, model)
    if exact is not None:
        master = masters.get(exact.learner.master_uln or "")
        if exact.learner.status is LearnerStatus.MERGED and master is not None:
            return ScoredMatch(MatchOutcome.LINKED, (master,), (explained(exact),))
        return ScoredMatch(MatchOutcome.EXACT, (exact.learner,), (explained(exact),))
    possible = [r for r in ranked if r.weight >= model.thresholds.possible]
    possible = [r for r in possible if r.learner.status is not LearnerStatus.MERGED] or possible
    if not possible:
        return ScoredMatch(MatchOutcome.NO_MATCH)
    if len(possible) > max_possible:
        return ScoredMatch(MatchOutcome.TOO_MANY)
    learners = tuple(r.learner for r in possible)
    return ScoredMatch(MatchOutcome.POSSIBLE, learners, tuple(explained(r) for r in possible))
