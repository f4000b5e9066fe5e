"""Diploma learner accounts (centres, component and Diploma awarding bodies) and the QCF credit
bank. Roles: centre = lrb/lrb_admin, awarding bodies = ao, service desk = admin (decision 0014)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response, status

from openlrs.api.deps import CurrentPrincipal, UowFactoryDep, requires
from openlrs.api.diploma.schemas import (
    AwardIn,
    CreditIn,
    OpenAccountIn,
    PltsIn,
    ResultIn,
    ResultsIn,
    WithdrawIn,
    WorkExperienceIn,
    account_json,
    credit_json,
    evaluation_json,
    submitted_json,
)
from openlrs.api.json_bodies import UniqueKeysRoute
from openlrs.api.openapi_document import file_responses
from openlrs.domain.accounts.organisations import VERIFY_ROLES
from openlrs.domain.diploma.account import ACCOUNT_REFERENCE, AWARDING_ROLES, CENTRE_ROLES
from openlrs.domain.diploma.credit_bank import UnitAchievement
from openlrs.domain.diploma.rule_files import all_diploma_rules
from openlrs.services.diploma.award import AwardDiploma, award_diploma
from openlrs.services.diploma.centre_evidence import record_plts, record_work_experience
from openlrs.services.diploma.claim import claim_diploma
from openlrs.services.diploma.documents import DiplomaDocumentKind, diploma_document
from openlrs.services.diploma.open_account import OpenDiplomaAccount, open_diploma_account
from openlrs.services.diploma.qcf_credit import evaluate_credit
from openlrs.services.diploma.submit_result import SubmitDiplomaResult, submit_diploma_result
from openlrs.services.diploma.submit_results import submit_diploma_results
from openlrs.services.diploma.view_account import find_diploma_accounts, view_diploma_account
from openlrs.services.diploma.withdraw_result import withdraw_diploma_result

router = APIRouter(prefix="/api/v1/diploma", tags=["diploma"], route_class=UniqueKeysRoute)
AccountId = Annotated[str, Path(pattern=ACCOUNT_REFERENCE, description="The account's reference")]


@router.get("/rules", operation_id="listDiplomaRules")
def list_diplomas(principal: CurrentPrincipal) -> Any:
    """The Diplomas offered (line of learning x level), with what each asks for."""
    principal.require(VERIFY_ROLES)
    return [
        {
            "line": r.line,
            "line_title": r.line_title,
            "level": r.level.value,
            "principal_learning": sorted(r.principal_learning.qualifications),
            "functional_skills": dict(r.functional_skills),
            "work_experience_days": r.work_experience_days,
            "asl_min_glh": r.asl.min_glh if r.asl else 0,
            "grades": list(r.grades),
            "illustrative": r.illustrative,
        }
        for r in all_diploma_rules().values()
    ]


@router.post(
    "/accounts",
    status_code=status.HTTP_201_CREATED,
    dependencies=[requires(CENTRE_ROLES)],
    operation_id="openDiplomaAccount",
)
def open_account(
    body: OpenAccountIn, principal: CurrentPrincipal, uow_factory: UowFactoryDep
) -> Any:
    """A centre opens an account for a learner (an active ULN) on a line of learning and level."""
    command = OpenDiplomaAccount(**body.model_dump())
    account, evaluation = open_diploma_account(command, principal=principal, uow=uow_factory())
    return account_json(account, evaluation)


@router.get("/accounts", operation_id="findDiplomaAccounts")
def find_accounts(
    principal: CurrentPrincipal,
    uow_factory: UowFactoryDep,
    uln: Annotated[str, Query(max_length=20)],
) -> Any:
    """A learner's accounts: awarding bodies see all, a centre its own."""
    return [
        account_json(a, None)
        for a in find_diploma_accounts(uln, principal=principal, uow=uow_factory())
    ]


@router.get("/accounts/{account_id}", operation_id="getDiplomaAccount")
def get_account(
    account_id: AccountId, principal: CurrentPrincipal, uow_factory: UowFactoryDep
) -> Any:
    """The account, its results and its evaluation: complete, missing, achievable, trial grade."""
    account, evaluation = view_diploma_account(account_id, principal=principal, uow=uow_factory())
    return account_json(account, evaluation)


@router.post(
    "/accounts/{account_id}/results",
    dependencies=[requires(AWARDING_ROLES)],
    operation_id="submitDiplomaResult",
)
def submit_result(
    account_id: AccountId, body: ResultIn, principal: CurrentPrincipal, uow_factory: UowFactoryDep
) -> Any:
    """A component awarding body submits a result (again with the same reference to replace it);
    the account is re-aggregated and its evaluation returned."""
    command = SubmitDiplomaResult(account_id=account_id, **body.model_dump())
    return evaluation_json(submit_diploma_result(command, principal=principal, uow=uow_factory()))


