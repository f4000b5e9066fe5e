"""Demo content for every portal page: providers (verified and waiting), qualifications and units,
learning events, a Diploma account with results, open challenges and a batch with failed rows.

Seeded once, through the same use cases as everything else; `seed_content` does nothing when
the demo qualification is already on the register.
"""

from __future__ import annotations

import datetime as dt
import logging

from openlrs.batch.worker import BatchWorker
from openlrs.demo_casework import seed_casework
from openlrs.domain.accounts.organisations import SYSTEM, Principal, Role
from openlrs.domain.diploma.diploma_rules import Component
from openlrs.domain.diploma.rule_files import diploma_rules
from openlrs.domain.errors import AccountExists, DomainError
from openlrs.domain.learners.learner import Learner
from openlrs.domain.matching.verification import ClaimedDetails
from openlrs.domain.plr.achievements import AchievementDetails
from openlrs.domain.plr.qualifications import Qualification, Unit
from openlrs.services.accounts import manage as accounts
from openlrs.services.batches.jobs import SubmitBatch, submit_batch
from openlrs.services.diploma.open_account import OpenDiplomaAccount, open_diploma_account
from openlrs.services.diploma.submit_result import SubmitDiplomaResult, submit_diploma_result
from openlrs.services.plr import event_challenges
from openlrs.services.plr.post_achievement import PostAchievement, post_achievement
from openlrs.services.plr.qualification_register import add_qualification, add_unit
from openlrs.services.ports import UnitOfWorkFactory
from openlrs.services.providers.apply import apply_for_ukprn
from openlrs.services.providers.verify import Decide, decide_application
from openlrs.synth.providers import generate_providers

log = logging.getLogger("openlrs.demo")

DESK = Principal("user:admin@10000001", "10000001", frozenset({Role.ADMIN}))
COLLEGE = Principal("user:lrb_admin@10004321", "10004321", frozenset({Role.LRB_ADMIN}))
AWARDING_BODY = Principal("user:ao@10009999", "10009999", frozenset({Role.AO}))
AO_UKPRN = "10009999"
DEMO_USER_PASSWORD = "demo-password-2026"
QUALIFICATIONS = (
    ("601/0001/1", "Level 2 Certificate in Bricklaying", "VRQ", "2", 37),
    ("601/0002/2", "Level 3 Diploma in Electrical Installation", "NVQ", "3", 72),
    ("601/0003/3", "Level 1 Award in Health and Safety in the Workplace", "QCF", "1", 3),
    ("601/0004/4", "Level 2 Certificate in Customer Service", "QCF", "2", 15),
)
UNITS = (
    ("A/601/0001", "Setting out masonry structures", "2", 6),
    ("A/601/0002", "Installing wiring systems", "3", 10),
    ("A/601/0003", "Managing risk in the workplace", "1", 3),
)
GRADES = ("Pass", "Merit", "Distinction", "Pass")
BAD_BATCH = (
    b"source_learner_id,given_name,family_name,date_of_birth,gender,postcode\r\n"
    b"RIV-0101,Amelia,Hartley,14/03/2007,2,LS6 2QP\r\n"
    b"RIV-0102,,Okafor,2006-11-02,1,M14 5RT\r\n"
    b"RIV-0103,Jacob,Whitmore,2031-01-01,1,S10 2TN\r\n"
    b"RIV-0104,Priya,Chandrasekar,2007-07-30,7,B29 6AU\r\n"
    b"RIV-0105,Tomasz,Nowak,2006-02-29,1,NG7 1AA\r\n"
)


def seed_content(uow: UnitOfWorkFactory, learners: list[Learner]) -> None:
    with uow() as unit:
        if unit.qualifications.get(QUALIFICATIONS[0][0]) is not None:
            return
    _people(uow)
    _providers(uow)
    _register(uow)
    if len(learners) >= 6:
        _achievements(uow, learners[:4])
        _diploma(uow, learners[4])
        seed_casework(uow, learners[5:])
    _batch(uow)


def _people(uow: UnitOfWorkFactory) -> None:
    """More users at the college: one to manage, and one who has left (deactivated)."""
    for username, roles in (
        ("jo.bloggs@10004321", frozenset({Role.LRB})),
        ("former.colleague@10004321", frozenset({Role.LRB})),
    ):
        try:
            accounts.create_user(
                "10004321", username, DEMO_USER_PASSWORD, roles, principal=SYSTEM, uow=uow()
            )
        except AccountExists:
            return
    accounts.revoke_account("user", "former.colleague@10004321", principal=SYSTEM, uow=uow())


