"""A registration held in the exceptions queue: the register may already hold the learner, and a
person at the submitting organisation decides (same person → that ULN; different → a new ULN)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from openlrs.domain.learners.learner import LearnerDetails


class HeldStatus(StrEnum):
    OPEN = "open"
    SAME_PERSON = "resolved_same_person"
    NEW_LEARNER = "resolved_new_learner"


class Decision(StrEnum):
    SAME_PERSON = "same_person"
    DIFFERENT_PERSON = "different_person"


@dataclass(frozen=True)
class HeldRegistration:
    ukprn: str
    submitted_by: str
    details: LearnerDetails
    outcome: str
    candidate_ulns: tuple[str, ...] = field(default_factory=tuple)
    status: HeldStatus = HeldStatus.OPEN
    resolved_uln: str | None = None
    resolved_by: str | None = None
    id: int | None = None
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