@router.post(
    "/results", dependencies=[requires(AWARDING_ROLES)], operation_id="submitDiplomaResults"
)
def submit_results(body: ResultsIn, principal: CurrentPrincipal, uow_factory: UowFactoryDep) -> Any:
    """A component awarding body submits many results, each naming its account (up to 5,000, say
    from its MIS): each is accepted or refused on its own, with the error's code, and every account
    that took a result is re-aggregated once and its evaluation returned."""
    commands = [SubmitDiplomaResult(**r.model_dump()) for r in body.results]
    return submitted_json(submit_diploma_results(commands, principal=principal, uow=uow_factory()))


@router.post(
    "/accounts/{account_id}/results/withdraw",
    dependencies=[requires(AWARDING_ROLES)],
    operation_id="withdrawDiplomaResult",
)
def withdraw_result(
    account_id: AccountId, body: WithdrawIn, principal: CurrentPrincipal, uow_factory: UowFactoryDep
) -> Any:
    """The awarding body that submitted a result withdraws it; the account is re-aggregated."""
    evaluation = withdraw_diploma_result(
        account_id, body.reference, principal=principal, uow=uow_factory()
    )
    return evaluation_json(evaluation)


@router.put("/accounts/{account_id}/work-experience", operation_id="putWorkExperience")
def put_work_experience(
    account_id: AccountId,
    body: WorkExperienceIn,
    principal: CurrentPrincipal,
    uow_factory: UowFactoryDep,
) -> Any:
    evaluation = record_work_experience(
        account_id, body.days, principal=principal, uow=uow_factory()
    )
    return evaluation_json(evaluation)


@router.put("/accounts/{account_id}/plts", operation_id="putPlts")
def put_plts(
    account_id: AccountId, body: PltsIn, principal: CurrentPrincipal, uow_factory: UowFactoryDep
) -> Any:
    evaluation = record_plts(
        account_id, frozenset(body.skills), principal=principal, uow=uow_factory()
    )
    return evaluation_json(evaluation)


@router.post("/accounts/{account_id}/claim", operation_id="claimDiploma")
def claim(account_id: AccountId, principal: CurrentPrincipal, uow_factory: UowFactoryDep) -> Any:
    """The centre claims the Diploma once the rules of combination are satisfied."""
    account, evaluation = claim_diploma(account_id, principal=principal, uow=uow_factory())
    return account_json(account, evaluation)


@router.post("/accounts/{account_id}/award", operation_id="awardDiploma")
def award(
    account_id: AccountId, body: AwardIn, principal: CurrentPrincipal, uow_factory: UowFactoryDep
) -> Any:
    """The account's Diploma awarding body awards it with a final grade (default: the trial grade)."""
    command = AwardDiploma(account_id, body.grade)
    account, evaluation = award_diploma(command, principal=principal, uow=uow_factory())
    return account_json(account, evaluation)


def _document(
    account_id: str,
    kind: DiplomaDocumentKind,
    principal: CurrentPrincipal,
    uow_factory: UowFactoryDep,
) -> Response:
    found = diploma_document(account_id, kind, principal=principal, uow=uow_factory())
    disposition = f'attachment; filename="{found.filename}"'
    headers = {"Content-Disposition": disposition}
    return Response(found.content, media_type=found.media_type, headers=headers)


_PDF = file_responses("application/pdf")


@router.get(
    "/accounts/{account_id}/certificate",
    response_class=Response,
    responses=_PDF,
    operation_id="getDiplomaCertificate",
)
def certificate(
    account_id: AccountId, principal: CurrentPrincipal, uow_factory: UowFactoryDep
) -> Response:
    """An awarded Diploma's certificate (PDF); DIPLOMA_NOT_AWARDED before the award."""
    return _document(account_id, DiplomaDocumentKind.CERTIFICATE, principal, uow_factory)


@router.get(
    "/accounts/{account_id}/transcript",
    response_class=Response,
    responses=_PDF,
    operation_id="getDiplomaTranscript",
)
def transcript(
    account_id: AccountId, principal: CurrentPrincipal, uow_factory: UowFactoryDep
) -> Response:
    """An awarded Diploma's transcript (PDF): every component with its grade, never its points."""
    return _document(account_id, DiplomaDocumentKind.TRANSCRIPT, principal, uow_factory)


@router.post("/qcf/evaluate", operation_id="evaluateQcfCredit")
def evaluate_qcf_credit(body: CreditIn, principal: CurrentPrincipal) -> Any:
    """Which QCF qualifications the units let the learner claim (or, naming one, what is missing
    for it), each with an explanation."""
    units = [UnitAchievement(u.unit, u.achieved_on) for u in body.units]
    found = evaluate_credit(
        units,
        exemptions=frozenset(body.exemptions),
        qualification=body.qualification,
        principal=principal,
    )
    return [credit_json(e) for e in found]
