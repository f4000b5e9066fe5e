"""An organisation's current learners: those the register records it as having registered or
having on roll, and whether someone else has them too (dual registration: a pupil on roll at two
schools at once is one learner with two relationships, never two learners)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from openlrs.domain.learners.change_request import RelationshipKind


@dataclass(frozen=True)
class CurrentLearner:
    uln: str
    given_name: str
    family_name: str
    date_of_birth: dt.date
    upn: str | None
    kinds: frozenset[RelationshipKind]
    since: dt.datetime | None
    """When the organisation's first relationship with the learner was recorded."""
    elsewhere: int = 0
    """How many other organisations have the learner on roll or registered them."""

    @property
    def dual_registered(self) -> bool:
        return self.elsewhere > 0


@dataclass(frozen=True)
class CurrentLearnersPage:
    learners: tuple[CurrentLearner, ...]
    next_after: str | None
    """The ULN to page on from (`after`), or None on the last page."""
