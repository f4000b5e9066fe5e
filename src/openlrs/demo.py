"""Demo data: organisations, users, API clients and a synthetic population, seeded once."""

from __future__ import annotations

import datetime as dt

from openlrs.demo_content import seed_content
from openlrs.domain.accounts.organisations import SYSTEM, OrgType, Principal, Role
from openlrs.domain.errors import AccountExists, RegistrationRefused
from openlrs.domain.learners.learner import Learner
from openlrs.services.accounts import manage as accounts
from openlrs.services.learners.register import RegisterLearner, register_learner
from openlrs.services.matching.name_frequencies import refresh_name_frequencies
from openlrs.services.ports import UnitOfWorkFactory
from openlrs.synth import generate_learners

DEMO_ORGANISATIONS = (
    ("10000001", "openlrs Service Desk", OrgType.SERVICE_DESK, Role.ADMIN),
    ("10004321", "Riverside College", OrgType.COLLEGE, Role.LRB_ADMIN),
    ("10007777", "Northgate Academy", OrgType.SCHOOL, Role.LRB),
    ("10009999", "Example Awarding Body", OrgType.AWARDING_ORGANISATION, Role.AO),
)
DEMO_PASSWORD = "demo-password-2026"
DEMO_SCHOOL, DEMO_SCHOOL_NUMBER = "10007777", "3804001"
"""Northgate Academy's DfE number (LEA 380, establishment 4001): its CTFs name it."""


def _secret(ukprn: str) -> str:
    return f"demo-secret-{ukprn}-not-for-production"


def seed_demo(uow: UnitOfWorkFactory, *, learners: int, seed: int) -> list[str]:
    """Create what is missing (safe to run again) and return lines describing the credentials."""
    lines = []
    for ukprn, name, org_type, role in DEMO_ORGANISATIONS:
        accounts.ensure_organisation(ukprn, name, org_type, principal=SYSTEM, uow=uow())
        client_id = f"demo-{ukprn}"
        username = f"{role.value}@{ukprn}"
        try:
            accounts.create_client(
                ukprn,
                frozenset({role}),
                principal=SYSTEM,
                uow=uow(),
                credentials=(client_id, _secret(ukprn)),
            )
            accounts.create_user(
                ukprn, username, DEMO_PASSWORD, frozenset({role}), principal=SYSTEM, uow=uow()
            )
        except AccountExists:
            pass
        lines.append(
            f"{name} ({ukprn}, role {role.value}): client_id={client_id} "
            f"client_secret={_secret(ukprn)}  user={username} password={DEMO_PASSWORD}"
        )
    accounts.set_school_number(DEMO_SCHOOL, DEMO_SCHOOL_NUMBER, principal=SYSTEM, uow=uow())
    registered = _seed_learners(uow, learners, seed)
    refresh_name_frequencies(principal=SYSTEM, uow=uow())
    if learners:  # a population to attach learning to (tests seed organisations only)
        seed_content(uow, registered)
    return lines


def _seed_learners(uow: UnitOfWorkFactory, count: int, seed: int) -> list[Learner]:
    """Register what is missing of the synthetic population; the learners registered now."""
    with uow() as unit:
        existing = unit.learners.count()
    registered: list[Learner] = []
    if existing >= count:
        return registered
    registrar = Principal(
        actor="client:demo-10004321", ukprn="10004321", roles=frozenset({Role.LRB})
    )
    today = dt.datetime.now(dt.UTC).date()
    for details in generate_learners(count - existing, seed=seed + existing, today=today):
        try:
            outcome = register_learner(
                RegisterLearner(details, confirm_different_person=True),
                principal=registrar,
                uow=uow(),
            )
        except RegistrationRefused:
            continue  # the synthetic population happened to repeat a person
        registered.append(outcome)
    return registered
