"""The batch queue on SQLite and PostgreSQL: a file goes in, every row comes out exactly once."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from openlrs.batch.columns import BatchFormat
from openlrs.batch.worker import BatchWorker
from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.batches.job import (
    BatchApprovalByUser,
    BatchJobNotFound,
    JobStatus,
)
from openlrs.services.batches import jobs as batch_jobs
from openlrs.services.batches.jobs import SubmitBatch
from openlrs.services.learners.register import RegisterLearner, register_learner
from openlrs.services.policy import RegisterPolicy
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import (
    learner_details,
    many_learner_details,
    registration_file,
    registration_row,
)

TODAY = dt.date(2026, 9, 1)
POLICY = RegisterPolicy(today=lambda: TODAY)
UKPRN = "10004321"
SYSTEM_CLIENT = Principal("client:mis", UKPRN, frozenset({Role.LRB}))
USER = Principal("user:registrar@example.org", UKPRN, frozenset({Role.LRB}))
STRANGER = Principal("client:other", "10007777", frozenset({Role.LRB}))


def submit(uow_factory: SqlUnitOfWorkFactory, content: bytes, who: Principal = USER, **kw: Any):
    command = SubmitBatch(
        kind="registration", fmt=kw.pop("fmt", "csv"), filename="f", content=content
    )
    return batch_jobs.submit_batch(command, principal=who, uow=uow_factory())


def work(uow_factory: SqlUnitOfWorkFactory, **kw: Any) -> BatchWorker:
    worker = BatchWorker(uow_factory, policy=POLICY, **kw)
    worker.run(until_idle=True)
    return worker


def outcomes(uow_factory: SqlUnitOfWorkFactory, job_id: str, who: Principal = USER) -> list[tuple]:
    _, rows = batch_jobs.batch_rows(job_id, principal=who, uow=uow_factory(), failed_only=False)
    return [(r.number, r.outcome.outcome if r.outcome else None) for r in rows]


@pytest.mark.parametrize("fmt", [BatchFormat.CSV, BatchFormat.XML])
def test_a_file_is_read_and_every_row_registered_found_held_or_refused(
    uow_factory: SqlUnitOfWorkFactory, fmt: BatchFormat
) -> None:
    people = many_learner_details(4, seed=31, today=TODAY)
    register_learner(RegisterLearner(people[0]), principal=USER, uow=uow_factory(), policy=POLICY)
    twin = dataclasses.replace(people[1], given_name="Zebedee")
    rows = [
        registration_row(people[0], "S1"),  # already registered: exact, ULN returned
        registration_row(people[1], "S2"),  # new
        registration_row(people[2], "S3"),  # new
        registration_row(people[2], "S4") | {"given_name": ""},  # invalid
        registration_row(twin, "S5"),  # a sibling of S2: held for a person to decide, or new
    ]
    job = submit(uow_factory, registration_file(rows, fmt), fmt=fmt.value).job

    work(uow_factory)

    done = batch_jobs.get_batch(job.id, principal=USER, uow=uow_factory())
    assert done.status is JobStatus.COMPLETED
    assert done.total_rows == done.processed_rows == 5
    found = dict(outcomes(uow_factory, job.id))
    assert found[1] == "exact"
    assert found[2] == found[3] == "registered"
    assert found[4] == "VALIDATION_FAILED"
    assert found[5] in ("registered", "possible")
    _, rows_out = batch_jobs.batch_rows(
        job.id, principal=USER, uow=uow_factory(), failed_only=False
    )
    ulns = [r.outcome.uln for r in rows_out if r.outcome and r.outcome.outcome == "registered"]
    assert len(ulns) == len(set(ulns)) >= 2


def test_the_same_file_again_answers_with_its_first_job_and_nothing_is_done_twice(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    people = many_learner_details(2, seed=32, today=TODAY)
    content = registration_file([registration_row(p, f"S{i}") for i, p in enumerate(people)])
    first = submit(uow_factory, content)
    work(uow_factory)
    again = submit(uow_factory, content)

    assert (first.duplicate, again.duplicate) == (False, True)
    assert again.job.id == first.job.id
    assert again.job.status is JobStatus.COMPLETED
    with uow_factory() as uow:
        assert uow.learners.count() == 2


def test_a_file_that_cannot_be_read_fails_whole_and_writes_nothing(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    job = submit(uow_factory, b"given_name,family_name\nAmy,Patel\n").job

    work(uow_factory)

    failed = batch_jobs.get_batch(job.id, principal=USER, uow=uow_factory())
    assert failed.status is JobStatus.FAILED
    assert failed.error_code == "BATCH_COLUMN_MISSING"
    assert failed.total_rows == 0
    with uow_factory() as uow:
        assert uow.learners.count() == 0


def test_a_system_batch_waits_for_a_users_approval_when_the_organisation_asks(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    admin = Principal("user:admin@example.org", UKPRN, frozenset({Role.LRB_ADMIN}))
    batch_jobs.set_approval_required(UKPRN, True, principal=admin, uow=uow_factory())
    people = many_learner_details(2, seed=33, today=TODAY)
    job = submit(
        uow_factory,
        registration_file([registration_row(p, p.given_name) for p in people]),
        SYSTEM_CLIENT,
    ).job

    work(uow_factory)
    waiting = batch_jobs.get_batch(job.id, principal=USER, uow=uow_factory())
    with uow_factory() as uow:
        assert uow.learners.count() == 0
    with pytest.raises(BatchApprovalByUser):
        batch_jobs.approve_batch(job.id, principal=SYSTEM_CLIENT, uow=uow_factory())
    approved = batch_jobs.approve_batch(job.id, principal=USER, uow=uow_factory())
    work(uow_factory)

    assert waiting.status is JobStatus.AWAITING_APPROVAL
    assert approved.approved_by == USER.actor
    assert (
        batch_jobs.get_batch(job.id, principal=USER, uow=uow_factory()).status
        is JobStatus.COMPLETED
    )
    with uow_factory() as uow:
        assert uow.learners.count() == 2


def test_another_organisation_cannot_see_a_job(uow_factory: SqlUnitOfWorkFactory) -> None:
    job = submit(
        uow_factory,
        registration_file([registration_row(learner_details(34, today=TODAY), "S")]),
    ).job

    with pytest.raises(BatchJobNotFound):
        batch_jobs.get_batch(job.id, principal=STRANGER, uow=uow_factory())
    assert batch_jobs.list_batches(principal=STRANGER, uow=uow_factory()) == []


def test_a_row_finished_by_another_worker_is_not_applied_again(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    """A worker whose lease ran out while it was busy finds the row done and writes nothing."""
    people = many_learner_details(3, seed=35, today=TODAY)
    job = submit(
        uow_factory, registration_file([registration_row(p, p.given_name) for p in people])
    ).job
    slow = BatchWorker(uow_factory, policy=POLICY, lease=dt.timedelta(seconds=-1), name="slow")
    assert slow.run_once()  # validates
    from openlrs.services.batches.processing import claim_work, process_row

    claimed = claim_work("slow", uow=uow_factory(), lease=dt.timedelta(seconds=-1))
    assert claimed is not None and len(claimed.rows) == 3
    work(uow_factory)  # another worker takes the expired claims and does every row
    row = claimed.rows[0]
    redone = process_row(row, "slow", slow._action(claimed.job, row), uow=uow_factory())

    assert redone is False
    with uow_factory() as uow:
        assert uow.learners.count() == 3
    assert (
        batch_jobs.get_batch(job.id, principal=USER, uow=uow_factory()).status
        is JobStatus.COMPLETED
    )


def test_a_serving_worker_survives_an_unexpected_failure_and_retries_the_work(
    uow_factory: SqlUnitOfWorkFactory, caplog: pytest.LogCaptureFixture
) -> None:
    """A deadlock or lost connection must not end the worker thread inside `openlrs serve`."""
    people = many_learner_details(2, seed=36, today=TODAY)
    job = submit(
        uow_factory, registration_file([registration_row(p, p.given_name) for p in people])
    ).job
    worker = BatchWorker(uow_factory, policy=POLICY, name="flaky")
    real_run_once, calls = worker.run_once, []

    def flaky_then_done() -> bool:
        calls.append(1)
        if len(calls) == 2:  # fail once mid-job, after the file was read
            raise RuntimeError("deadlock detected")
        worked = real_run_once()
        if not worked:
            worker.stopping.set()
        return worked

    worker.run_once = flaky_then_done  # type: ignore[method-assign]
    worker.run(poll_seconds=0.001)

    assert outcomes(uow_factory, job.id) == [(1, "registered"), (2, "registered")]
    assert "batch work failed (RuntimeError)" in caplog.text
