"""Service tests run against the in-memory fakes: a fresh register per test, a fixed today."""

from __future__ import annotations

import datetime as dt

import pytest

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.learners.learner import Learner, LearnerDetails, LearnerStatus
from openlrs.services.learners.register import issue_uln
from openlrs.services.policy import RegisterPolicy
from openlrs.synth import generate_learners
from tests.unit.fakes import FakeDatabase, FakeUnitOfWork

TODAY = dt.date(2025, 9, 1)
POLICY = RegisterPolicy(today=lambda: TODAY)
PROVIDER = "10000001"
OTHER_PROVIDER = "10000002"

LRB = Principal(actor="user:registrar", ukprn=PROVIDER, roles=frozenset({Role.LRB}))
LRB_ADMIN = Principal(actor="user:org-admin", ukprn=PROVIDER, roles=frozenset({Role.LRB_ADMIN}))
AO = Principal(actor="user:awarder", ukprn=OTHER_PROVIDER, roles=frozenset({Role.AO}))
ADMIN = Principal(actor="user:desk", ukprn="10000009", roles=frozenset({Role.ADMIN}))


def people(count: int, *, seed: int = 1) -> list[LearnerDetails]:
    """Realistic, valid synthetic learners, the same for the same seed."""
    return list(generate_learners(count, seed=seed, today=TODAY))


def person(seed: int = 1) -> LearnerDetails:
    return people(1, seed=seed)[0]


@pytest.fixture
def database() -> FakeDatabase:
    return FakeDatabase()


@pytest.fixture
def uow(database: FakeDatabase) -> FakeUnitOfWork:
    return FakeUnitOfWork(database)


def store_learner(
    uow: FakeUnitOfWork,
    details: LearnerDetails,
    *,
    status: LearnerStatus = LearnerStatus.ACTIVE,
    master_uln: str | None = None,
) -> Learner:
    """Put a learner straight into the register (bypassing the duplicate check), committed."""
    with uow:
        learner = Learner(issue_uln(uow), details, status=status, master_uln=master_uln)
        uow.learners.add(learner, actor="seed", ukprn=PROVIDER)
        uow.commit()
        stored = uow.learners.get(learner.uln)
    assert stored is not None
    return stored
