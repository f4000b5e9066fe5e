"""Diploma accounts made through the use cases, and Diploma results as request bodies.

Two worlds: the unit tier's, on one unit of work (a fake), where LRB opens each account naming
AO's organisation as the Diploma awarding body; and the API's, on a real database, where a centre
in OWN_UKPRN opens each account naming the awarding organisation AWARDING_UKPRN (the home of the
ao callers), so that every role's caller has a part to play. Each account's learner comes from
its own seed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.diploma.diploma_rules import PLTS, DiplomaRules
from openlrs.domain.diploma.evaluation import DiplomaEvaluation
from openlrs.domain.diploma.results import ComponentResult
from openlrs.domain.diploma.rule_files import diploma_rules
from openlrs.services.diploma.award import AwardDiploma, award_diploma
from openlrs.services.diploma.centre_evidence import record_plts, record_work_experience
from openlrs.services.diploma.claim import claim_diploma
from openlrs.services.diploma.open_account import OpenDiplomaAccount, open_diploma_account
from openlrs.services.diploma.submit_result import SubmitDiplomaResult, submit_diploma_result
from openlrs.services.ports import UnitOfWork, UnitOfWorkFactory
from tests.builders.diploma_results import complete_results
from tests.builders.learners import learner_details, registered_learner, store_learner
from tests.builders.principals import AO, AWARDING_UKPRN, LRB, OTHER_PROVIDER, OWN_UKPRN

CENTRE = Principal("user:centre", OWN_UKPRN, frozenset({Role.LRB}))
"""The API world's centre, which opens and claims accounts."""
BODY = Principal("user:awarding-body", AWARDING_UKPRN, frozenset({Role.AO}))
"""The API world's awarding body, which submits results and awards."""
RULES = diploma_rules("engineering", "higher")


# The unit tier: one unit of work, LRB's centre, AO's awarding body.


def opened_account(uow: UnitOfWork, seed: int = 1) -> str:
    """A Higher Diploma in Engineering account, opened by LRB for a learner stored afresh."""
    learner = store_learner(uow, learner_details(seed))
    account, evaluation = open_diploma_account(
        OpenDiplomaAccount(learner.uln, RULES.line, RULES.level.value, OTHER_PROVIDER),
        principal=LRB,
        uow=uow,
    )
    assert account.id is not None and not evaluation.complete
    return account.id


def submit_result_command(account_id: str, result: ComponentResult) -> SubmitDiplomaResult:
    """The command that sends `result` to the account."""
    return SubmitDiplomaResult(
        account_id=account_id,
        reference=result.reference,
        component=result.component,
        qualification=result.qualification,
        title=result.title,
        level=result.level,
        grade=result.grade,
        achieved_on=result.achieved_on,
        points=result.points,
        subject=result.subject,
        glh=result.glh,
        barring_code=result.barring_code,
    )


def submit_result(
    uow: UnitOfWork, account_id: str, result: ComponentResult, who: Principal = AO
) -> DiplomaEvaluation:
    return submit_diploma_result(submit_result_command(account_id, result), principal=who, uow=uow)


def fill_account(uow: UnitOfWork, account_id: str) -> None:
    """Every result the Diploma asks for (A and B grades) and the centre's evidence: complete."""
    for result in complete_results(RULES, "A", "B"):
        submit_result(uow, account_id, result)
    record_work_experience(account_id, 10, principal=LRB, uow=uow)
    record_plts(account_id, frozenset(PLTS), principal=LRB, uow=uow)


# The API world: a real database, a new unit of work per use case, the centre in OWN_UKPRN and
# the awarding body in AWARDING_UKPRN.


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


def complete_result_bodies(rules: DiplomaRules = RULES) -> list[dict[str, Any]]:
    """Every result `rules` asks for, as request bodies."""
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


def diploma_account(
    uow_factory: UnitOfWorkFactory, *, seed: int, centre: Principal = CENTRE
) -> str:
    """An account opened by `centre` for a learner registered afresh from `seed`."""
    account, _ = open_diploma_account(
        OpenDiplomaAccount(
            registered_learner(uow_factory, seed).uln,
            RULES.line,
            RULES.level.value,
            AWARDING_UKPRN,
        ),
        principal=centre,
        uow=uow_factory(),
    )
    assert account.id is not None
    return account.id


def submit_result_body(
    uow_factory: UnitOfWorkFactory,
    account_id: str,
    body: dict[str, Any],
    principal: Principal = BODY,
) -> None:
    fields = body | {"achieved_on": dt.date.fromisoformat(body["achieved_on"])}
    submit_diploma_result(
        SubmitDiplomaResult(account_id=account_id, **fields), principal=principal, uow=uow_factory()
    )


def complete_diploma_account(
    uow_factory: UnitOfWorkFactory,
    *,
    seed: int,
    claimed: bool = False,
    centre: Principal = CENTRE,
) -> str:
    """An account with every result and the centre's evidence, claimed if asked."""
    account_id = diploma_account(uow_factory, seed=seed, centre=centre)
    for body in complete_result_bodies():
        submit_result_body(uow_factory, account_id, body)
    record_work_experience(account_id, 10, principal=centre, uow=uow_factory())
    record_plts(account_id, frozenset(PLTS), principal=centre, uow=uow_factory())
    if claimed:
        claim_diploma(account_id, principal=centre, uow=uow_factory())
    return account_id


def awarded_diploma_account(
    uow_factory: UnitOfWorkFactory, *, seed: int, centre: Principal = CENTRE
) -> str:
    """A complete account, claimed and awarded (with its trial grade) by BODY."""
    account_id = complete_diploma_account(uow_factory, seed=seed, claimed=True, centre=centre)
    award_diploma(AwardDiploma(account_id), principal=BODY, uow=uow_factory())
    return account_id
