"""Batch files: upload one, watch the organisation's jobs, approve a system's batch, download the
output and error files, and the organisation's approval setting. The job id is the only thing in
a URL; the file itself travels in the POST body and comes back as a download."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.responses import Response

from openlrs.batch.columns import BatchFormat
from openlrs.batch.file_errors import BatchFileError, BatchFormatUnknown
from openlrs.batch.output_files import output_file
from openlrs.batch.reader import BatchLimits, check_ctf_upload, guess_format
from openlrs.domain.accounts.organisations import LEARNER_ROLES, Principal, Role
from openlrs.domain.batches.job import BatchNotAwaitingApproval
from openlrs.domain.errors import FieldError, NotAuthorised, ValidationFailed
from openlrs.domain.plr.roles import PARTICIPATION_ROLES
from openlrs.portal.batches.views import (
    KINDS,
    failure_rows,
    job_rows,
    status_of,
    summary_rows,
)
from openlrs.portal.forms import text
from openlrs.portal.rendering import error_list, field_errors, redirect, render
from openlrs.portal.security import UserDep
from openlrs.services.batches import jobs as batch_jobs
from openlrs.services.batches.jobs import SubmitBatch

router = APIRouter()
JobId = Annotated[str, Path(pattern=r"^[0-9a-f-]{36}$")]
Ukprn = Annotated[str, Path(pattern=r"^\d{8}$")]
PAGE = 25


def _kinds(principal: Principal) -> list[tuple[str, str]]:
    """The kinds of batch this user may send: registration bodies register and verify; awarding
    organisations verify, record achievements and send Diploma results; providers send enrolments."""
    allowed = ["registration", "vld", "ctf"] if principal.roles & LEARNER_ROLES else []
    if principal.roles & PARTICIPATION_ROLES:
        allowed.append("participation")
    if Role.AO in principal.roles:
        allowed += ["vld", "achievement", "diploma_result"]
    return [(kind, KINDS[kind]) for kind in dict.fromkeys(allowed)]


@router.get("/batches")
async def jobs(request: Request, principal: UserDep, before: str | None = None) -> Response:
    if before is not None and len(before) != 36:
        before = None
    found = await run_in_threadpool(
        batch_jobs.list_batches,
        principal=principal,
        uow=request.app.state.uow_factory(),
        before=before,
        limit=PAGE + 1,
    )
    page, more = found[:PAGE], len(found) > PAGE
    pagination = {}
    if before:
        pagination["previous"] = {"href": "/portal/batches", "text": "Newest"}
    if more:
        pagination["next"] = {"href": f"/portal/batches?before={page[-1].id}", "text": "Older"}
    return render(
        request,
        "batches/batches.html",
        title="Batch files",
        jobs=page,
        kinds=KINDS,
        status_of=status_of,
        pagination=pagination,
        width="full",
        back="/portal/",
    )


def _upload_page(
    request: Request,
    principal: Principal,
    status: int = 200,
    errors: list[FieldError] | None = None,
    kind: str = "",
) -> Response:
    errors = errors or []
    return render(
        request,
        "batches/batch_upload.html",
        status,
        title="Upload a batch file",
        kinds=_kinds(principal),
        kind=kind,
        max_megabytes=request.app.state.settings.batch_max_bytes // (1024 * 1024),
        errors=error_list(errors) if errors else None,
        field_errors=field_errors(errors),
        back="/portal/batches",
    )


@router.get("/batches/new")
async def upload_page(request: Request, principal: UserDep) -> Response:
    return _upload_page(request, principal)


async def file_of(request: Request, upload: object) -> tuple[str, bytes]:
    """The uploaded file's name and bytes (read to one byte past the limit), or ValidationFailed."""
    limit: int = request.app.state.settings.batch_max_bytes
    content = await upload.read(limit + 1) if isinstance(upload, UploadFile) else b""
    if not content:
        raise ValidationFailed([FieldError("file", "FIELD_REQUIRED", "Select a batch file")])
    if len(content) > limit:
        message = f"The file must be smaller than {limit // (1024 * 1024)} MB"
        raise ValidationFailed([FieldError("file", "BATCH_FILE_TOO_LARGE", message)])
    assert isinstance(upload, UploadFile)
    return upload.filename or "", content


@router.post("/batches/new")
async def upload(request: Request, principal: UserDep) -> Response:
    form = await request.form()
    kind = text(form, "kind")
    errors: list[FieldError] = []
    if kind not in dict(_kinds(principal)):
        errors.append(FieldError("kind", "FIELD_REQUIRED", "Select the kind of batch file"))
    try:
        filename, content = await file_of(request, form.get("file"))
        fmt = guess_format(filename, content[:64])
    except ValidationFailed as exc:
        errors.extend(exc.errors)
    except BatchFormatUnknown:
        message = "The file must be a CSV or XML batch file"
        errors.append(FieldError("file", BatchFormatUnknown.code, message))
    if not errors and kind == "ctf":
        errors = await run_in_threadpool(_ctf_problems, request, principal, content)
        fmt = BatchFormat.XML
    if errors:
        return _upload_page(request, principal, 422, errors, kind)
    command = SubmitBatch(kind=kind, fmt=fmt.value, filename=filename, content=content)
    try:
        submitted = await run_in_threadpool(
            batch_jobs.submit_batch,
            command,
            principal=principal,
            uow=request.app.state.uow_factory(),
        )
    except (ValidationFailed, NotAuthorised) as exc:
        found = exc.errors if isinstance(exc, ValidationFailed) else []
        found = found or [FieldError("kind", exc.code, exc.title)]
        return _upload_page(request, principal, exc.status, found, kind)
    flash = "batch_duplicate" if submitted.duplicate else "batch_submitted"
    return redirect(f"/portal/batches/{submitted.job.id}", flash)


