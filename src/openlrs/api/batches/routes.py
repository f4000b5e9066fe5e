"""Batch files: upload, validate only, watch progress, approve, download output and error files."""

from __future__ import annotations

import io
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Query, Request, Response, UploadFile, status
from fastapi.responses import JSONResponse

from openlrs.api.deps import (
    NO_CONTROL_CHARACTERS,
    CurrentPrincipal,
    PublicId,
    RegisterPolicyDep,
    UowFactoryDep,
    requires,
)
from openlrs.api.json_bodies import UniqueKeysRoute
from openlrs.api.openapi_document import file_responses
from openlrs.batch import output_files
from openlrs.batch.columns import BatchFormat, BatchKind
from openlrs.batch.file_errors import BatchEmpty, BatchFileTooLarge
from openlrs.batch.reader import BatchLimits, check_ctf_upload, guess_format
from openlrs.batch.validation import validate_file
from openlrs.domain.accounts.organisations import ORG_ADMIN_ROLES
from openlrs.domain.batches.job import BatchJob
from openlrs.domain.errors import FieldError, ValidationFailed
from openlrs.services.batches import jobs as batch_jobs
from openlrs.services.batches.jobs import SubmitBatch

router = APIRouter(prefix="/api/v1/batches", tags=["batches"], route_class=UniqueKeysRoute)
settings_router = APIRouter(
    prefix="/api/v1/organisations", tags=["batches"], route_class=UniqueKeysRoute
)


def job_json(job: BatchJob) -> dict[str, Any]:
    base = f"/api/v1/batches/{job.id}"
    links = {"self": base}
    if job.status.finished:
        links |= {"output": f"{base}/output", "errors": f"{base}/errors"}
    if job.status == "awaiting_approval":
        links["approve"] = f"{base}/approve"
    return {
        "id": job.id,
        "kind": job.kind,
        "format": job.fmt,
        "filename": job.filename,
        "status": job.status.value,
        "submitted_by": job.submitted_by,
        "approved_by": job.approved_by,
        "rows": {
            "total": job.total_rows,
            "processed": job.processed_rows,
            "failed": job.failed_rows,
        },
        "error": {"code": job.error_code, "message": job.error_message} if job.error_code else None,
        "created_at": job.created_at.isoformat() if job.created_at else None,
        "updated_at": job.updated_at.isoformat() if job.updated_at else None,
        "links": links,
    }


def _limits(request: Request) -> BatchLimits:
    settings = request.app.state.settings
    return BatchLimits(max_rows=settings.batch_max_rows, max_bytes=settings.batch_max_bytes)


def _content(upload: UploadFile, limits: BatchLimits) -> bytes:
    content = _head(upload, limits)
    if len(content) > limits.max_bytes:
        raise BatchFileTooLarge(f"The file is larger than the limit of {limits.max_bytes} bytes")
    if not content:
        raise BatchEmpty()
    return content


def _head(upload: UploadFile, limits: BatchLimits) -> bytes:
    """The upload, read up to one byte past the limit (enough to know it is over)."""
    return upload.file.read(limits.max_bytes + 1)


def _format(upload: UploadFile, given: str | None, content: bytes) -> BatchFormat:
    if given is None:
        return guess_format(upload.filename, content[:64])
    try:
        return BatchFormat(given)
    except ValueError:
        message = "Format must be csv or xml"
        raise ValidationFailed([FieldError("format", "BATCH_FORMAT_INVALID", message)]) from None


def _kind(given: str) -> BatchKind:
    try:
        return BatchKind(given)
    except ValueError:
        message = (
            "Kind must be registration, vld, achievement, diploma_result, ctf or participation"
        )
        raise ValidationFailed([FieldError("kind", "BATCH_KIND_INVALID", message)]) from None


BatchFileField = Annotated[UploadFile, File(description="The batch file (CSV or XML)")]
BatchKindField = Annotated[
    str, Form(description="registration, vld, achievement, diploma_result, ctf or participation")
]
BatchFormatField = Annotated[
    str | None, Form(description="csv or xml; from the file name if omitted")
]


@router.post("", status_code=status.HTTP_202_ACCEPTED, operation_id="submitBatch")
def submit(
    request: Request,
    file: BatchFileField,
    kind: BatchKindField,
    principal: CurrentPrincipal,
    uow_factory: UowFactoryDep,
    policy: RegisterPolicyDep,
    format: BatchFormatField = None,
) -> Any:
    """Queue a batch file. 202 with the job; the same file again answers 200 with its first job.
    A Common Transfer File (`kind=ctf`) is read whole first: a file-level fault (unsafe XML,
    wrong encoding, a header naming another school) is refused at once and nothing is kept."""
    limits = _limits(request)
    content = _content(file, limits)
    batch_kind = _kind(kind)
    fmt = _format(file, format, content)
    if batch_kind is BatchKind.CTF:  # refused now, whole, before anything is stored
        principal.require(batch_jobs.KINDS["ctf"])
        school = batch_jobs.school_number_of(principal.ukprn, uow=uow_factory())
        check_ctf_upload(content, limits=limits, policy=policy, school_number=school)
        fmt = BatchFormat.XML
    command = SubmitBatch(
        kind=batch_kind.value,
        fmt=fmt.value,
        filename=file.filename or "",
        content=content,
        request_id=getattr(request.state, "request_id", None),  # the worker logs under it
    )
    submitted = batch_jobs.submit_batch(command, principal=principal, uow=uow_factory())
    body = job_json(submitted.job) | {"duplicate": submitted.duplicate}
    code = status.HTTP_200_OK if submitted.duplicate else status.HTTP_202_ACCEPTED
    return JSONResponse(body, code, headers={"Location": body["links"]["self"]})


