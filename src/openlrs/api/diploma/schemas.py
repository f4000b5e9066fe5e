"""Request and response bodies of the Diploma and credit-bank API (issue 8)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from openlrs.domain.diploma.account import ACCOUNT_REFERENCE, DiplomaAccount
from openlrs.domain.diploma.credit_bank import QcfEvaluation
from openlrs.domain.diploma.diploma_rules import Component
from openlrs.domain.diploma.evaluation import DiplomaEvaluation
from openlrs.services.diploma.learner_credit import LearnerCredit
from openlrs.services.diploma.submit_results import MAX_RESULTS, SubmittedResults


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OpenAccountIn(_In):
    uln: str = Field(max_length=20)
    line: str = Field(max_length=64, examples=["engineering"])
    level: str = Field(max_length=20, examples=["advanced"])
    awarding_body_ukprn: str = Field(max_length=8, description="The Diploma awarding body")
    centre_ukprn: str | None = Field(None, max_length=8, description="Service desk only")


class ResultIn(_In):
    reference: str = Field(min_length=1, max_length=64, description="Your own id for the result")
    component: Component
    qualification: str = Field(max_length=12, examples=["500/3913/4"])
    title: str = Field(min_length=1, max_length=200)
    level: int = Field(ge=1, le=8)
    grade: str = Field(min_length=1, max_length=20, description="A*-E, U, X (absent), PASS, FAIL")
    achieved_on: dt.date
    points: int | None = Field(None, ge=0, le=10_000, description="Weighted points, if any")
    subject: str | None = Field(None, max_length=20, description="Functional skills only")
    glh: int = Field(0, ge=0, le=5000)
    barring_code: str | None = Field(None, max_length=20)


class AccountResultIn(ResultIn):
    account_id: str = Field(pattern=ACCOUNT_REFERENCE, description="The account's reference")


class ResultsIn(_In):
    results: list[AccountResultIn] = Field(min_length=1, max_length=MAX_RESULTS)


class WithdrawIn(_In):
    reference: str = Field(min_length=1, max_length=64)


class WorkExperienceIn(_In):
    days: int = Field(ge=0, le=365)


class PltsIn(_In):
    skills: list[str] = Field(max_length=6)


class AwardIn(_In):
    grade: str | None = Field(None, max_length=2, description="Defaults to the trial grade")


class AchievedUnitIn(_In):
    unit: str = Field(max_length=12, examples=["A/601/0001"])
    achieved_on: dt.date


class CreditIn(_In):
    units: list[AchievedUnitIn] = Field(max_length=500)
    exemptions: list[str] = Field(default_factory=list, max_length=50)
    qualification: str | None = Field(None, max_length=12)


def evaluation_json(evaluation: DiplomaEvaluation) -> dict[str, Any]:
    return {
        "complete": evaluation.complete,
        "achievable": evaluation.achievable,
        "trial_grade": evaluation.trial_grade,
        "points": evaluation.points,
        "requirements": [
            {
                "name": r.name,
                "status": r.status.value,
                "detail": r.detail,
                "counted": list(r.counted),
            }
            for r in evaluation.requirements
        ],
    }


def submitted_json(done: SubmittedResults) -> dict[str, Any]:
    return {
        "accepted": sum(o.accepted for o in done.outcomes),
        "refused": sum(not o.accepted for o in done.outcomes),
        "outcomes": [dataclasses.asdict(o) for o in done.outcomes],
        "evaluations": {str(i): evaluation_json(e) for i, e in sorted(done.evaluations.items())},
    }


def account_json(account: DiplomaAccount, evaluation: DiplomaEvaluation | None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": account.id,
        "uln": account.uln,
        "line": account.line,
        "level": account.level.value,
        "centre_ukprn": account.centre_ukprn,
        "awarding_body_ukprn": account.awarding_body_ukprn,
        "status": account.status.value,
        "work_experience_days": account.work_experience_days,
        "plts": sorted(account.plts),
        "final_grade": account.final_grade,
        "results": [
            {
                "reference": r.reference,
                "awarding_body_ukprn": r.awarding_body,
                "component": r.component.value,
                "qualification": r.qualification,
                "title": r.title,
                "level": r.level,
                "grade": r.grade,
                "points": r.points,
                "subject": r.subject,
                "glh": r.glh,
                "barring_code": r.barring_code,
                "achieved_on": r.achieved_on.isoformat(),
            }
            for r in account.results.values()
        ],
    }
    if evaluation is not None:
        body["evaluation"] = evaluation_json(evaluation)
    return body


def credit_json(evaluation: QcfEvaluation) -> dict[str, Any]:
    return {
        "qualification": evaluation.qualification,
        "title": evaluation.title,
        "size": evaluation.size,
        "claimable": evaluation.claimable,
        "credit": evaluation.credit,
        "credit_at_or_above_level": evaluation.credit_at_or_above_level,
        "counted": [
            {"unit": c.unit, "title": c.title, "credit": c.credit, "group": c.group, "how": c.how}
            for c in evaluation.counted
        ],
        "missing": list(evaluation.missing),
        "explanation": list(evaluation.explanation),
    }


def learner_credit_json(found: LearnerCredit) -> dict[str, Any]:
    """The learner's credit: the unit achievements read from their record, and each evaluation
    in the shape `POST /qcf/evaluate` answers with."""
    return {
        "uln": found.uln,
        "linked": found.linked,
        "units": [
            {
                "event_id": e.id,
                "unit": e.subject,
                "title": e.subject_title,
                "achieved_on": e.award_date,
                "awarded_by": e.ukprn,
            }
            for e in found.units
        ],
        "qualifications": [credit_json(e) for e in found.evaluations],
    }
