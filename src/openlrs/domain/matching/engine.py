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
from openlrs.domain.matching.comparison import ComparisonVector
from openlrs.domain.matching.model import MatchModel, NameFrequency, Score, score
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


def _rank(
    query: LearnerDetails,
    candidates: Iterable[Learner],
    model: MatchModel,
    tf: NameFrequency | None,
) -> list[tuple[Learner, Score]]:
    """Each distinct candidate with its score, best first (ties by ULN, so the order is stable)."""
    unique = {learner.uln: learner for learner in candidates}
    scored = [(learner, score(query, learner.details, model, tf)) for learner in unique.values()]
    return sorted(scored, key=lambda pair: (-pair[1].weight, pair[0].uln))


def _exact(ranked: list[tuple[Learner, Score]], model: MatchModel) -> tuple[Learner, Score] | None:
    """The one candidate that is clearly the learner, if there is one."""
    if not ranked:
        return None
    best, best_score = ranked[0]
    limits = model.thresholds
    if best_score.weight < limits.auto_match or not is_exact_pattern(best_score.comparison):
        return None
    if not is_corroborated(best_score.comparison) and (
        best_score.weight < limits.auto_match + limits.margin
    ):
        return None
    rivals = [s for learner, s in ranked[1:] if _identity(learner) != _identity(best)]
    if rivals and best_score.weight - rivals[0].weight < limits.margin:
        return None
    if any(s.weight >= limits.auto_match and is_exact_pattern(s.comparison) for s in rivals):
        return None
    return best, best_score


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
    exact = _exact(ranked, model)
    if exact is not None:
        found, found_score = exact
        master = masters.get(found.master_uln or "")
        if found.status is LearnerStatus.MERGED and master is not None:
            return ScoredMatch(MatchOutcome.LINKED, (master,), (found_score,))
        return ScoredMatch(MatchOutcome.EXACT, (found,), (found_score,))
    possible = [pair for pair in ranked if pair[1].weight >= model.thresholds.possible]
    possible = [p for p in possible if p[0].status is not LearnerStatus.MERGED] or possible
    if not possible:
        return ScoredMatch(MatchOutcome.NO_MATCH)
    if len(possible) > max_possible:
        return ScoredMatch(MatchOutcome.TOO_MANY)
    learners, scores = zip(*possible, strict=True)
    return ScoredMatch(MatchOutcome.POSSIBLE, tuple(learners), tuple(scores))
