"""Batch queue rows in and out of SQL: jobs and stored rows from their table rows, and a row's
outcome to and from the JSON kept in `batch_rows.result` (used by `batch_repository`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from openlrs.domain.batches.job import BatchJob, JobStatus, RowOutcome, RowStatus, StoredRow
from openlrs.domain.errors import FieldError


def outcome_to_json(outcome: RowOutcome) -> dict[str, Any]:
    return {
        "outcome": outcome.outcome,
        "succeeded": outcome.succeeded,
        "lrs_code": outcome.lrs_code,
        "uln": outcome.uln,
        "messages": [[m.field, m.code, m.message] for m in outcome.messages],
    }


def outcome_from_json(data: dict[str, Any]) -> RowOutcome:
    return RowOutcome(
        outcome=data["outcome"],
        succeeded=data["succeeded"],
        lrs_code=data.get("lrs_code"),
        uln=data.get("uln"),
        messages=tuple(FieldError(*m) for m in data.get("messages", ())),
    )


def job_from_row(row: Row[Any], counts: dict[str, int] | None = None) -> BatchJob:
    return BatchJob(
        id=row.public_id,
        ukprn=row.ukprn,
        submitted_by=row.submitted_by,
        kind=row.kind,
        fmt=row.fmt,
        filename=row.filename,
        checksum=row.checksum,
        status=JobStatus(row.status),
        request_id=row.request_id,
        error_code=row.error_code,
        error_message=row.error_message,
        approved_by=row.approved_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
        counts=counts or {},
    )


def stored_row(row: Row[Any]) -> StoredRow:
    return StoredRow(
        id=row.id,
        number=row.number,
        source_learner_id=row.source_learner_id,
        values=dict(row.cells),
        status=RowStatus(row.status),
        outcome=outcome_from_json(row.result) if row.result else None,
    )
