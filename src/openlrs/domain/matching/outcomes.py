"""What a search can conclude, with the code the LRS used for each."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from openlrs.domain.learners.learner import Learner


class MatchOutcome(StrEnum):
    NO_MATCH = "no_match"
    TOO_MANY = "too_many"
    POSSIBLE = "possible"
    EXACT = "exact"
    LINKED = "linked"

    @property
    def lrs_code(self) -> str:
        return _LRS_CODES[self]


_LRS_CODES = {
    MatchOutcome.NO_MATCH: "WSRC0001",
    MatchOutcome.TOO_MANY: "WSRC0002",
    MatchOutcome.POSSIBLE: "WSRC0003",
    MatchOutcome.EXACT: "WSRC0004",
    MatchOutcome.LINKED: "WSRC0022",
}


@dataclass(frozen=True)
class MatchResult:
    outcome: MatchOutcome
    learners: tuple[Learner, ...] = field(default_factory=tuple)
