"""Diploma accounts in the portal (issue 8): the accounts an organisation is party to, opening one,
and an account's page with the forms each party may use. Every page and form calls the same use
case as the API; a refusal the user can fix is shown in the error summary, with its code. Only
account ids and the ULN (in the finder's query) appear in URLs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.diploma.account import ACCOUNT_REFERENCE, READ_ROLES, DiplomaAccount
from openlrs.domain.diploma.errors import DiplomaAccountNotFound, NotTheDiplomaAwardingBody
from openlrs.domain.diploma.evaluation import DiplomaEvaluation
from openlrs.domain.diploma.rule_files import diploma_rules
from openlrs.domain.errors import (
    DomainError,
    FieldError,
    InvalidIdentifier,
    NotAuthorised,
    UkprnInvalid,
    ValidationFailed,
)
from openlrs.portal.diploma import forms, views
from openlrs.portal.forms import text
from openlrs.portal.rendering import error_list, field_errors, redirect, render, render_form
from openlrs.portal.security import UserDep
from openlrs.services.diploma.award import AwardDiploma, award_diploma
from openlrs.services.diploma.centre_evidence import record_plts, record_work_experience
from openlrs.services.diploma.claim import claim_diploma
from openlrs.services.diploma.documents import DiplomaDocumentKind, diploma_document
from openlrs.services.diploma.list_accounts import LIST_LIMIT, list_diploma_accounts
from openlrs.services.diploma.open_account import open_diploma_account
from openlrs.services.diploma.submit_result import submit_diploma_result
from openlrs.services.diploma.view_account import find_diploma_accounts, view_diploma_account
from openlrs.services.diploma.withdraw_result import withdraw_diploma_result

router = APIRouter(prefix="/diploma")
AccountId = Annotated[str, Path(pattern=ACCOUNT_REFERENCE, description="The account's reference")]
REFUSALS = (NotAuthorised, NotTheDiplomaAwardingBody, DiplomaAccountNotFound)
"""Not for the error summary: the refused or not-found page (the forms are not offered)."""
OPEN_ANCHORS = {
    "LEARNER_NOT_FOUND": "uln",
    "LEARNER_NOT_ACTIVE": "uln",
    "DIPLOMA_ACCOUNT_EXISTS": "uln",
    "DIPLOMA_NOT_OFFERED": "diploma",
    "UKPRN_INVALID": "awarding_body_ukprn",
}


def _account_url(account_id: str) -> str:
    return f"/portal/diploma/accounts/{account_id}"


def _message(exc: DomainError) -> str:
    """The refusal in the words of the use case, with its stable code for the service desk."""
    said = exc.title if exc.detail == exc.title else f"{exc.title}: {exc.detail}"
    return f"{said} (error code {exc.code})"


def _field_errors_of(exc: DomainError, anchor: str) -> list[FieldError]:
    """A refusal the user can put right, as errors for the summary (re-raised if not)."""
    if isinstance(exc, REFUSALS) or exc.status >= 500:
        raise exc
    if isinstance(exc, ValidationFailed):
        return exc.errors
    return [FieldError(anchor, exc.code, _message(exc))]


@router.get("")
async def accounts_page(request: Request, principal: UserDep, uln: str = "") -> Response:
    """The organisation's newest accounts, and a finder by ULN (audited like the API's search)."""
    principal.require(READ_ROLES)
    uow = request.app.state.uow_factory
    listed = await run_in_threadpool(list_diploma_accounts, principal=principal, uow=uow())
    context: dict[str, Any] = {"uln": uln, "found": None}
    if uln.strip():
        try:
            found = await run_in_threadpool(
                find_diploma_accounts, uln[:20], principal=principal, uow=uow()
            )
            context["found"] = [_row(a, None) for a in found]
        except InvalidIdentifier as exc:
            errors = [FieldError("uln", exc.code, _message(exc))]
            context |= {"errors": error_list(errors), "field_errors": field_errors(errors)}
    return render(
        request,
        "diploma/diploma_accounts.html",
        422 if context.get("errors") else 200,
        title="Diploma accounts",
        accounts=[_row(a, e) for a, e in listed],
        limit=LIST_LIMIT,
        may_open=views.may_open_accounts(principal),
        width="full",
        **context,
    )


def _row(account: DiplomaAccount, evaluation: DiplomaEvaluation | None) -> dict[str, Any]:
    rules = diploma_rules(account.line, account.level.value)
    return {
        "account": account,
        "title": rules.title,
        "tag": views.tag(account.status),
        "evaluation": evaluation,
        "url": _account_url(account.id or ""),
    }


def _open_page(
    request: Request, values: dict[str, str], errors: list[FieldError] | None = None
) -> Response:
    return render_form(
        request,
        "diploma/diploma_open.html",
        errors,
        title="Open a Diploma account",
        values=values,
        diplomas=views.diploma_options(),
        anchors=forms.ANCHORS,
        back="/portal/diploma",
    )


@router.get("/open")
async def open_page(request: Request, principal: UserDep) -> Response:
    if not views.may_open_accounts(principal):
        raise NotAuthorised()
    return _open_page(request, {name: "" for name in forms.OPEN_FIELDS})


@router.post("/open")
async def open_account(request: Request, principal: UserDep) -> Response:
    form = await request.form()
    values = forms.values_of(form, forms.OPEN_FIELDS)
    try:
        command = forms.open_account_command(form)
        account, _ = await run_in_threadpool(
            open_diploma_account, command, principal=principal, uow=request.app.state.uow_factory()
        )
    except DomainError as exc:
        anchor = OPEN_ANCHORS.get(exc.code, "uln")
        if isinstance(exc, InvalidIdentifier) and not isinstance(exc, UkprnInvalid):
            anchor = "uln"
        return _open_page(request, values, _field_errors_of(exc, anchor))
    assert account.id is not None
    return redirect(_account_url(account.id), "diploma_opened")


async def _account_page(
    request: Request,
    account_id: str,
    principal: Principal,
    errors: list[FieldError] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    account, evaluation = await run_in_threadpool(
        view_diploma_account, account_id, principal=principal, uow=request.app.state.uow_factory()
    )
    rules = diploma_rules(account.line, account.level.value)
    may = views.permitted(principal, account)
    errors = errors or []
    return render(
        request,
        "diploma/diploma_account.html",
        status if errors else 200,
        title=rules.title,
        account=account,
        rules=rules,
        tag=views.tag(account.status),
        summary=views.summary_rows(
            account, evaluation, rules, request.app.state.organisation_names
        ),
        requirements=views.requirement_rows(evaluation),
        trial_grade=evaluation.trial_grade,
        complete=evaluation.complete,
        results=[
            (r, views.COMPONENTS[r.component.value], may.may_withdraw(principal, r.awarding_body))
            for r in account.results.values()
        ],
        subjects=views.SUBJECTS,
        components=views.COMPONENTS,
        skills=views.SKILLS,
        may=may,
        url=_account_url(account_id),
        values=values or {},
        errors=error_list(errors, forms.ANCHORS) if errors else None,
        field_errors=field_errors(errors),
        width="full",
        back="/portal/diploma",
    )


@router.get("/accounts/{account_id}")
async def account_page(request: Request, account_id: AccountId, principal: UserDep) -> Response:
    return await _account_page(request, account_id, principal)


async def _act(
    request: Request,
    account_id: str,
    principal: Principal,
    call: Callable[[], object],
    *,
    anchor: str,
    flash: str,
    values: dict[str, str] | None = None,
    by_code: dict[str, str] | None = None,
) -> Response:
    """Run one use case; on success back to the account with a banner, else the page with the
    refusal in its error summary (the field values kept)."""
    try:
        await run_in_threadpool(call)
    except DomainError as exc:
        errors = _field_errors_of(exc, (by_code or {}).get(exc.code, anchor))
        return await _account_page(request, account_id, principal, errors, values, exc.status)
    return redirect(_account_url(account_id), flash, str(account_id))


@router.post("/accounts/{account_id}/work-experience")
async def work_experience(request: Request, account_id: AccountId, principal: UserDep) -> Response:
    form = await request.form()
    uow = request.app.state.uow_factory

    def call() -> object:
        days = forms.work_experience_days(form)
        return record_work_experience(account_id, days, principal=principal, uow=uow())

    values = {"days": text(form, "days")}
    return await _act(
        request, account_id, principal, call, anchor="days", flash="diploma_evidence", values=values
    )


@router.post("/accounts/{account_id}/plts")
async def plts(request: Request, account_id: AccountId, principal: UserDep) -> Response:
    skills = forms.plts_skills(await request.form())
    uow = request.app.state.uow_factory

    def call() -> object:
        return record_plts(account_id, skills, principal=principal, uow=uow())

    return await _act(
        request, account_id, principal, call, anchor="skills", flash="diploma_evidence"
    )


@router.post("/accounts/{account_id}/claim")
async def claim(request: Request, account_id: AccountId, principal: UserDep) -> Response:
    uow = request.app.state.uow_factory

    def call() -> object:
        return claim_diploma(account_id, principal=principal, uow=uow())

    return await _act(request, account_id, principal, call, anchor="claim", flash="diploma_claimed")


@router.post("/accounts/{account_id}/results")
async def submit_result(request: Request, account_id: AccountId, principal: UserDep) -> Response:
    form = await request.form()
    uow = request.app.state.uow_factory

    def call() -> object:
        command = forms.result_command(account_id, form)
        return submit_diploma_result(command, principal=principal, uow=uow())

    values = forms.values_of(form, forms.RESULT_FIELDS)
    return await _act(
        request,
        account_id,
        principal,
        call,
        anchor="submit-result",
        flash="diploma_result",
        values=values,
        by_code={"QUALIFICATION_NUMBER_INVALID": "qualification"},
    )


@router.post("/accounts/{account_id}/results/withdraw")
async def withdraw_result(request: Request, account_id: AccountId, principal: UserDep) -> Response:
    reference = text(await request.form(), "reference")
    uow = request.app.state.uow_factory

    def call() -> object:
        return withdraw_diploma_result(account_id, reference, principal=principal, uow=uow())

    return await _act(
        request, account_id, principal, call, anchor="results", flash="diploma_withdrawn"
    )


@router.post("/accounts/{account_id}/award")
async def award(request: Request, account_id: AccountId, principal: UserDep) -> Response:
    grade = text(await request.form(), "grade") or None
    uow = request.app.state.uow_factory

    def call() -> object:
        return award_diploma(AwardDiploma(account_id, grade), principal=principal, uow=uow())

    return await _act(request, account_id, principal, call, anchor="grade", flash="diploma_awarded")


async def _document(
    request: Request, account_id: str, kind: DiplomaDocumentKind, principal: Principal
) -> Response:
    found = await run_in_threadpool(
        diploma_document, account_id, kind, principal=principal, uow=request.app.state.uow_factory()
    )
    disposition = f'attachment; filename="{found.filename}"'
    return Response(
        found.content, media_type=found.media_type, headers={"Content-Disposition": disposition}
    )


@router.get("/accounts/{account_id}/certificate")
async def certificate(request: Request, account_id: AccountId, principal: UserDep) -> Response:
    return await _document(request, account_id, DiplomaDocumentKind.CERTIFICATE, principal)


@router.get("/accounts/{account_id}/transcript")
async def transcript(request: Request, account_id: AccountId, principal: UserDep) -> Response:
    return await _document(request, account_id, DiplomaDocumentKind.TRANSCRIPT, principal)
