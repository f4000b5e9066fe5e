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
from typing import NamedTuple

from openlrs.domain.learners.learner import Learner, LearnerDetails, LearnerStatus
from openlrs.domain.matching.comparison import (
    LEVELS,
    OTHER_FIELDS,
    ComparisonVector,
    compare_family,
    compare_given,
    compare_keys,
    compare_others,
    names_swapped,
)
from openlrs.domain.matching.keys import MatchKeys, match_keys
from openlrs.domain.matching.model import MatchModel, NameFrequency, Score, explain, weigh
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


TIED_GIVEN = EXACT_GIVEN | {"middle_name", "somewhat_similar"}
"""Given name levels an exact match allows when a personal tie (UPN, email) holds as well: a
middle name used as the given name, or a name misspelt twice."""
TIED_FAMILY = EXACT_FAMILY | {"somewhat_similar", "different"}
"""Family name levels an exact match allows with a personal tie: a surname changed on marriage
without the old one recorded, or misspelt twice."""


def is_tied(vector: ComparisonVector) -> bool:
    """The records share something only one person has: the same UPN or email address."""
    return vector.upn == "same" or vector.email == "same"


def is_exact_pattern(vector: ComparisonVector) -> bool:
    """True when every key field agrees well enough for an exact match (not a hard negative).

    Names, date of birth and gender must agree at least as typos, short forms or known changes.
    A personal tie (`is_tied`) allows one name more (a middle name as the given name, a new
    surname, a second misspelling) or a misrecorded gender, never both names nor the date of
    birth: a shared UPN never overrides clear disagreement on names and date of birth. A
    different UPN from the same school (a twin's) rules an exact match out."""
    if vector.upn == "different_same_school" or vector.date_of_birth not in EXACT_DATE_OF_BIRTH:
        return False
    given_ok = vector.given_name in EXACT_GIVEN
    family_ok = vector.family_name in EXACT_FAMILY
    if given_ok and family_ok and vector.gender != "disagree":
        return True
    if is_known_by_middle_name(vector) or is_known_at_home(vector):
        return True
    if not is_tied(vector) or vector.upn == "different":
        return False
    given_tied = vector.given_name in TIED_GIVEN
    family_tied = vector.family_name in TIED_FAMILY
    return given_tied and family_tied and (given_ok or family_ok)


def is_known_by_middle_name(vector: ComparisonVector) -> bool:
    """Given and middle names exchanged: the given name of each record is the middle name of the
    other and neither has a middle name the other lacks (`middle_names` moved), with the same
    family name, date of birth and gender, in the same neighbourhood or tied by UPN or email.

    One record giving the other's middle name alone (no middle name of its own) is not enough:
    twins are named after each other's middle names often enough (Thomas; Tyler Thomas), so that
    stays with a person unless a UPN or email ties the two (`TIED_GIVEN`)."""
    return (
        vector.given_name == "middle_name"
        and vector.middle_names == "moved"
        and vector.family_name == "exact"
        and vector.date_of_birth == "exact"
        and vector.gender == "agree"
        and is_corroborated(vector)
    )


RENAMED_FAMILY = frozenset({"somewhat_similar", "different"})
"""Family name levels of a surname changed (or misspelt twice) without the old one recorded."""


def is_known_at_home(vector: ComparisonVector) -> bool:
    """A new surname (or one misspelt twice) with the same given name, date of birth and gender
    at the same full postcode (one household), and no personal field (UPN, email) disagreeing.

    Twins share a surname and are never given the same name, so this is not a twin's pattern; a
    stranger of the same given name and birthday in the same household is rarer still. A
    misrecorded gender on top of it needs a tie (`is_tied`)."""
    return (
        vector.given_name == "exact"
        and vector.family_name in RENAMED_FAMILY
        and vector.date_of_birth == "exact"
        and vector.gender == "agree"
        and vector.postcode == "full"
        and "different" not in (vector.upn, vector.email)
    )


def is_corroborated(vector: ComparisonVector) -> bool:
    """The records share a neighbourhood, or a field that ties them together (school, email,
    UPN, the first line of an address).

    Same name and date of birth somewhere else is as likely a namesake as a learner who moved:
    without corroboration only a clearly higher score (rare names) is enough for an exact match.
    A shared middle name is not enough on its own: namesakes often share one too (James, Grace);
    it still adds its weight."""
    if vector.postcode in NEARBY_POSTCODE or is_tied(vector):
        return True
    return vector.school_at_16 == "same" or vector.address == "same_line"


