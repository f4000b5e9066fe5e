"""Batch jobs seen by the organisation: submit a file, watch it, approve it, fetch its results.

Submitting stores the file and queues a job; nothing else happens in the request. Re-sending the
same file (same checksum, kind and organisation) answers with the job already made, so a client
that retries after a lost response does not process its rows twice.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

from openlrs.domain.accounts.organisations import (
    LEARNER_ROLES,
    ORG_ADMIN_ROLES,
    VERIFY_ROLES,
    Principal,
    Role,
)
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.batches.job import (
    BatchApprovalByUser,
    BatchJob,
    BatchJobNotFound,
    BatchNotAwaitingApproval,
    BatchOutputNotReady,
    JobStatus,
    StoredRow,
    outcome_summary,
)
from openlrs.domain.diploma.account import AWARDING_ROLES as DIPLOMA_RESULT_ROLES
from openlrs.domain.errors import FieldError, ValidationFailed
from openlrs.domain.plr.roles import AWARDING_ROLES, PARTICIPATION_ROLES
from openlrs.services.ports import UnitOfWork

KINDS = {
    "registration": LEARNER_ROLES,
    "vld": VERIFY_ROLES,
    "achievement": AWARDING_ROLES,
    "diploma_result": DIPLOMA_RESULT_ROLES,
    "ctf": LEARNER_ROLES,
    "participation": PARTICIPATION_ROLES,
}
FORMATS = frozenset({"csv", "xml"})


@dataclass(frozen=True)
class SubmitBatch:
    kind: str
    fmt: str
    filename: str
    content: bytes
    request_id: str | None = None
    job_id: str | None = None
    """The id to give the job (the SOAP door's numeric JobID as a UUID); a fresh UUID if None."""


@dataclass(frozen=True)
class Submitted:
    job: BatchJob
    duplicate: bool


def _checked(command: SubmitBatch, principal: Principal) -> None:
    errors = []
    if command.kind not in KINDS:
        errors.append(
            FieldError(
                "kind",
                "BATCH_KIND_INVALID",
                "Kind must be registration, vld, achievement, diploma_result, ctf or participation",
            )
        )
    if command.fmt not in FORMATS:
        errors.append(FieldError("format", "BATCH_FORMAT_INVALID", "Format must be csv or xml"))
    if errors:
        raise ValidationFailed(errors)
    principal.require(KINDS[command.kind])


def submit_batch(command: SubmitBatch, *, principal: Principal, uow: UnitOfWork) -> Submitted:
    """Queue a file for the workers; the same file sent again answers with its first job."""
    _checked(command, principal)
    checksum = hashlib.sha256(command.content).hexdigest()
    with uow:
        earlier = uow.batches.by_checksum(principal.ukprn, checksum, command.kind)
        if earlier is not None:
            return Submitted(earlier, duplicate=True)
        job = BatchJob(
            id=command.job_id or str(uuid.uuid4()),
            ukprn=principal.ukprn,
            submitted_by=principal.actor,
            kind=command.kind,
            fmt=command.fmt,
            filename=command.filename[:255] or f"batch.{command.fmt}",
            checksum=checksum,
            request_id=command.request_id,
        )
        stored = uow.batches.add(job, command.content)
        uow.audit.record(
            AuditEvent(
                principal.actor,
                principal.ukprn,
                AuditAction.BATCH_SUBMIT,
                outcome=command.kind,
                detail=job.id,
            )
        )
        uow.commit()
    return Submitted(stored, duplicate=False)


def _own(job_id: str, principal: Principal, uow: UnitOfWork) -> BatchJob:
    """The job, when it belongs to the caller's organisation (or the caller is the service desk);
    anyone else gets not-found, so they cannot learn that the id exists."""
    job = uow.batches.get(job_id)
    if job is None or not (job.ukprn == principal.ukprn or Role.ADMIN in principal.roles):
        raise BatchJobNotFound()
    return job


def get_batch(job_id: str, *, principal: Principal, uow: UnitOfWork) -> BatchJob:
    principal.require(LEARNER_ROLES | VERIFY_ROLES)
    with uow:
        return _own(job_id, principal, uow)


def list_batches(
    *, principal: Principal, uow: UnitOfWork, before: str | None = None, limit: int = 50
) -> list[BatchJob]:
    """The organisation's jobs, newest first."""
    principal.require(LEARNER_ROLES | VERIFY_ROLES)
    with uow:
        return uow.batches.for_organisation(principal.ukprn, before=before, limit=limit)


def approve_batch(job_id: str, *, principal: Principal, uow: UnitOfWork) -> BatchJob:
    """A signed-in user of the organisation lets a system-submitted batch be processed."""
    principal.require(LEARNER_ROLES | VERIFY_ROLES)
    if not principal.actor.startswith("user:"):
        raise BatchApprovalByUser()
    with uow:
        job = _own(job_id, principal, uow)
        if not uow.batches.set_status(
            job.id,
            JobStatus.PROCESSING,
            expected=JobStatus.AWAITING_APPROVAL,
            approved_by=principal.actor,
        ):
            raise BatchNotAwaitingApproval()
        uow.audit.record(
            AuditEvent(principal.actor, principal.ukprn, AuditAction.BATCH_APPROVE, detail=job.id)
        )
        uow.commit()
        return _own(job_id, principal, uow)


def batch_rows(
    job_id: str, *, principal: Principal, uow: UnitOfWork, failed_only: bool
) -> tuple[BatchJob, list[StoredRow]]:
    """A finished job and its rows in file order (only the failed ones for an error file)."""
    principal.require(LEARNER_ROLES | VERIFY_ROLES)
    with uow:
        job = _own(job_id, principal, uow)
        if not job.status.finished:
            raise BatchOutputNotReady()
        return job, uow.batches.rows(job.id, failed_only=failed_only)


def submitted_file(job_id: str, *, principal: Principal, uow: UnitOfWork) -> bytes:
    """The file as the organisation sent it (a CTF's output is that file with ULNs filled in)."""
    principal.require(LEARNER_ROLES | VERIFY_ROLES)
    with uow:
        job = _own(job_id, principal, uow)
        return uow.batches.content(job.id)


def school_number_of(ukprn: str, *, uow: UnitOfWork) -> str:
    """The organisation's DfE number (LEA + establishment) that its CTFs must name as their
    source school; '' when none is recorded (then no CTF of it is accepted)."""
    with uow:
        found = uow.organisations.get(ukprn)
    return (found.dfe_number if found is not None else None) or ""


def batch_summary(job_id: str, *, principal: Principal, uow: UnitOfWork) -> dict[str, int]:
    """What the job's rows came to so far: new, found, possible, rejected, pending."""
    principal.require(LEARNER_ROLES | VERIFY_ROLES)
    with uow:
        job = _own(job_id, principal, uow)
        return outcome_summary(uow.batches.rows(job.id, failed_only=False))


def queue_depth(*, uow: UnitOfWork) -> tuple[int, float]:
    """Jobs waiting for a worker, and the age in seconds of the oldest (0 when none): for the
    monitoring system, which `/metrics` authorises itself; no job or organisation is named."""
    with uow:
        return uow.batches.queue_depth()


def approval_required(ukprn: str, *, principal: Principal, uow: UnitOfWork) -> bool:
    """The organisation's setting: do its systems' batches wait for a user's approval?"""
    principal.require(LEARNER_ROLES | VERIFY_ROLES)
    if ukprn != principal.ukprn:
        principal.require_org_admin(ukprn)
    with uow:
        return uow.batches.approval_required(ukprn)


def set_approval_required(
    ukprn: str, required: bool, *, principal: Principal, uow: UnitOfWork
) -> bool:
    """Whether batches sent by the organisation's systems wait for a user's approval."""
    principal.require(ORG_ADMIN_ROLES)
    principal.require_org_admin(ukprn)
    with uow:
        uow.batches.set_approval_required(ukprn, required)
        uow.audit.record(
            AuditEvent(
                principal.actor,
                principal.ukprn,
                AuditAction.BATCH_SETTINGS,
                outcome="approval required" if required else "approval not required",
                detail=ukprn,
            )
        )
        uow.commit()
    return required
