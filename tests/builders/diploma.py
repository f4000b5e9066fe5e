"""Diploma accounts for API tests, made through the use cases: fresh, complete, or claimed.

A centre in OWN_UKPRN opens each account, naming OWN_UKPRN's awarding body as the Diploma
awarding body, so that every role's caller in OWN_UKPRN has a part to play."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from openlrs.domain.accounts.organisations import SYSTEM, Principal, Role
from openlrs.domain.diploma.diploma_rules import PLTS, DiplomaRules
from openlrs.domain.diploma.rule_files import diploma_rules
from openlrs.services.diploma.award import AwardDiploma, award_diploma
from openlrs.services.diploma.centre_evidence import record_plts, record_work_experience
from openlrs.services.diploma.claim import claim_diploma
from openlrs.services.diploma.open_account import OpenDiplomaAccount, open_diploma_account
from openlrs.services.diploma.submit_result import SubmitDiplomaResult, submit_diploma_result
from openlrs.services.learners.register import RegisterLearner, register_learner
from openlrs.services.ports import UnitOfWorkFactory
from tests.functional.callers import OWN_UKPRN
from tests.functional.factories import learner_details

CENTRE = Principal("user:centre", OWN_UKPRN, frozenset({Role.LRB}))
BODY = Principal("user:awarding-body", OWN_UKPRN, frozenset({Role.AO}))
RULES = diploma_rules("engineering", "higher")
_seeds = itertools.count(9100)


def new_uln(uow_factory: UnitOfWorkFactory) -> str:
    """A learner registered afresh (a new seed each time), for a new account."""
    (details,) = learner_details(1, seed=next(_seeds))
    return register_learner(RegisterLearner(details), principal=SYSTEM, uow=uow_factory()).uln


def result_body(reference: str, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "reference": reference,
        "component": "asl",
        "qualification": "600/0000/1",
        "title": "Level 2 Certificate in Statistics",
        "level": 2,
        "grade": "B",
        "achieved_on": "2026-06-30",
        "glh": 90,
        "barring_code": "5000",
    }
    return body | changes


def complete_bodies(rules: DiplomaRules = RULES) -> list[dict[str, Any]]:
    (number,) = rules.principal_learning.qualifications
    level = rules.qcf_level
    bodies = [
        result_body(
            "pl",
            component="principal_learning",
            qualification=number,
            level=level,
            title="Principal learning",
            grade="A",
            glh=0,
            barring_code=None,
        ),
        result_body(
            "project",
            component="project",
            title="Higher project",
            level=level,
            grade="B",
            glh=0,
            barring_code=None,
        ),
        result_body("asl-1", glh=90, barring_code="5001"),
        result_body("asl-2", glh=90, barring_code="5002"),
    ]
    bodies += [
        result_body(
            f"fs-{s}",
            component="functional_skill",
            subject=s,
            level=level,
            title=f"Functional skills {s}",
            grade="PASS",
            glh=0,
            barring_code=None,
        )
        for s in ("english", "mathematics", "ict")
    ]
    return bodies


def open_account(uow_factory: UnitOfWorkFactory) -> int:
    account, _ = open_diploma_account(
        OpenDiplomaAccount(new_uln(uow_factory), RULES.line, RULES.level.value, OWN_UKPRN),
        principal=CENTRE,
        uow=uow_factory(),
    )
    assert account.id is not None
    return account.id


def submit(uow_factory: UnitOfWorkFactory, account_id: int, body: dict[str, Any]) -> None:
    fields = body | {"achieved_on": dt.date.fromisoformat(body["achieved_on"])}
    submit_diploma_result(
        SubmitDiplomaResult(account_id=account_id, **fields), principal=BODY, uow=uow_factory()
    )


def complete_account(uow_factory: UnitOfWorkFactory, *, claimed: bool = False) -> int:
    account_id = open_account(uow_factory)
    for body in complete_bodies():
        submit(uow_factory, account_id, body)
    record_work_experience(account_id, 10, principal=CENTRE, uow=uow_factory())
    record_plts(account_id, frozenset(PLTS), principal=CENTRE, uow=uow_factory())
    if claimed:
        claim_diploma(account_id, principal=CENTRE, uow=uow_factory())
    return account_id


def awarded_account(uow_factory: UnitOfWorkFactory) -> int:
    """A complete account, claimed and awarded (with its trial grade) by OWN_UKPRN's body."""
    account_id = complete_account(uow_factory, claimed=True)
    award_diploma(AwardDiploma(account_id), principal=BODY, uow=uow_factory())
    return account_id
