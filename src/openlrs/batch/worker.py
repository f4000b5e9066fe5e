"""The batch worker: validates queued files and processes their rows, chunk by chunk.

Run as `openlrs worker` (any number of them, on any machine that reaches the database). A worker
claims work with a lease; on SIGTERM it finishes the row in hand and hands the rest back. After a
crash (SIGKILL, power loss) its leases run out and another worker carries on from the first row
without a result: each row's result is committed with its effect, so none is applied twice.
Between pieces of work the loop runs its other jobs (`also`): the notifications deliverer
(services/notifications/deliver.py) when a transport is configured.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence

from openlrs.batch.achievement_rows import achievement_row_action, achievement_row_plan
from openlrs.batch.columns import BatchFormat, BatchKind
from openlrs.batch.diploma_result_rows import diploma_result_row_action
from openlrs.batch.file_errors import BatchFileError
from openlrs.batch.participation_rows import participation_row_action
from openlrs.batch.reader import BatchLimits, open_batch
from openlrs.batch.records import RawRecord
from openlrs.batch.rows import ROW_VALIDATORS, BatchRow
from openlrs.domain.batches.job import BatchJob, RowOutcome, StoredRow
from openlrs.domain.errors import ValidationFailed
from openlrs.observability.logs import bound_request_id
from openlrs.services.batches.achievement_runs import PlannedRow, in_runs, process_run
from openlrs.services.batches.jobs import school_number_of
from openlrs.services.batches.processing import (
    ReadRow,
    RowAction,
    Work,
    claim_work,
    ctf_pupil_row,
    fail_job,
    finish_if_done,
    job_file,
    process_row,
    register_row,
    release_claims,
    store_rows,
    submitter,
    update_row,
    verify_row,
    while_active,
)
from openlrs.services.learners.update import UpdateLearner
from openlrs.services.policy import DEFAULT_POLICY, RegisterPolicy
from openlrs.services.ports import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger("openlrs.worker")
MAX_BACK_OFF_SECONDS = 60.0


def worker_name() -> str:
    """Unique per process and start: host, pid and a random suffix."""
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class BatchWorker:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        *,
        limits: BatchLimits | None = None,
        policy: RegisterPolicy = DEFAULT_POLICY,
        lease: dt.timedelta = dt.timedelta(minutes=5),
        name: str | None = None,
        after_row: Callable[[StoredRow], None] | None = None,
        housekeeping: Callable[[], None] | None = None,
        housekeeping_every: dt.timedelta = dt.timedelta(hours=1),
        also: Sequence[Callable[[], bool]] = (),
    ) -> None:
        self.uow_factory = uow_factory
        self.limits = limits or BatchLimits()
        self.policy = policy
        self.lease = lease
        self.name = name or worker_name()
        self.stopping = threading.Event()
        self._after_row = after_row
        self._housekeeping = housekeeping
        self._housekeeping_every = housekeeping_every.total_seconds()
        self._last_housekeeping = time.monotonic()
        self._also = tuple(also)

    def run(self, *, poll_seconds: float = 1.0, until_idle: bool = False) -> None:
        """Work until stopped (or, with `until_idle`, until there is nothing left to do)."""
        failures = 0
        try:
            while not self.stopping.is_set():
                self._keep_house()
                try:
                    worked = self.run_once()
                    worked = self._run_also() or worked
                except Exception as error:
                    if until_idle:  # a one-off run reports the failure to its caller
                        raise
                    failures += 1
                    self._back_off(error, min(MAX_BACK_OFF_SECONDS, poll_seconds * 2**failures))
                    continue
                failures = 0
                if not worked:
                    if until_idle:
                        return
                    self.stopping.wait(poll_seconds)
        finally:
            release_claims(self.name, uow=self.uow_factory())

    def _back_off(self, error: Exception, seconds: float) -> None:
        """After an unexpected failure (a deadlock, a lost connection): hand the claims back so the
        work is retried, wait, and carry on — a serving process's worker thread must not die.
        Only the error's type is logged: a database error's text can hold a row's personal data."""
        log.error(
            "batch work failed (%s); claims handed back, retrying in %.0f s",
            type(error).__name__,
            seconds,
        )
        try:
            release_claims(self.name, uow=self.uow_factory())
        except Exception:  # the database may still be away: the leases run out on their own
            log.error("could not hand claims back; their leases will expire")
        self.stopping.wait(seconds)

    def _keep_house(self) -> None:
        if self._housekeeping is None:
            return
        if time.monotonic() - self._last_housekeeping >= self._housekeeping_every:
            self._last_housekeeping = time.monotonic()
            try:
                self._housekeeping()
            except Exception:  # housekeeping must never stop batch work
                log.exception("housekeeping failed")

    def _run_also(self) -> bool:
        """The other work of the loop (the notifications deliverer): True if any was done."""
        worked = False
        for job in self._also:
            worked = job() or worked
        return worked

    def stop(self) -> None:
        """Finish the row in hand, then hand the rest back (graceful shutdown)."""
        self.stopping.set()

    def run_once(self) -> bool:
        """Claim and do one piece of work; False when there was none."""
        work = claim_work(self.name, uow=self.uow_factory(), lease=self.lease)
        if work is None:
            return False
        with bound_request_id(work.job.request_id):  # logged under the submitting request's id
            if work.rows:
                self._process(work)
            else:
                self._validate(work.job)
        return True

    def _validate(self, job: BatchJob) -> None:
        content = job_file(job, uow=self.uow_factory())
        try:
            stored = store_rows(job, self._read(job, content), uow=self.uow_factory())
        except BatchFileError as error:
            fail_job(job, error, uow=self.uow_factory())
            log.info("batch %s refused: %s", job.id, error.code)
            return
        log.info("batch %s read: %s rows, now %s", job.id, stored.total_rows, stored.status)

    def _read(self, job: BatchJob, content: bytes) -> Iterator[ReadRow]:
        kind = BatchKind(job.kind)
        school = None
        if kind is BatchKind.CTF:  # checked again: the school's number may have changed since
            school = school_number_of(job.ukprn, uow=self.uow_factory())
        rows = open_batch(
            io.BytesIO(content),
            kind=kind,
            fmt=BatchFormat(job.fmt),
            limits=self.limits,
            policy=self.policy,
            school_number=school,
        )
        for row in rows:
            yield ReadRow(row.number, row.source_learner_id, row.values, row.problems)

    def _process(self, work: Work) -> None:
        if BatchKind(work.job.kind) is BatchKind.ACHIEVEMENT:
            self._process_achievements(work)
        else:
            for row in work.rows:
                if self.stopping.is_set():
                    break
                action = while_active(work.job.ukprn, self._action(work.job, row))
                process_row(row, self.name, action, uow=self.uow_factory())
                self._done(row)
        if finish_if_done(work.job, uow=self.uow_factory()):
            log.info("batch %s completed", work.job.id)

    def _process_achievements(self, work: Work) -> None:
        """Runs of rows in a transaction each (services/batches/achievement_runs.py)."""
        job, source = work.job, f"batch:{work.job.id}"
        planned = []
        for row in work.rows:
            request, action = achievement_row_plan(
                row.values, submitter(job), self.policy, source=source
            )
            planned.append(PlannedRow(row, request, while_active(job.ukprn, action)))
        for run in in_runs(planned):
            if self.stopping.is_set():
                break
            if len(run) == 1 and not run[0].runs_together:
                process_row(run[0].row, self.name, run[0].action, uow=self.uow_factory())
                self._done(run[0].row)
                continue
            uow = self.uow_factory()
            for row in process_run(run, self.name, job.ukprn, uow=uow, lease=self.lease):
                self._done(row)

    def _done(self, row: StoredRow) -> None:
        if self._after_row is not None:
            self._after_row(row)

    def _action(self, job: BatchJob, row: StoredRow) -> RowAction:
        """What the row asks for, checked again by the same rules (they may have changed)."""
        kind = BatchKind(job.kind)
        if kind is BatchKind.ACHIEVEMENT:
            source = f"batch:{job.id}"
            return achievement_row_action(row.values, submitter(job), self.policy, source=source)
        if kind is BatchKind.DIPLOMA_RESULT:
            return diploma_result_row_action(row.values, submitter(job))
        if kind is BatchKind.PARTICIPATION:
            source = f"batch:{job.id}"
            return participation_row_action(row.values, submitter(job), self.policy, source=source)
        checked: BatchRow = ROW_VALIDATORS[kind](RawRecord(row.number, row.values), self.policy)
        principal = submitter(job)
        if checked.problems:
            return _refuse(ValidationFailed(list(checked.problems)))
        if checked.verify is not None:
            return verify_row(checked.verify, principal, self.policy)
        if checked.is_update and kind is not BatchKind.CTF:
            assert checked.uln is not None and checked.expected_version is not None
            command = UpdateLearner(checked.uln, checked.expected_version, checked.changes)
            return update_row(command, principal, self.policy)
        assert checked.details is not None
        if kind is BatchKind.CTF:
            return ctf_pupil_row(checked.details, checked.uln, principal, self.policy)
        return register_row(checked.details, principal, self.policy)


def _refuse(error: ValidationFailed) -> RowAction:
    def act(uow: UnitOfWork) -> RowOutcome:
        raise error

    return act
