"""The service desk merges two ULNs from a learner's page: the other ULN, a side-by-side
comparison of what each record holds with the choice of which ULN the learner keeps, check your
answers with Change links, then the merge (services/uln/lifecycle.py) and a redirect to the
learner kept. Answers are kept in a signed cookie for this learner's pages, never in a URL."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from openlrs.domain.accounts.organisations import ADMIN_ROLES as LIFECYCLE_ROLES
from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.errors import (
    DomainError,
    FieldError,
    InvalidIdentifier,
    LearnerNotFound,
)
from openlrs.domain.learners.learner import Learner
from openlrs.portal.drafts import clear_draft, read_draft, write_draft
from openlrs.portal.forms import GENDERS, text
from openlrs.portal.rendering import redirect, render, render_form
from openlrs.portal.security import UserDep
from openlrs.services.learners.find import find_by_uln
from openlrs.services.uln.lifecycle import MergeUlns, merge_ulns

router = APIRouter(prefix="/learners")
DRAFT = "merge"


def _base(uln: str) -> str:
    return f"/portal/learners/{uln}/merge"


async def _learner(request: Request, uln: str, principal: Principal) -> Learner:
    uow = request.app.state.uow_factory()
    found = await run_in_threadpool(find_by_uln, uln, principal=principal, uow=uow)
    return found.learners[0]


def _form(
    request: Request,
    template: str,
    title: str,
    uln: str,
    errors: list[FieldError] | None = None,
    **context: Any,
) -> Response:
    return render_form(
        request,
        template,
        errors,
        title=title,
        uln=uln,
        **context,
    )


@router.get("/{uln}/merge")
async def start(request: Request, uln: str, principal: UserDep) -> Response:
    principal.require(LIFECYCLE_ROLES)
    return clear_draft(redirect(f"{_base(uln)}/other"), DRAFT, _base(uln))


@router.get("/{uln}/merge/other")
async def other_page(request: Request, uln: str, principal: UserDep) -> Response:
    principal.require(LIFECYCLE_ROLES)
    other = read_draft(request, DRAFT).get("other", "")
    return _form(
        request,
        "uln/merge_other.html",
        "What is the other ULN?",
        uln,
        other=other,
        back=f"/portal/learners/{uln}",
    )


@router.post("/{uln}/merge/other")
async def other(request: Request, uln: str, principal: UserDep) -> Response:
    principal.require(LIFECYCLE_ROLES)
    value = text(await request.form(), "other")
    message = ""
    if not value:
        message = "Enter the other ULN"
    elif value == uln:
        message = "Enter a different ULN from this learner’s"
    else:
        try:
            await _learner(request, value, principal)
        except (InvalidIdentifier, LearnerNotFound):
            message = "No learner has that ULN: check it and try again"
    if message:
        errors = [FieldError("other", "ULN_INVALID", message)]
        return _form(
            request,
            "uln/merge_other.html",
            "What is the other ULN?",
            uln,
            errors,
            other=value,
            back=f"/portal/learners/{uln}",
        )
    answers = {"other": value}
    return write_draft(redirect(f"{_base(uln)}/compare"), request, DRAFT, _base(uln), answers)


def _comparison(this: Learner, that: Learner) -> list[list[dict[str, str]]]:
    def fields(learner: Learner) -> dict[str, str]:
        d = learner.details
        return {
            "Given name": d.given_name,
            "Middle names": d.middle_names or "",
            "Family name": d.family_name,
            "Date of birth": d.date_of_birth.strftime("%-d %B %Y"),
            "Gender": GENDERS.get(str(d.gender), str(d.gender)),
            "Postcode": d.postcode,
            "Registered": learner.created_at.strftime("%-d %B %Y") if learner.created_at else "",
        }

    a, b = fields(this), fields(that)
    rows = []
    for key in a:
        same = a[key] == b[key]
        rows.append(
            [
                {"text": key},
                {"text": a[key] or "Not given"},
                {"text": b[key] or "Not given"},
                {"text": "Same" if same else "Different"},
            ]
        )
    return rows


@router.get("/{uln}/merge/compare")
async def compare_page(request: Request, uln: str, principal: UserDep) -> Response:
    principal.require(LIFECYCLE_ROLES)
    answers = read_draft(request, DRAFT)
    if "other" not in answers:
        return redirect(f"{_base(uln)}/other")
    return await _compare(request, uln, principal, answers)


async def _compare(
    request: Request,
    uln: str,
    principal: Principal,
    answers: dict[str, str],
    errors: list[FieldError] | None = None,
) -> Response:
    this = await _learner(request, uln, principal)
    that = await _learner(request, answers["other"], principal)
    table = {
        "caption": "What each record holds",
        "captionClasses": "govuk-table__caption--m",
        "firstCellIsHeader": True,
        "head": [
            {"text": "Detail"},
            {"text": f"ULN {this.uln}"},
            {"text": f"ULN {that.uln}"},
            {"text": "Same?"},
        ],
        "rows": _comparison(this, that),
    }
    return _form(
        request,
        "uln/merge_compare.html",
        "Are these the same person?",
        uln,
        errors,
        table=table,
        this=this,
        that=that,
        keep=answers.get("keep", ""),
        width="full",
        back=f"{_base(uln)}/other",
    )


@router.post("/{uln}/merge/compare")
async def compare(request: Request, uln: str, principal: UserDep) -> Response:
    principal.require(LIFECYCLE_ROLES)
    answers = read_draft(request, DRAFT)
    if "other" not in answers:
        return redirect(f"{_base(uln)}/other")
    keep = text(await request.form(), "keep")
    if keep not in (uln, answers["other"]):
        error = FieldError("keep", "FIELD_REQUIRED", "Select the ULN the learner keeps")
        return await _compare(request, uln, principal, answers, [error])
    answers = answers | {"keep": keep}
    return write_draft(redirect(f"{_base(uln)}/check"), request, DRAFT, _base(uln), answers)


def _check_rows(uln: str, answers: dict[str, str]) -> list[dict[str, Any]]:
    keep = answers["keep"]
    retire = answers["other"] if keep == uln else uln
    pairs = (
        ("ULN the learner keeps", keep, "compare", "the ULN kept"),
        ("ULN that is retired", retire, "compare", "the ULN retired"),
        ("Other ULN", answers["other"], "other", "the other ULN"),
    )
    return [
        {
            "key": {"text": key},
            "value": {"text": value},
            "actions": {
                "items": [
                    {"href": f"{_base(uln)}/{step}", "text": "Change", "visuallyHiddenText": hidden}
                ]
            },
        }
        for key, value, step, hidden in pairs
    ]


@router.get("/{uln}/merge/check")
async def check_page(request: Request, uln: str, principal: UserDep) -> Response:
    principal.require(LIFECYCLE_ROLES)
    answers = read_draft(request, DRAFT)
    if "keep" not in answers:
        return redirect(f"{_base(uln)}/compare")
    return render(
        request,
        "uln/merge_check.html",
        title="Check your answers before merging these ULNs",
        rows=_check_rows(uln, answers),
        back=f"{_base(uln)}/compare",
    )


@router.post("/{uln}/merge/check")
async def merge(request: Request, uln: str, principal: UserDep) -> Response:
    principal.require(LIFECYCLE_ROLES)
    answers = read_draft(request, DRAFT)
    if "keep" not in answers:
        return redirect(f"{_base(uln)}/compare")
    keep = answers["keep"]
    retire = answers["other"] if keep == uln else uln
    uow = request.app.state.uow_factory()
    try:
        await run_in_threadpool(merge_ulns, MergeUlns(retire, keep), principal=principal, uow=uow)
    except DomainError as exc:
        return render(
            request,
            "uln/merge_check.html",
            exc.status,
            title="Check your answers before merging these ULNs",
            rows=_check_rows(uln, answers),
            errors=[{"text": exc.title, "href": f"{_base(uln)}/compare"}],
            back=f"{_base(uln)}/compare",
        )
    response = redirect(f"/portal/learners/{keep}", "merged", retire)
    return clear_draft(response, DRAFT, _base(uln))
