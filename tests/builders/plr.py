"""Qualifications, learners and achievement bodies for the PLR API tests."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from openlrs.domain.accounts.organisations import SYSTEM, Role
from openlrs.domain.learners.learner import Learner
from openlrs.services.learners.register import RegisterLearner, register_learner
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.functional.callers import OTHER_UKPRN, OWN_UKPRN, Register
from tests.functional.factories import learner_details

OWNED = "200/0001/1"
SHARED = "200/0002/2"
NOT_OWNED = "200/0003/3"


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


def seed_qualifications(api: TestClient, register: Register) -> None:
    admin = register.headers(Role.ADMIN)
    for body in (
        qualification_body(OWNED, [OWN_UKPRN]),
        qualification_body(SHARED, ["10008888"], shared=True),
        qualification_body(NOT_OWNED, [OTHER_UKPRN]),
    ):
        response = api.post("/api/v1/qualifications", json=body, headers=admin)
        assert response.status_code == 201, response.text


def new_learner(uow_factory: SqlUnitOfWorkFactory, seed: int) -> Learner:
    (details,) = learner_details(1, seed=seed)
    return register_learner(RegisterLearner(details), principal=SYSTEM, uow=uow_factory())


def claim_json(learner: Learner) -> dict[str, Any]:
    d = learner.details
    return {
        "given_name": d.given_name,
        "family_name": d.family_name,
        "date_of_birth": d.date_of_birth.isoformat(),
        "gender": d.gender,
    }


def achievement_body(learner: Learner, subject: str = OWNED, grade: str = "Pass") -> dict[str, Any]:
    return {
        "learner": claim_json(learner),
        "subject": subject,
        "award_date": "2025-06-30",
        "grade": grade,
    }
