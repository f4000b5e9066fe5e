"""Qualifications, claims and achievements for the PLR tests: the register of an owned, a shared
and another awarding body's qualification (and a unit), loaded through the use case or posted to
the API, and achievements as commands or as request bodies."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from openlrs.domain.accounts.organisations import Role
from openlrs.domain.learners.learner import Learner
from openlrs.domain.matching.verification import ClaimedDetails
from openlrs.domain.plr.achievements import AchievementDetails
from openlrs.domain.plr.qualifications import Availability, Qualification, Unit
from openlrs.services.plr.post_achievement import PostAchievement
from openlrs.services.plr.qualification_register import load_register
from openlrs.services.ports import UnitOfWork
from tests.builders.principals import ADMIN, AO, AWARDING_UKPRN, OTHER_AO, OTHER_UKPRN

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

    from tests.functional.callers import Register

OWNED = "100/0001/1"
SHARED = "100/0002/2"
NOT_OWNED = "100/0003/3"
UNIT = "A/100/0001"
AWARDED = dt.date(2025, 6, 30)


def load_qualifications(uow: UnitOfWork) -> None:
    """OWNED by AO, SHARED by a third body, NOT_OWNED by OTHER_AO, and AO's private UNIT."""
    load_register(
        [
            Qualification(OWNED, "GCSE in Mathematics", "GCSE", "2", frozenset({AO.ukprn})),
            Qualification(SHARED, "Functional Skills English", "FS", "1", frozenset({"10000004"}), shared=True),
            Qualification(NOT_OWNED, "A level in History", "A level", "3", frozenset({OTHER_AO.ukprn})),
            Unit(UNIT, "Using spreadsheets", "2", 3, AO.ukprn, Availability.PRIVATE),
        ],
        principal=ADMIN,
        uow=uow,
    )  # fmt: skip


def qualification_body(number: str, owners: list[str], *, shared: bool = False) -> dict[str, Any]:
    return {
        "number": number,
        "title": f"Certificate {number}",
        "qualification_type": "VRQ",
        "level": "2",
        "owners": owners,
        "shared": shared,
        "credit": 13,
    }


def post_qualifications(api: TestClient, register: Register) -> None:
    """Through the API: OWNED by AWARDING_UKPRN (the ao caller's home), SHARED by a third body,
    NOT_OWNED by OTHER_UKPRN."""
    admin = register.headers(Role.ADMIN)
    for body in (
        qualification_body(OWNED, [AWARDING_UKPRN]),
        qualification_body(SHARED, ["10008888"], shared=True),
        qualification_body(NOT_OWNED, [OTHER_UKPRN]),
    ):
        response = api.post("/api/v1/qualifications", json=body, headers=admin)
        assert response.status_code == 201, response.text


def claimed_details(learner: Learner) -> ClaimedDetails:
    d = learner.details
    return ClaimedDetails(d.given_name, d.family_name, d.date_of_birth, d.gender)


def claim_body(learner: Learner) -> dict[str, Any]:
    d = learner.details
    return {
        "given_name": d.given_name,
        "family_name": d.family_name,
        "date_of_birth": d.date_of_birth.isoformat(),
        "gender": d.gender,
    }


def achievement_command(
    learner: Learner, subject: str = OWNED, *, grade: str = "7", uln: str | None = None
) -> PostAchievement:
    return PostAchievement(
        uln or learner.uln, claimed_details(learner), AchievementDetails(subject, AWARDED, grade)
    )


def achievement_body(learner: Learner, subject: str = OWNED, grade: str = "Pass") -> dict[str, Any]:
    return {
        "learner": claim_body(learner),
        "subject": subject,
        "award_date": AWARDED.isoformat(),
        "grade": grade,
    }


def knowledge_headers(learner: Learner) -> dict[str, str]:
    """The headers an organisation sends to show it knows the learner (percent-encoded UTF-8)."""
    d = learner.details
    return {
        "Learner-Given-Name": quote(d.given_name, safe=""),
        "Learner-Family-Name": quote(d.family_name, safe=""),
    }
