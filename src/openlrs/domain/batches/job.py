"""Batch jobs: a submitted file's life from queued to completed, and what each row came to.

A job moves queued → validating → (awaiting_approval →) processing → completed, or to failed when
the file itself is unusable. Rows are processed one transaction each, so a row's result is written
together with whatever the row changed: a crashed worker leaves each row either done or untouched.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import ClassVar

from openlrs.domain.errors import DomainError, FieldError


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    VALIDATING = "validating"
    AWAITING_APPROVAL = "awaiting_approval"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"

    @property
    def finished(self) -> bool:
        return self in (JobStatus.COMPLETED, JobStatus.FAILED)


class RowStatus(enum.StrEnum):
    INVALID = "invalid"
    """Failed validation when the file was read: never processed."""
    PENDING = "pending"
    DONE = "done"


@dataclass(frozen=True)
class BatchJob:
    """A submitted batch file and where it has got to (counts are filled in when read)."""

    id: str
    ukprn: str
    submitted_by: str
    kind: str
    fmt: str
    filename: str
    checksum: str
    status: JobStatus = JobStatus.QUEUED
    request_id: str | None = None
    error_code: str | None = None
    error_message: str | None = None
    approved_by: str | None = None
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    counts: dict[str, int] = field(default_factory=dict)
    """Rows by status (invalid, pending, done), and "failed": rows invalid or done unsuccessfully."""

    @property
    def total_rows(self) -> int:
        return sum(self.counts.get(s.value, 0) for s in RowStatus)

    @property
    def failed_rows(self) -> int:
        return self.counts.get("failed", 0)

    @property
    def processed_rows(self) -> int:
        """Rows with a result: done, or found invalid when the file was read."""
        return self.counts.get(RowStatus.DONE.value, 0) + self.counts.get(RowStatus.INVALID, 0)


@dataclass(frozen=True)
class RowOutcome:
    """What one row came to: openlrs's outcome code (`registered`, `updated`, `exact`, or a
    DomainError code), the LRS return code where there is one, the ULN issued or found, and why."""

    outcome: str
    succeeded: bool
    lrs_code: str | None = None
    uln: str | None = None
    messages: tuple[FieldError, ...] = ()


@dataclass(frozen=True)
class StoredRow:
    """A row as the job holds it: its cells as read, and its result once processed."""

    id: int
    number: int
    source_learner_id: str | None
    values: dict[str, str]
    status: RowStatus
    outcome: RowOutcome | None = None


NewRow = tuple[int, str | None, dict[str, str], RowOutcome | None]
"""Row number, the submitter's learner id, the cells, and an outcome when it failed validation."""


def job_is_system_submitted(submitted_by: str) -> bool:
    """API clients and web-service (SOAP) accounts are systems; users sign in to the portal.
    Approval applies to systems."""
    return submitted_by.startswith(("client:", "webservice:"))


def waits_for_approval(job: BatchJob) -> bool:
    """Under the organisation's approval setting: batches its systems send, and every Common
    Transfer File (a school's whole roll at once), whoever uploaded it."""
    return job_is_system_submitted(job.submitted_by) or job.kind == "ctf"


FOUND_OUTCOMES = frozenset({"found", "exact", "linked", "updated", "similar"})
POSSIBLE_OUTCOMES = frozenset({"possible", "too_many"})


def outcome_summary(rows: Iterable[StoredRow]) -> dict[str, int]:
    """What a batch's rows came to, as a school reads it: new ULNs issued, learners found,
    possible matches held for a person to decide, rows rejected, and rows not yet done."""
    summary = dict.fromkeys(("new", "found", "possible", "rejected", "pending"), 0)
    for row in rows:
        outcome = row.outcome.outcome if row.outcome else None
        if outcome is None:
            summary["pending"] += 1
        elif outcome == "registered":
            summary["new"] += 1
        elif outcome in FOUND_OUTCOMES:
            summary["found"] += 1
        elif outcome in POSSIBLE_OUTCOMES:
            summary["possible"] += 1
        else:
            summary["rejected"] += 1
    return summary


class BatchJobNotFound(DomainError):
    code: ClassVar[str] = "BATCH_NOT_FOUND"
    title = "No batch job with that id for your organisation"
    status = 404


class BatchNotAwaitingApproval(DomainError):
    code = "BATCH_NOT_AWAITING_APPROVAL"
    title = "The batch is not waiting for approval"
    status = 409


class BatchApprovalByUser(DomainError):
    code = "BATCH_APPROVAL_NEEDS_USER"
    title = "A batch must be approved by a signed-in user of the organisation, not a system"
    status = 403


class BatchOutputNotReady(DomainError):
    code = "BATCH_OUTPUT_NOT_READY"
    title = "The batch has not finished: its output file is not ready yet"
    status = 409