def _providers(uow: UnitOfWorkFactory) -> None:
    """Five applications for a UKPRN: three approved, two waiting in the desk's queue."""
    for index, details in enumerate(generate_providers(5, seed=2026)):
        provider = apply_for_ukprn(details, uow=uow())
        if index >= 3:
            continue
        decision = Decide(provider.reference, approve=True, confirm_not_duplicate=True)
        try:
            decide_application(decision, principal=DESK, uow=uow())
        except DomainError as exc:
            log.info("demo: provider decision skipped (%s)", exc.code)


def _register(uow: UnitOfWorkFactory) -> None:
    for number, title, kind, level, glh in QUALIFICATIONS:
        add_qualification(
            Qualification(number, title, kind, level, frozenset({AO_UKPRN}), glh=glh),
            principal=DESK,
            uow=uow(),
        )
    for reference, title, level, credit in UNITS:
        add_unit(Unit(reference, title, level, credit, AO_UKPRN), principal=DESK, uow=uow())


def _achievements(uow: UnitOfWorkFactory, learners: list[Learner]) -> None:
    today = dt.datetime.now(dt.UTC).date()
    events = []
    for index, learner in enumerate(learners):
        d = learner.details
        claimed = ClaimedDetails(d.given_name, d.family_name, d.date_of_birth, d.gender)
        number = QUALIFICATIONS[index % len(QUALIFICATIONS)][0]
        award = AchievementDetails(
            number, today - dt.timedelta(days=40 + 30 * index), GRADES[index]
        )
        posted = post_achievement(
            PostAchievement(learner.uln, claimed, award), principal=AWARDING_BODY, uow=uow()
        )
        events.append(posted.event)
    reasons = (
        "The learner was awarded a Merit, not a Pass: see the centre's results sheet.",
        "The award date should be the date of the final assessment, a week earlier.",
    )
    for event, reason in zip(events, reasons, strict=False):
        command = event_challenges.RaiseChallenge(event.uln, event.id, reason)
        try:
            event_challenges.raise_challenge(command, principal=COLLEGE, uow=uow())
        except DomainError as exc:
            log.info("demo: challenge skipped (%s)", exc.code)


def _diploma(uow: UnitOfWorkFactory, learner: Learner) -> None:
    rules = diploma_rules("engineering", "higher")
    account, _ = open_diploma_account(
        OpenDiplomaAccount(learner.uln, rules.line, rules.level.value, AO_UKPRN),
        principal=COLLEGE,
        uow=uow(),
    )
    assert account.id is not None
    (number,) = sorted(rules.principal_learning.qualifications)
    on = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=20)
    results = (
        (
            "pl",
            Component.PRINCIPAL_LEARNING,
            number,
            "Principal learning",
            rules.qcf_level,
            "B",
            None,
        ),
        (
            "fs-english",
            Component.FUNCTIONAL_SKILL,
            "500/9999/9",
            "Functional Skills English",
            2,
            "PASS",
            "english",
        ),
        (
            "fs-maths",
            Component.FUNCTIONAL_SKILL,
            "500/9999/9",
            "Functional Skills mathematics",
            2,
            "PASS",
            "mathematics",
        ),
    )
    for reference, component, qualification, title, level, grade, subject in results:
        command = SubmitDiplomaResult(
            account_id=str(account.id),
            reference=reference,
            component=component,
            qualification=qualification,
            title=title,
            level=level,
            grade=grade,
            achieved_on=on,
            subject=subject,
        )
        try:
            submit_diploma_result(command, principal=AWARDING_BODY, uow=uow())
        except DomainError as exc:
            log.info("demo: diploma result skipped (%s)", exc.code)


def _batch(uow: UnitOfWorkFactory) -> None:
    """A registration file whose five rows all fail, each for its own reason, processed at once
    (no learner is added: the demo population stays the size asked for)."""
    submit_batch(
        SubmitBatch("registration", "csv", "spring-enrolments.csv", BAD_BATCH),
        principal=COLLEGE,
        uow=uow(),
    )
    BatchWorker(uow).run(until_idle=True)