class Candidate(NamedTuple):
    """A register record as matching sees it: its ULN, status and match keys (not its details).

    Stores keep the keys beside each learner, so ranking needs neither their details nor work.
    Named tuples, like `Ranked`: a search makes one of each per candidate row."""

    uln: str
    status: LearnerStatus
    master_uln: str | None
    keys: MatchKeys

    @classmethod
    def of(cls, learner: Learner) -> Candidate:
        return cls(learner.uln, learner.status, learner.master_uln, match_keys(learner.details))

    @property
    def identity(self) -> str:
        """The ULN the record stands for: its master's when it was merged, else its own."""
        if self.status is LearnerStatus.MERGED and self.master_uln:
            return self.master_uln
        return self.uln


class Ranked(NamedTuple):
    """A candidate with its weight and comparison: enough to decide, not yet explained."""

    candidate: Candidate
    weight: float
    comparison: ComparisonVector


@dataclass(frozen=True)
class Decision:
    """The outcome and the candidates it returns, best first (for LINKED, the merged record)."""

    outcome: MatchOutcome
    chosen: tuple[Ranked, ...] = ()


def rank(
    query: MatchKeys,
    candidates: Iterable[Candidate],
    model: MatchModel,
    tf: NameFrequency | None,
    *,
    floor: float | None = None,
) -> list[Ranked]:
    """Each distinct candidate with its weight, best first (ties by ULN, so the order is stable).

    With a `floor`, candidates that cannot weigh that much are left out, most of them before
    their given names are compared (the costly part): see `decision_floor`."""
    unique = {candidate.uln: candidate for candidate in candidates}
    ranked = []
    weights: dict[ComparisonVector, float] = {}  # one query: many candidates compare alike
    ceiling = None if floor is None else _Ceiling.of(model, floor)
    for candidate in unique.values():
        if ceiling is None:
            vector = compare_keys(query, candidate.keys)
        else:
            found = ceiling.compare_above(query, candidate.keys)
            if found is None:
                continue
            vector = found
        weight = weights.get(vector)
        if weight is None:
            weight = weights[vector] = weigh(query, vector, model, tf)
        ranked.append(Ranked(candidate, weight, vector))
    return sorted(ranked, key=lambda r: (-r.weight, r.candidate.uln))


def needs_second_pass(ranked: list[Ranked], model: MatchModel) -> bool:
    """True when a search's first pass found no candidate worth a person's look (none at the
    possible weight): then the wider `keys.second_pass_keys` are looked up too, for learners
    re-registered with two or three errors at once."""
    return not ranked or ranked[0].weight < model.thresholds.possible


def decision_floor(model: MatchModel) -> float:
    """The weight below which a candidate cannot change `decide`'s outcome: it is no possible
    match, and an exact match (at least the auto-match weight) leads it by more than the margin.
    """
    limits = model.thresholds
    return min(limits.possible, limits.auto_match - limits.margin)


class _Ceiling(NamedTuple):
    """The most the names can add to a weight, for ranking above a floor (see `rank`)."""

    floor: float
    prior: float
    family: Mapping[str, float]
    others: tuple[Mapping[str, float], ...]  # the weights of each of `OTHER_FIELDS`' levels
    given_exact: float  # the exact level, raised as far as a name's rarity may raise it
    given_other: float  # the best level short of exact (the names are not swapped)
    given_missing: float  # a given name absent on either side
    frequency: float  # the most a rare family name, or full name, adds

    @classmethod
    def of(cls, model: MatchModel, floor: float) -> _Ceiling:
        levels = model.level_weights
        given = levels["given_name"]
        others = [given[level] for level in LEVELS["given_name"] if level not in _NOT_OTHER]
        raise_by = max(0.0, model.term_frequency.max_increase)
        return cls(
            floor,
            model.prior_weight,
            levels["family_name"],
            tuple(model.damped_weights[field] for field in OTHER_FIELDS),  # an upper bound
            given["exact"] + raise_by,
            max(others),
            given["missing"],
            raise_by,
        )

    def compare_above(self, q: MatchKeys, c: MatchKeys) -> ComparisonVector | None:
        """`compare_keys`, or None when the pair's weight is bound to be below the floor."""
        if names_swapped(q, c):
            return compare_keys(q, c)
        others = compare_others(q, c)
        family = compare_family(q, c)
        bound = self.prior + self.family[family]
        for table, level in zip(self.others, others, strict=True):
            bound += table[level]
        family_raised = self.frequency if family == "exact" else 0.0
        if not q.given_key or not c.given_key:
            bound += self.given_missing + family_raised
        elif q.given_key == c.given_key:
            bound += self.given_exact + 2 * family_raised  # a rare full name adds as much again
        else:
            bound += self.given_other + family_raised
        if bound < self.floor:
            return None
        return ComparisonVector(compare_given(q, c), family, *others)


