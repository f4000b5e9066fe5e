"""Diploma results as a CSV batch file through the job queue, on SQLite and PostgreSQL: good rows
land on their accounts, bad rows (refused when read or when processed) are exactly the error file,
the same file again is the first job, and `openlrs validate` finds what the worker found."""

from __future__ import annotations

import csv
import io
from typing import Any

from openlrs.batch import output_files
from openlrs.batch.columns import BatchFormat, BatchKind
from openlrs.batch.validation import validate_file
from openlrs.batch.worker import BatchWorker
from openlrs.batch.writers import write_batch
from openlrs.domain.batches.job import JobStatus
from openlrs.services.batches import jobs as batch_jobs
from openlrs.services.batches.jobs import SubmitBatch, Submitted
from openlrs.services.diploma.view_account import view_diploma_account
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import BODY, complete_result_bodies, diploma_account, result_body


def _cells(account_id: str, body: dict[str, Any]) -> dict[str, str]:
    return {"account_id": str(account_id)} | {
        name: "" if value is None else str(value) for name, value in body.items()
    }


def _file(rows: list[dict[str, str]]) -> bytes:
    buffer = io.BytesIO()
    write_batch(rows, buffer, kind=BatchKind.DIPLOMA_RESULT, fmt=BatchFormat.CSV)
    return buffer.getvalue()


def _submit(uow_factory: SqlUnitOfWorkFactory, content: bytes) -> Submitted:
    command = SubmitBatch(kind="diploma_result", fmt="csv", filename="results.csv", content=content)
    submitted = batch_jobs.submit_batch(command, principal=BODY, uow=uow_factory())
    BatchWorker(uow_factory).run(until_idle=True)
    return submitted


def _error_rows(uow_factory: SqlUnitOfWorkFactory, job_id: str) -> list[dict[str, str]]:
    job, rows = batch_jobs.batch_rows(job_id, principal=BODY, uow=uow_factory(), failed_only=True)
    found = output_files.output_file(job, rows, errors_only=True)
    return list(csv.DictReader(io.StringIO(found.content.decode("utf-8-sig"))))


def _accounts(uow_factory: SqlUnitOfWorkFactory, *ids: int) -> list[Any]:
    return [view_diploma_account(i, principal=BODY, uow=uow_factory()) for i in ids]


def test_a_result_file_holds_the_good_rows_and_lists_the_bad_ones(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    first = diploma_account(uow_factory, seed=9101)
    second = diploma_account(uow_factory, seed=9102)
    rows = [_cells(first, body) for body in complete_result_bodies()]  # rows 1-7
    rows += [
        _cells(second, result_body("asl-9", qualification="not-a-number")),  # 8: read
        _cells(999_999, result_body("asl-8")),  # 9: refused when processed
        _cells(second, result_body("asl-7", component="poetry", achieved_on="30/06/2026")),  # 10
        _cells(second, result_body("asl-6", level="nine", points="-1")),  # 11
        _cells(second, result_body("asl-5")),  # 12: good
    ]
    content = _file(rows)
    submitted = _submit(uow_factory, content)
    job = batch_jobs.get_batch(submitted.job.id, principal=BODY, uow=uow_factory())
    assert job.status is JobStatus.COMPLETED
    assert (job.total_rows, job.failed_rows) == (12, 4)

    errors = _error_rows(uow_factory, job.id)
    assert [(e["row"], e["outcome"]) for e in errors] == [
        ("8", "VALIDATION_FAILED"),
        ("9", "DIPLOMA_ACCOUNT_NOT_FOUND"),
        ("10", "VALIDATION_FAILED"),
        ("11", "VALIDATION_FAILED"),
    ]
    assert "qualification QUALIFICATION_NUMBER_INVALID" in errors[0]["messages"]
    assert "component DIPLOMA_COMPONENT_INVALID" in errors[2]["messages"]
    assert "achieved_on DATE_INVALID" in errors[2]["messages"]
    assert errors[3]["reference"] == "asl-6"
    (first_account, _), (second_account, _) = _accounts(uow_factory, first, second)
    assert set(first_account.results) == {body["reference"] for body in complete_result_bodies()}
    assert set(second_account.results) == {"asl-5"}

    _, all_rows = batch_jobs.batch_rows(
        job.id, principal=BODY, uow=uow_factory(), failed_only=False
    )
    accepted = [r.number for r in all_rows if r.outcome and r.outcome.outcome == "accepted"]
    assert accepted == [1, 2, 3, 4, 5, 6, 7, 12]

    before = _accounts(uow_factory, first, second)
    again = _submit(uow_factory, content)
    assert again.duplicate and again.job.id == job.id
    assert _accounts(uow_factory, first, second) == before


def test_validate_finds_what_the_worker_refused_when_reading(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    account = diploma_account(uow_factory, seed=9101)
    rows = [
        _cells(account, result_body("a", title="", grade="")),
        _cells(account, result_body("b")),
        {"account_id": "x!", "reference": "c"},
        _cells(account, result_body("d", glh="5001", subject="s" * 21)),
    ]
    content = _file(rows)
    report = validate_file(io.BytesIO(content), kind=None, fmt=BatchFormat.CSV)
    assert report.kind is BatchKind.DIPLOMA_RESULT
    found = {(f.row, f.column, f.code) for f in report.findings}

    job_id = _submit(uow_factory, content).job.id
    _, stored = batch_jobs.batch_rows(job_id, principal=BODY, uow=uow_factory(), failed_only=True)
    refused = {
        (r.number, m.field or None, m.code)
        for r in stored
        if r.outcome and r.outcome.outcome == "VALIDATION_FAILED"
        for m in r.outcome.messages
    }
    assert found == refused
    assert {row for row, _, _ in found} == {1, 3, 4}
    assert (3, "account_id", "FIELD_INVALID") in found
    assert (3, "achieved_on", "FIELD_REQUIRED") in found


def test_a_result_file_in_xml_is_refused_whole(uow_factory: SqlUnitOfWorkFactory) -> None:
    xml = b"<?xml version='1.0'?><diploma_result_batch><learner/></diploma_result_batch>"
    report = validate_file(io.BytesIO(xml), kind=BatchKind.DIPLOMA_RESULT, fmt=BatchFormat.XML)
    assert [f.code for f in report.findings] == ["BATCH_FORMAT_NOT_OFFERED"]
    command = SubmitBatch(kind="diploma_result", fmt="xml", filename="r.xml", content=xml)
    job_id = batch_jobs.submit_batch(command, principal=BODY, uow=uow_factory()).job.id
    BatchWorker(uow_factory).run(until_idle=True)
    job = batch_jobs.get_batch(job_id, principal=BODY, uow=uow_factory())
    assert (job.status, job.error_code) == (JobStatus.FAILED, "BATCH_FORMAT_NOT_OFFERED")
