"""What batch jobs need from storage (implemented by `store.batch_repository`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from openlrs.domain.batches.job import BatchJob, JobStatus, NewRow, RowOutcome, StoredRow


class BatchJobRepository(Protocol):
    def add(self, job: BatchJob, content: bytes) -> BatchJob: ...

    def get(self, job_id: str) -> BatchJob | None: ...

    def by_checksum(self, ukprn: str, checksum: str, kind: str) -> BatchJob | None:
        """The latest job (not failed) of the organisation for a file with this checksum."""
        ...

    def for_organisation(self, ukprn: str, *, before: str | None, limit: int) -> list[BatchJob]: ...

    def content(self, job_id: str) -> bytes: ...

    def set_status(
        self,
        job_id: str,
        status: JobStatus,
        *,
        expected: JobStatus | None = None,
        approved_by: str | None = None,
        error_code: str | None = None,
        error_message: str | None = None,
    ) -> bool:
        """Move the job on (only from `expected`, when given); False when it was not there."""
        ...

    def claim_job_to_validate(self, worker: str, lease: dt.timedelta) -> BatchJob | None: ...

    def claim_rows(
        self, worker: str, lease: dt.timedelta, *, limit: int
    ) -> tuple[BatchJob, list[StoredRow]] | None: ...

    def complete_job_if_done(self, job_id: str) -> bool: ...

    def delete_rows(self, job_id: str) -> None: ...

    def add_rows(self, job_id: str, rows: Sequence[NewRow]) -> None: ...

    def complete_row(self, row_id: int, worker: str, outcome: RowOutcome) -> bool:
        """Record a row's outcome only if it is still pending; False otherwise."""
        ...

    def take_rows(self, row_ids: Sequence[int], worker: str, lease: dt.timedelta) -> list[int]:
        """Of these rows, those still pending, locked until the unit of work ends."""
        ...

    def complete_rows(self, outcomes: Sequence[tuple[int, RowOutcome]], worker: str) -> None: ...

    def release(self, worker: str) -> None: ...

    def rows(self, job_id: str, *, failed_only: bool) -> list[StoredRow]: ...

    def queue_depth(self) -> tuple[int, float]: ...

    def approval_required(self, ukprn: str) -> bool: ...

    def set_approval_required(self, ukprn: str, required: bool) -> None: ...