_NOT_OTHER = frozenset({"exact", "swapped"})


KNOWN_NAME_SHARE = 1e-5
"""A given name held by at least this share of the register (10 in a million) is a real name."""
_SPELLING_LEVELS = frozenset({"similar", "somewhat_similar"})


def is_another_real_name(
    vector: ComparisonVector, query: MatchKeys | None, tf: NameFrequency | None
) -> bool:
    """True when the given names are alike in spelling but the query's is itself a name others in
    the register hold (Amy and Ava, Aidan and Aiden): twins are named so, and a typo seldom
    makes a real name. Such a pair needs a personal tie (UPN, email) to be exact."""
    if query is None or tf is None or vector.given_name not in _SPELLING_LEVELS:
        return False
    share = tf("given_name", query.given_key)
    return share is not None and share >= KNOWN_NAME_SHARE and not is_tied(vector)


def _exact(
    ranked: list[Ranked],
    model: MatchModel,
    query: MatchKeys | None = None,
    tf: NameFrequency | None = None,
) -> Ranked | None:
    """The one candidate that is clearly the learner, if there is one."""
    if not ranked:
        return None
    best = ranked[0]
    limits = model.thresholds
    if best.weight < limits.auto_match or not is_exact_pattern(best.comparison):
        return None
    if is_another_real_name(best.comparison, query, tf):
        return None
    if not is_corroborated(best.comparison) and best.weight < limits.auto_match + limits.margin:
        return None
    rivals = [r for r in ranked[1:] if r.candidate.identity != best.candidate.identity]
    if rivals and best.weight - rivals[0].weight < limits.margin:
        return None
    if any(r.weight >= limits.auto_match and is_exact_pattern(r.comparison) for r in rivals):
        return None
    return best


def decide(
    ranked: list[Ranked],
    model: MatchModel,
    *,
    max_possible: int = MAX_POSSIBLE,
    query: MatchKeys | None = None,
    tf: NameFrequency | None = None,
) -> Decision:
    """Exact (or linked, when the one match was merged), possible, too many, or no match.

    Given the query's keys and the name frequencies, a given name spelt like the candidate's but
    itself a name others hold is not exact without a tie (`is_another_real_name`)."""
    exact = _exact(ranked, model, query, tf)
    if exact is not None:
        merged = exact.candidate.status is LearnerStatus.MERGED and exact.candidate.master_uln
        return Decision(MatchOutcome.LINKED if merged else MatchOutcome.EXACT, (exact,))
    possible = [r for r in ranked if r.weight >= model.thresholds.possible]
    active = [r for r in possible if r.candidate.status is not LearnerStatus.MERGED]
    possible = active or possible
    if not possible:
        return Decision(MatchOutcome.NO_MATCH)
    if len(possible) > max_possible:
        return Decision(MatchOutcome.TOO_MANY)
    return Decision(MatchOutcome.POSSIBLE, tuple(possible))


def result_of(
    query: LearnerDetails,
    decision: Decision,
    learners: Mapping[str, Learner],
    model: MatchModel,
    tf: NameFrequency | None,
) -> ScoredMatch:
    """The search result: the chosen learners (`learners` maps ULN to learner, masters included)
    with their explained scores. A LINKED match whose master is missing answers EXACT."""
    found, scores = [], []
    outcome = decision.outcome
    for ranked in decision.chosen:
        uln = ranked.candidate.uln
        if outcome is MatchOutcome.LINKED:
            master = learners.get(ranked.candidate.master_uln or "")
            if master is None:
                outcome = MatchOutcome.EXACT
            else:
                uln = master.uln
        found.append(learners[uln])
        scores.append(explain(query, ranked.candidate.keys, model, tf))
    return ScoredMatch(outcome, tuple(found), tuple(scores))


def classify(
    query: LearnerDetails,
    candidates: Iterable[Learner],
    masters: Mapping[str, Learner],
    model: MatchModel,
    *,
    tf: NameFrequency | None = None,
    max_possible: int = MAX_POSSIBLE,
) -> ScoredMatch:
    """Decide the outcome of a search over whole learners (`masters`: merged records' masters)."""
    pool = {learner.uln: learner for learner in candidates}
    keys = match_keys(query)
    ranked = rank(keys, map(Candidate.of, pool.values()), model, tf)
    decision = decide(ranked, model, max_possible=max_possible, query=keys, tf=tf)
    return result_of(query, decision, pool | dict(masters), model, tf)
