"""A registration held in the exceptions queue: the register may already hold the learner, and a
person at the submitting organisation decides (same person → that ULN; different → a new ULN)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from enum import StrEnum

from openlrs.domain.learners.learner import LearnerDetails
from openlrs.domain.prohibited import name_key


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
    fingerprint: str | None = None


def person_fingerprint(details: LearnerDetails) -> str:
    """Who a held registration is for: the details a search matches on, normalised (name keys
    without case, accents or punctuation; postcode without spaces). Two registrations from one
    organisation with the same fingerprint wait as one exceptions-queue entry."""
    postcode = "".join(details.postcode.split()).upper()
    parts = (
        name_key(details.given_name),
        name_key(details.family_name),
        details.date_of_birth.isoformat(),
        str(details.gender),
        postcode,
    )
    return hashlib.sha256("|".join(parts).encode()).hexdigest()
