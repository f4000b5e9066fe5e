"""A deterministic matcher: exact on the five mandatory fields, possible on DOB plus one name.

The matching-engine issue replaces this with probabilistic scoring behind the same two functions:
`candidate_dates` says which dates of birth to fetch, `classify` decides the outcome.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from openlrs.domain.demographics import name_key
from openlrs.domain.learner import Gender, Learner, LearnerDetails, LearnerStatus
from openlrs.domain.matching.outcomes import MatchOutcome, MatchResult

MAX_POSSIBLE = 10
_UNSTATED = {Gender.NOT_KNOWN, Gender.NOT_SPECIFIED}


def swapped_date(date: dt.date) -> dt.date | None:
    """The date with day and month exchanged, when that is a different real date."""
    if date.day > 12 or date.day == date.month:
        return None
    try:
        return date.replace(month=date.day, day=date.month)
    except ValueError:
        return None


def candidate_dates(query: LearnerDetails) -> tuple[dt.date, ...]:
    swapped = swapped_date(query.date_of_birth)
    return (query.date_of_birth,) if swapped is None else (query.date_of_birth, swapped)


def _gender_compatible(a: int, b: int) -> bool:
    return a == b or a in _UNSTATED or b in _UNSTATED


def _family_keys(d: LearnerDetails) -> set[str]:
    names = (d.family_name, d.previous_family_name, d.family_name_at_16)
    return {name_key(n) for n in names if n}


def _given_keys(d: LearnerDetails) -> set[str]:
    return {name_key(n) for n in (d.given_name, d.preferred_given_name) if n}


def is_exact(query: LearnerDetails, candidate: LearnerDetails) -> bool:
    return (
        name_key(query.family_name) == name_key(candidate.family_name)
        and name_key(query.given_name) == name_key(candidate.given_name)
        and query.date_of_birth == candidate.date_of_birth
        and _gender_compatible(query.gender, candidate.gender)
        and query.postcode == candidate.postcode
    )


def is_possible(query: LearnerDetails, candidate: LearnerDetails) -> bool:
    if not _gender_compatible(query.gender, candidate.gender):
        return False
    family = bool(_family_keys(query) & _family_keys(candidate))
    given = bool(_given_keys(query) & _given_keys(candidate))
    if query.date_of_birth == candidate.date_of_birth:
        return family or given
    return family and given  # day and month swapped: both names must agree


def classify(
    query: LearnerDetails, candidates: Iterable[Learner], masters: dict[str, Learner]
) -> MatchResult:
    """Decide the outcome of a search. `masters` maps a merged record's master ULN to the master."""
    pool = list(candidates)
    exact = [c for c in pool if is_exact(query, c.details)]
    if len(exact) == 1:
        found = exact[0]
        if found.status is LearnerStatus.MERGED and found.master_uln in masters:
            return MatchResult(MatchOutcome.LINKED, (masters[found.master_uln],))
        return MatchResult(MatchOutcome.EXACT, (found,))
    possible = [c for c in pool if c in exact or is_possible(query, c.details)]
    possible = [c for c in possible if c.status is not LearnerStatus.MERGED] or possible
    if not possible:
        return MatchResult(MatchOutcome.NO_MATCH)
    if len(possible) > MAX_POSSIBLE:
        return MatchResult(MatchOutcome.TOO_MANY)
    return MatchResult(MatchOutcome.POSSIBLE, tuple(possible))
