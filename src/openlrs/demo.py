"""Demo data: organisations, users, API clients and a synthetic population, seeded once."""

from __future__ import annotations

import datetime as dt

from openlrs.demo_content import seed_content
from openlrs.domain.accounts.organisations import SYSTEM, OrgType, Principal, Role
from openlrs.domain.accounts.portal_session import SessionRules
from openlrs.domain.errors import AccountExists, RegistrationRefused
from openlrs.domain.learners.learner import Learner, LearnerDetails
from openlrs.domain.matching.verification import ClaimedDetails
from openlrs.domain.plr.achievements import AchievementDetails
from openlrs.domain.plr.errors import QualificationExists
from openlrs.domain.plr.qualifications import Qualification
from openlrs.services.accounts import manage as accounts
from openlrs.services.learner_accounts.activation import Activate, activate, issue_activation_code
from openlrs.services.learners.register import RegisterLearner, register_learner
from openlrs.services.matching.name_frequencies import refresh_name_frequencies
from openlrs.services.plr.post_achievement import PostAchievement, post_achievement
from openlrs.services.plr.qualification_register import add_qualification
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
    if learners > 0:
        lines.append(seed_demo_learner(uow))
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


DEMO_LEARNER = LearnerDetails("Ada", "Brightwater", dt.date(2006, 12, 10), 2, "LS1 4AP")
DEMO_LEARNER_PASSWORD = "demo-learner-password"
_DEMO_QUALIFICATION = "600/0001/1"


def seed_demo_learner(uow: UnitOfWorkFactory) -> str:
    """A learner (registered by Riverside College, with an achievement from Example Awarding
    Body) whose account is already activated, so the learner pages can be tried at once."""
    college = Principal(
        actor="user:lrb_admin@10004321", ukprn="10004321", roles=frozenset({Role.LRB})
    )
    body = Principal(actor="user:ao@10009999", ukprn="10009999", roles=frozenset({Role.AO}))
    try:
        uln = register_learner(RegisterLearner(DEMO_LEARNER), principal=college, uow=uow()).uln
    except RegistrationRefused as exc:  # seeded before: the register answers with her
        uln = next(c.uln for c in exc.candidates if isinstance(c, Learner))
    try:
        qualification = Qualification(
            _DEMO_QUALIFICATION, "Certificate in Digital Skills", "VRQ", "2",
            frozenset({"10009999"}), credit=12,
        )  # fmt: skip
        add_qualification(qualification, principal=SYSTEM, uow=uow())
    except QualificationExists:
        pass
    d = DEMO_LEARNER
    claimed = ClaimedDetails(d.given_name, d.family_name, d.date_of_birth, d.gender)
    achievement = AchievementDetails(_DEMO_QUALIFICATION, dt.date(2025, 7, 14), "Merit")
    post_achievement(PostAchievement(uln, claimed, achievement), principal=body, uow=uow())
    with uow() as unit:
        active = unit.learner_accounts.get(uln) is not None
    if not active:
        issued = issue_activation_code(uln, principal=SYSTEM, uow=uow())
        command = Activate(uln, d.date_of_birth, issued.code, DEMO_LEARNER_PASSWORD)
        activate(command, rules=SessionRules(), uow=uow())
    return (
        f"Demo learner {d.given_name} {d.family_name}: sign in at /learner/sign-in with "
        f"ULN {uln} and password {DEMO_LEARNER_PASSWORD} (account already activated)"
    )
