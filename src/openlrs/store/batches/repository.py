"""The durable batch queue in SQL: jobs, their files and rows, claimed with leases.

Claims are leases (`claimed_by`, `claimed_until`): a worker that dies simply lets its lease run
out. On PostgreSQL claims use `FOR UPDATE SKIP LOCKED`, so several workers never wait on, or take,
the same rows; SQLite has one writer at a time, which serialises claims by itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, func, insert, or_, select, update

from openlrs.domain.batches.job import (
    BatchJob,
    JobStatus,
    NewRow,
    RowOutcome,
    RowStatus,
    StoredRow,
)
from openlrs.store.batches.mapping import job_from_row, outcome_to_json, stored_row
from openlrs.store.batches.tables import batch_files, batch_jobs, batch_rows, batch_settings
from openlrs.store.tables import utcnow


class SqlBatchJobRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._postgres = conn.dialect.name == "postgresql"

    # --- jobs ---------------------------------------------------------------------------------

    def add(self, job: BatchJob, content: bytes) -> BatchJob:
        now = utcnow()
        job_id = self._conn.execute(
            insert(batch_jobs)
            .values(
                public_id=job.id,
                ukprn=job.ukprn,
                submitted_by=job.submitted_by,
                kind=job.kind,
                fmt=job.fmt,
                filename=job.filename,
                checksum=job.checksum,
                status=job.status.value,
                request_id=job.request_id,
                created_at=now,
                updated_at=now,
            )
            .returning(batch_jobs.c.id)
        ).scalar_one()
        self._conn.execute(insert(batch_files).values(job_id=job_id, content=content))
        found = self.get(job.id)
        assert found is not None
        return found

    def _internal_id(self, job_id: str) -> int | None:
        stmt = select(batch_jobs.c.id).where(batch_jobs.c.public_id == job_id)
        return self._conn.execute(stmt).scalar_one_or_none()

    def _counts(self, internal_id: int) -> dict[str, int]:
        stmt = (
            select(batch_rows.c.status, batch_rows.c.failed, func.count())
            .where(batch_rows.c.job_id == internal_id)
            .group_by(batch_rows.c.status, batch_rows.c.failed)
        )
        counts: dict[str, int] = {}
        for status, failed, count in self._conn.execute(stmt):
            counts[status] = counts.get(status, 0) + count
            if failed:
                counts["failed"] = counts.get("failed", 0) + count
        return counts

    def get(self, job_id: str) -> BatchJob | None:
        row = self._conn.execute(
            select(batch_jobs).where(batch_jobs.c.public_id == job_id)
        ).one_or_none()
        return None if row is None else job_from_row(row, self._counts(row.id))

    def by_checksum(self, ukprn: str, checksum: str, kind: str) -> BatchJob | None:
        row = self._conn.execute(
            select(batch_jobs)
            .where(
                batch_jobs.c.ukprn == ukprn,
                batch_jobs.c.checksum == checksum,
                batch_jobs.c.kind == kind,
                batch_jobs.c.status != JobStatus.FAILED.value,
            )
            .order_by(batch_jobs.c.id.desc())
            .limit(1)
        ).one_or_none()
        return None if row is None else job_from_row(row, self._counts(row.id))

    def for_organisation(self, ukprn: str, *, before: str | None, limit: int) -> list[BatchJob]:
        stmt = (
            select(batch_jobs)
            .where(batch_jobs.c.ukprn == ukprn)
            .order_by(batch_jobs.c.id.desc())
            .limit(limit)
        )
        if before is not None:
            cursor = self._internal_id(before)
            if cursor is not None:
                stmt = stmt.where(batch_jobs.c.id < cursor)
        return [job_from_row(row, self._counts(row.id)) for row in self._conn.execute(stmt).all()]

    def content(self, job_id: str) -> bytes:
        stmt = (
            select(batch_files.c.content)
            .join(batch_jobs, batch_jobs.c.id == batch_files.c.job_id)
            .where(batch_jobs.c.public_id == job_id)
        )
        return bytes(self._conn.execute(stmt).scalar_one())

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
        values: dict[str, Any] = {"status": status.value, "updated_at": utcnow()}
        if approved_by is not None:
            values["approved_by"] = approved_by
        if error_code is not None:
            values |= {"error_code": error_code, "error_message": error_message}
        if status is not JobStatus.VALIDATING:
            values |= {"claimed_by": None, "claimed_until": None}
        stmt = update(batch_jobs).where(batch_jobs.c.public_id == job_id).values(values)
        if expected is not None:
            stmt = stmt.where(batch_jobs.c.status == expected.value)
        return self._conn.execute(stmt).rowcount == 1

    def claim_job_to_validate(self, worker: str, lease: dt.timedelta) -> BatchJob | None:
        """A queued job, or one whose validating worker's lease ran out, now this worker's."""
        now = utcnow()
        waiting = or_(
            batch_jobs.c.status == JobStatus.QUEUED.value,
            and_(
                batch_jobs.c.status == JobStatus.VALIDATING.value,
                batch_jobs.c.claimed_until < now,
            ),
        )
        stmt = select(batch_jobs.c.id).where(waiting).order_by(batch_jobs.c.id).limit(1)
        if self._postgres:
            stmt = stmt.with_for_update(skip_locked=True)
        internal_id = self._conn.execute(stmt).scalar_one_or_none()
        if internal_id is None:
            return None
        claimed = self._conn.execute(
            update(batch_jobs)
            .where(batch_jobs.c.id == internal_id, waiting)
            .values(
                status=JobStatus.VALIDATING.value,
                claimed_by=worker,
                claimed_until=now + lease,
                updated_at=now,
            )
            .returning(batch_jobs.c.public_id)
        ).scalar_one_or_none()
        return None if claimed is None else self.get(claimed)

    def complete_job_if_done(self, job_id: str) -> bool:
        internal_id = self._internal_id(job_id)
        pending = (
            select(batch_rows.c.id)
            .where(batch_rows.c.job_id == internal_id, batch_rows.c.status == "pending")
            .exists()
        )
        stmt = (
            update(batch_jobs)
            .where(
                batch_jobs.c.id == internal_id,
                batch_jobs.c.status == JobStatus.PROCESSING.value,
                ~pending,
            )
            .values(status=JobStatus.COMPLETED.value, updated_at=utcnow())
        )
        return self._conn.execute(stmt).rowcount == 1

    # --- rows ---------------------------------------------------------------------------------

    def delete_rows(self, job_id: str) -> None:
        internal_id = self._internal_id(job_id)
        self._conn.execute(delete(batch_rows).where(batch_rows.c.job_id == internal_id))

    def add_rows(self, job_id: str, rows: Sequence[NewRow]) -> None:
        if not rows:
            return
        internal_id = self._internal_id(job_id)
        now = utcnow()
        self._conn.execute(
            insert(batch_rows),
            [
                {
                    "job_id": internal_id,
                    "number": number,
                    "source_learner_id": source_id,
                    "cells": cells,
                    "status": (RowStatus.PENDING if outcome is None else RowStatus.INVALID).value,
                    "result": None if outcome is None else outcome_to_json(outcome),
                    "failed": None if outcome is None else not outcome.succeeded,
                    "created_at": now,
                    "updated_at": now,
                }
                for number, source_id, cells, outcome in rows
            ],
        )

    def claim_rows(
        self, worker: str, lease: dt.timedelta, *, limit: int
    ) -> tuple[BatchJob, list[StoredRow]] | None:
        """The next pending rows, in file order, of the oldest job being processed."""
        now = utcnow()
        claimable = and_(
            batch_rows.c.status == RowStatus.PENDING.value,
            or_(batch_rows.c.claimed_until.is_(None), batch_rows.c.claimed_until < now),
        )
        processing = select(batch_jobs.c.id).where(
            batch_jobs.c.status == JobStatus.PROCESSING.value
        )
        stmt = (
            select(batch_rows.c.id)
            .where(batch_rows.c.job_id.in_(processing.scalar_subquery()), claimable)
            .order_by(batch_rows.c.job_id, batch_rows.c.number)
            .limit(limit)
        )
        if self._postgres:
            stmt = stmt.with_for_update(skip_locked=True)
        ids = list(self._conn.execute(stmt).scalars())
        if not ids:
            return None
        claimed = self._conn.execute(
            update(batch_rows)
            .where(batch_rows.c.id.in_(ids), claimable)
            .values(claimed_by=worker, claimed_until=now + lease)
            .returning(batch_rows.c.id)
        ).scalars()
        taken = sorted(claimed)
        if not taken:
            return None
        rows = self._conn.execute(
            select(batch_rows).where(batch_rows.c.id.in_(taken)).order_by(batch_rows.c.number)
        ).all()
        public_id = self._conn.execute(
            select(batch_jobs.c.public_id).where(batch_jobs.c.id == rows[0].job_id)
        ).scalar_one()
        job = self.get(public_id)
        assert job is not None
        return job, [stored_row(r) for r in rows if r.job_id == rows[0].job_id]

    def complete_row(self, row_id: int, worker: str, outcome: RowOutcome) -> bool:
        """Record a row's outcome, if it is still pending (whoever claims it now)."""
        result = self._conn.execute(
            update(batch_rows)
            .where(batch_rows.c.id == row_id, batch_rows.c.status == RowStatus.PENDING.value)
            .values(
                status=RowStatus.DONE.value,
                result=outcome_to_json(outcome),
                failed=not outcome.succeeded,
                claimed_by=worker,
                claimed_until=None,
                updated_at=utcnow(),
            )
        )
        return result.rowcount == 1

    def take_rows(self, row_ids: Sequence[int], worker: str, lease: dt.timedelta) -> list[int]:
        """Of these rows, those still pending, locked until the transaction ends (the lease
        renewed): another worker completing one meanwhile waits, then finds it done."""
        if not row_ids:
            return []
        taken = self._conn.execute(
            update(batch_rows)
            .where(batch_rows.c.id.in_(sorted(row_ids)))
            .where(batch_rows.c.status == RowStatus.PENDING.value)
            .values(claimed_by=worker, claimed_until=utcnow() + lease)
            .returning(batch_rows.c.id)
        )
        return sorted(taken.scalars())

    def complete_rows(self, outcomes: Sequence[tuple[int, RowOutcome]], worker: str) -> None:
        """As `complete_row` for each, in one round trip (rows taken with `take_rows`)."""
        if not outcomes:
            return
        stmt = (
            update(batch_rows)
            .where(batch_rows.c.id == bindparam("row_id"))
            .where(batch_rows.c.status == RowStatus.PENDING.value)
            .values(
                status=RowStatus.DONE.value,
                result=bindparam("row_result"),
                failed=bindparam("row_failed"),
                claimed_by=worker,
                claimed_until=None,
                updated_at=utcnow(),
            )
        )
        self._conn.execute(
            stmt,
            [
                {
                    "row_id": row_id,
                    "row_result": outcome_to_json(outcome),
                    "row_failed": not outcome.succeeded,
                }
                for row_id, outcome in outcomes
            ],
        )

    def release(self, worker: str) -> None:
        self._conn.execute(
            update(batch_rows)
            .where(batch_rows.c.claimed_by == worker, batch_rows.c.status == "pending")
            .values(claimed_by=None, claimed_until=None)
        )
        self._conn.execute(
            update(batch_jobs)
            .where(
                batch_jobs.c.claimed_by == worker,
                batch_jobs.c.status == JobStatus.VALIDATING.value,
            )
            .values(status=JobStatus.QUEUED.value, claimed_by=None, claimed_until=None)
        )

    def rows(self, job_id: str, *, failed_only: bool) -> list[StoredRow]:
        internal_id = self._internal_id(job_id)
        stmt = select(batch_rows).where(batch_rows.c.job_id == internal_id)
        if failed_only:
            stmt = stmt.where(batch_rows.c.failed.is_(True))
        return [stored_row(r) for r in self._conn.execute(stmt.order_by(batch_rows.c.number))]

    def queue_depth(self) -> tuple[int, float]:
        """Jobs not finished, and the age in seconds of the oldest (for metrics)."""
        waiting = (JobStatus.QUEUED.value, JobStatus.VALIDATING.value, JobStatus.PROCESSING.value)
        count, oldest = self._conn.execute(
            select(func.count(), func.min(batch_jobs.c.created_at)).where(
                batch_jobs.c.status.in_(waiting)
            )
        ).one()
        if not oldest:
            return int(count), 0.0
        if oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=dt.UTC)
        return int(count), (utcnow() - oldest).total_seconds()

    # --- settings -----------------------------------------------------------------------------

    def approval_required(self, ukprn: str) -> bool:
        stmt = select(batch_settings.c.approval_required).where(batch_settings.c.ukprn == ukprn)
        return bool(self._conn.execute(stmt).scalar_one_or_none())

    def set_approval_required(self, ukprn: str, required: bool) -> None:
        now = utcnow()
        changed = self._conn.execute(
            update(batch_settings)
            .where(batch_settings.c.ukprn == ukprn)
            .values(approval_required=required, updated_at=now)
        ).rowcount
        if not changed:
            self._conn.execute(
                insert(batch_settings).values(
                    ukprn=ukprn, approval_required=required, created_at=now, updated_at=now
                )
            )