@router.post("/validate", operation_id="validateBatch")
def validate_only(
    request: Request,
    file: BatchFileField,
    principal: CurrentPrincipal,
    policy: RegisterPolicyDep,
    kind: Annotated[
        str | None,
        Form(description="registration, vld, achievement or diploma_result; from the file"),
    ] = None,
    format: BatchFormatField = None,
) -> Any:
    """Check a file with the rules the workers apply, writing nothing: every finding listed."""
    principal.require(batch_jobs.KINDS["registration"] | batch_jobs.KINDS["vld"])
    limits = _limits(request)
    content = _head(file, limits)  # an empty or oversized file is a finding, as offline
    report = validate_file(
        io.BytesIO(content),
        kind=_kind(kind) if kind else None,
        fmt=_format(file, format, content),
        limits=limits,
        policy=policy,
    )
    return report.as_json()


@router.get("", operation_id="listBatches")
def list_jobs(
    principal: CurrentPrincipal,
    uow_factory: UowFactoryDep,
    before: Annotated[str | None, Query(max_length=36, pattern=NO_CONTROL_CHARACTERS)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Any:
    """My organisation's batch jobs, newest first; page with `before` = the last id seen."""
    jobs = batch_jobs.list_batches(
        principal=principal, uow=uow_factory(), before=before, limit=limit
    )
    return {"batches": [job_json(job) for job in jobs]}


@router.get("/{job_id}", operation_id="getBatch")
def get_job(job_id: PublicId, principal: CurrentPrincipal, uow_factory: UowFactoryDep) -> Any:
    """A job's status and progress, and what its rows came to so far (`summary`: new ULNs,
    found, possible matches held, rejected, pending)."""
    job = batch_jobs.get_batch(job_id, principal=principal, uow=uow_factory())
    summary = batch_jobs.batch_summary(job_id, principal=principal, uow=uow_factory())
    return job_json(job) | {"summary": summary}


@router.post("/{job_id}/approve", operation_id="approveBatch")
def approve(job_id: PublicId, principal: CurrentPrincipal, uow_factory: UowFactoryDep) -> Any:
    """Approve a batch a system submitted (the organisation requires approval)."""
    return job_json(batch_jobs.approve_batch(job_id, principal=principal, uow=uow_factory()))


_OUTPUT = file_responses("text/csv", "application/xml")


def _download(
    job_id: PublicId, principal: CurrentPrincipal, uow_factory: UowFactoryDep, *, errors: bool
) -> Response:
    job, rows = batch_jobs.batch_rows(
        job_id, principal=principal, uow=uow_factory(), failed_only=errors
    )
    original = None
    if job.kind == BatchKind.CTF and not errors:
        original = batch_jobs.submitted_file(job_id, principal=principal, uow=uow_factory())
    found = output_files.output_file(job, rows, errors_only=errors, original=original)
    return Response(
        found.content,
        media_type=found.media_type,
        headers={"Content-Disposition": found.content_disposition},
    )


@router.get(
    "/{job_id}/output", response_class=Response, responses=_OUTPUT, operation_id="getBatchOutput"
)
def output_file(
    job_id: PublicId, principal: CurrentPrincipal, uow_factory: UowFactoryDep
) -> Response:
    """Every input row with its outcome, the ULN issued or found, and messages; for a Common
    Transfer File, the file itself with each pupil's UniqueLearnerNumber filled in."""
    return _download(job_id, principal, uow_factory, errors=False)


@router.get(
    "/{job_id}/errors", response_class=Response, responses=_OUTPUT, operation_id="getBatchErrors"
)
def error_file(
    job_id: PublicId, principal: CurrentPrincipal, uow_factory: UowFactoryDep
) -> Response:
    """Only the rows that failed, with why."""
    return _download(job_id, principal, uow_factory, errors=True)


@settings_router.put(
    "/{ukprn}/batch-settings",
    dependencies=[requires(ORG_ADMIN_ROLES)],
    operation_id="putBatchSettings",
)
def put_batch_settings(
    ukprn: Annotated[str, Path(pattern=r"^[0-9]{8}$")],
    body: dict[str, bool],
    principal: CurrentPrincipal,
    uow_factory: UowFactoryDep,
) -> Any:
    """Whether batches the organisation's systems send wait for a user's approval."""
    required = body.get("approval_required")
    if not isinstance(required, bool) or set(body) != {"approval_required"}:
        message = 'Send {"approval_required": true or false}'
        raise ValidationFailed([FieldError("approval_required", "FIELD_REQUIRED", message)])
    batch_jobs.set_approval_required(ukprn, required, principal=principal, uow=uow_factory())
    return {"ukprn": ukprn, "approval_required": required}
