"""Check a file before uploading it: the same validator as `openlrs validate` and the API's
"validate only" (batch/validation.py), on any kind of batch file. Nothing is stored: the result
is shown on the next page (kept briefly in a signed cookie, so a refresh does not resend)."""

from __future__ import annotations

import io

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from openlrs.batch.columns import BatchKind
from openlrs.batch.file_errors import BatchFormatUnknown
from openlrs.batch.reader import guess_format
from openlrs.batch.validation import validate_file
from openlrs.domain.errors import FieldError, ValidationFailed
from openlrs.portal.batches.routes import file_of
from openlrs.portal.drafts import read_draft, write_draft
from openlrs.portal.forms import text
from openlrs.portal.rendering import redirect, render, render_form
from openlrs.portal.security import UserDep

router = APIRouter(prefix="/check-a-file")
BASE = "/portal/check-a-file"
DRAFT = "checked_file"
SHOWN = 15
KINDS = {
    BatchKind.REGISTRATION.value: "Learner registrations and updates",
    BatchKind.VLD.value: "Verify learner details",
    BatchKind.ACHIEVEMENT.value: "Achievements",
    BatchKind.DIPLOMA_RESULT.value: "Diploma results",
}
COLUMNS = {
    "given_name": "Given name",
    "family_name": "Family name",
    "date_of_birth": "Date of birth",
}


def _page(request: Request, errors: list[FieldError] | None = None, kind: str = "") -> Response:
    return render_form(
        request,
        "batches/check_file.html",
        errors,
        title="Check a file before you upload it",
        kinds=KINDS,
        kind=kind,
        back="/portal/batches",
    )


@router.get("")
async def page(request: Request, principal: UserDep) -> Response:
    return _page(request)


@router.post("")
async def check(request: Request, principal: UserDep) -> Response:
    form = await request.form()
    kind = text(form, "kind")
    errors: list[FieldError] = []
    if kind not in KINDS:
        errors.append(FieldError("kind", "FIELD_REQUIRED", "Select what the file holds"))
    try:
        filename, content = await file_of(request, form.get("file"))
        fmt = guess_format(filename, content[:64])
    except ValidationFailed as exc:
        errors.extend(exc.errors)
    except BatchFormatUnknown:
        errors.append(
            FieldError("file", "BATCH_FORMAT_UNKNOWN", "The file must be a CSV or XML file")
        )
    if errors:
        return _page(request, errors, kind)
    report = await run_in_threadpool(
        validate_file,
        io.BytesIO(content),
        kind=BatchKind(kind),
        fmt=fmt,
        policy=request.app.state.policy,
    )
    result = {
        "name": filename[:80],
        "kind": kind,
        "rows": report.rows,
        "valid": report.valid_rows,
        "problems": len(report.findings),
        "findings": [
            [f.row, COLUMNS.get(f.column or "", f.column or ""), f.message[:120]]
            for f in report.findings[:SHOWN]
        ],
    }
    return write_draft(redirect(f"{BASE}/result"), request, DRAFT, BASE, result)


@router.get("/result")
async def result(request: Request, principal: UserDep) -> Response:
    found = read_draft(request, DRAFT)
    if "rows" not in found:
        return redirect(BASE)
    rows = [
        [
            {"text": "Whole file" if row is None else f"Row {row}"},
            {"text": column or "Whole row"},
            {"text": message},
        ]
        for row, column, message in found["findings"]
    ]
    table = {
        "caption": "Problems found",
        "captionClasses": "govuk-table__caption--m",
        "firstCellIsHeader": True,
        "head": [{"text": "Where"}, {"text": "Column"}, {"text": "Problem"}],
        "rows": rows,
    }
    return render(
        request,
        "batches/check_file_result.html",
        title="File checked",
        found=found,
        kind=KINDS.get(found["kind"], ""),
        table=table,
        more=found["problems"] - len(rows),
        back=BASE,
    )
