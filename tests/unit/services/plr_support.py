"""Shared set-up for the PLR service tests: a register with an owned, a shared and another AO's
qualification, and claims built from a stored learner."""

from __future__ import annotations

import datetime as dt

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.learners.learner import Learner
from openlrs.domain.matching.verification import ClaimedDetails
from openlrs.domain.plr.achievements import AchievementDetails
from openlrs.domain.plr.qualifications import Availability, Qualification, Unit
from openlrs.services.plr.post_achievement import PostAchievement
from openlrs.services.plr.qualification_register import load_register
from tests.unit.fakes import FakeUnitOfWork
from tests.unit.services.conftest import ADMIN, AO

OTHER_AO = Principal(actor="user:other-awarder", ukprn="10000003", roles=frozenset({Role.AO}))
OWNED = "100/0001/1"
SHARED = "100/0002/2"
NOT_OWNED = "100/0003/3"
UNIT = "A/100/0001"
AWARDED = dt.date(2025, 6, 30)


def seed_register(uow: FakeUnitOfWork) -> None:
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


def claim(learner: Learner) -> ClaimedDetails:
    d = learner.details
    return ClaimedDetails(d.given_name, d.family_name, d.date_of_birth, d.gender)


def posting(
    learner: Learner, subject: str = OWNED, *, grade: str = "7", uln: str | None = None
) -> PostAchievement:
    return PostAchievement(
        uln or learner.uln, claim(learner), AchievementDetails(subject, AWARDED, grade)
    )