def _ctf_problems(request: Request, principal: Principal, content: bytes) -> list[FieldError]:
    """A Common Transfer File is read whole before it is kept: what is wrong with it, if anything."""
    settings, state = request.app.state.settings, request.app.state
    limits = BatchLimits(max_rows=settings.batch_max_rows, max_bytes=settings.batch_max_bytes)
    school = batch_jobs.school_number_of(principal.ukprn, uow=state.uow_factory())
    try:
        check_ctf_upload(content, limits=limits, policy=state.policy, school_number=school)
    except BatchFileError as exc:
        return [FieldError("file", exc.code, exc.detail)]
    return []


async def _job_page(
    request: Request, job_id: str, principal: Principal, errors: list[FieldError] | None = None
) -> Response:
    job = await run_in_threadpool(
        batch_jobs.get_batch, job_id, principal=principal, uow=request.app.state.uow_factory()
    )
    failures = []
    if job.status.finished and job.failed_rows:
        _, failed = await run_in_threadpool(
            batch_jobs.batch_rows,
            job_id,
            principal=principal,
            uow=request.app.state.uow_factory(),
            failed_only=True,
        )
        failures = failure_rows(failed)
    summary = await run_in_threadpool(
        batch_jobs.batch_summary, job_id, principal=principal, uow=request.app.state.uow_factory()
    )
    errors = errors or []
    return render(
        request,
        "batches/batch.html",
        409 if errors else 200,
        title="Batch file",
        job=job,
        rows=job_rows(job),
        job_status=status_of(job),
        failures=failures,
        summary_rows=summary_rows(summary) if job.total_rows else [],
        errors=error_list(errors) if errors else None,
        back="/portal/batches",
    )


@router.get("/batches/{job_id}")
async def job(request: Request, job_id: JobId, principal: UserDep) -> Response:
    return await _job_page(request, job_id, principal)


@router.post("/batches/{job_id}/approve")
async def approve(request: Request, job_id: JobId, principal: UserDep) -> Response:
    try:
        await run_in_threadpool(
            batch_jobs.approve_batch,
            job_id,
            principal=principal,
            uow=request.app.state.uow_factory(),
        )
    except BatchNotAwaitingApproval as exc:
        message = "This batch is no longer waiting for approval: nothing was changed"
        return await _job_page(
            request, job_id, principal, [FieldError("approve", exc.code, message)]
        )
    return redirect(f"/portal/batches/{job_id}", "batch_approved")


async def _download(request: Request, job_id: str, principal: Principal, errors: bool) -> Response:
    job, rows = await run_in_threadpool(
        batch_jobs.batch_rows,
        job_id,
        principal=principal,
        uow=request.app.state.uow_factory(),
        failed_only=errors,
    )
    original = None
    if job.kind == "ctf" and not errors:
        original = await run_in_threadpool(
            batch_jobs.submitted_file,
            job_id,
            principal=principal,
            uow=request.app.state.uow_factory(),
        )
    found = output_file(job, rows, errors_only=errors, original=original)
    return Response(
        found.content,
        media_type=found.media_type,
        headers={"Content-Disposition": found.content_disposition},
    )


@router.get("/batches/{job_id}/output")
async def output(request: Request, job_id: JobId, principal: UserDep) -> Response:
    return await _download(request, job_id, principal, errors=False)


@router.get("/batches/{job_id}/errors")
async def error_file(request: Request, job_id: JobId, principal: UserDep) -> Response:
    return await _download(request, job_id, principal, errors=True)


@router.get("/organisations/{ukprn}/batch-settings")
async def settings_page(request: Request, ukprn: Ukprn, principal: UserDep) -> Response:
    principal.require_org_admin(ukprn)
    required = await run_in_threadpool(
        batch_jobs.approval_required,
        ukprn,
        principal=principal,
        uow=request.app.state.uow_factory(),
    )
    return render(
        request,
        "batches/batch_settings.html",
        title="Batch file settings",
        ukprn=ukprn,
        required=required,
        back=f"/portal/organisations/{ukprn}/users",
    )


@router.post("/organisations/{ukprn}/batch-settings")
async def save_settings(request: Request, ukprn: Ukprn, principal: UserDep) -> Response:
    required = text(await request.form(), "approval_required") == "yes"
    await run_in_threadpool(
        batch_jobs.set_approval_required,
        ukprn,
        required,
        principal=principal,
        uow=request.app.state.uow_factory(),
    )
    flash = "batch_approval_on" if required else "batch_approval_off"
    return redirect(f"/portal/organisations/{ukprn}/batch-settings", flash, ukprn)
