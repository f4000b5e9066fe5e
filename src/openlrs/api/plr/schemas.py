"""Request bodies for the Personal Learning Record endpoints, and the JSON of its records."""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

from pydantic import ConfigDict, Field

from openlrs.api.learners.schemas import Code, Day, Strict
from openlrs.domain.matching.verification import ClaimedDetails
from openlrs.domain.plr.achievements import LearningEvent
from openlrs.domain.plr.event_challenges import Challenge
from openlrs.domain.plr.qualifications import Availability, Qualification, Unit


class QualificationIn(Strict):
    number: str = Field(description="123/4567/8")
    title: str
    qualification_type: str
    level: str = Field(description="E1, E2, E3 or 1-8")
    owners: list[str] = Field(description="UKPRNs of the owning awarding organisations")
    shared: bool = False
    credit: int | None = None
    glh: int | None = Field(default=None, description="Guided learning hours")
    valid_from: Day | None = None
    valid_to: Day | None = None


class NewUnitIn(Strict):
    reference: str = Field(description="A/123/4567")
    title: str
    level: str
    credit: int
    owner: str = Field(description="UKPRN of the owning awarding organisation")
    availability: Availability = Availability.PRIVATE
    awarders: list[str] = Field(default=[], description="For restricted units: who else awards")


class LearnerClaim(Strict):
    """The learner details the sender holds; they must verify against the ULN (VLD)."""

    given_name: str
    family_name: str
    date_of_birth: Day | None = None
    gender: Code | None = None

    def claimed(self) -> ClaimedDetails:
        return ClaimedDetails(self.given_name, self.family_name, self.date_of_birth, self.gender)


class AchievementIn(Strict):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "learner": {
                        "given_name": "Amelia",
                        "family_name": "Patel",
                        "date_of_birth": "2009-05-17",
                    },
                    "subject": "601/1234/5",
                    "award_date": "2025-07-31",
                    "grade": "Pass",
                }
            ]
        }
    )

    learner: LearnerClaim
    subject: str = Field(description="Qualification number 123/4567/8 or unit reference A/123/4567")
    award_date: Day
    grade: str | None = None
    credits: int | None = None


class AchievementUpdate(Strict):
    award_date: Day
    grade: str | None = None
    credits: int | None = None


class ParticipationIn(Strict):
    learner: LearnerClaim
    learning_aim: str = Field(description="8-character learning aim reference")
    start_date: Day
    end_date: Day | None = None
    title: str | None = None


class SharingIn(Strict):
    shares: bool = Field(description="false: the learner has opted out of sharing their record")


class ChallengeIn(Strict):
    reason: str


class CorrectionIn(Strict):
    award_date: Day
    grade: str | None = None
    credits: int | None = None


class ChallengeDecisionIn(Strict):
    decision: Literal["accept", "reject"]
    response: str
    resolution: Literal["corrected", "withdrawn"] | None = None
    correction: CorrectionIn | None = None


def qualification_json(q: Qualification) -> dict[str, Any]:
    return dataclasses.asdict(q) | {"owners": sorted(q.owners)}


def unit_json(u: Unit) -> dict[str, Any]:
    return dataclasses.asdict(u) | {"awarders": sorted(u.awarders)}


def event_json(event: LearningEvent) -> dict[str, Any]:
    return dataclasses.asdict(event) | {"recorded_by_ukprn": event.ukprn}


def challenge_json(challenge: Challenge) -> dict[str, Any]:
    return dataclasses.asdict(challenge)
