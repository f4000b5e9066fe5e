"""LearnerService's batch pairs: submit a batch of learners (registration or verify), then poll.

A submitted batch becomes a batch file of the registration or VLD kind (CSV, the columns of
docs/batch-files.md) handed to the same use case an upload calls, processed by the same workers,
row by row. The numeric JobID the LRS's clients expect is the job's id: a random 63-bit number,
written as a UUID (its integer value) for the register.
"""

from __future__ import annotations

import csv
import io
import secrets
import uuid

from lxml import etree

from openlrs.domain.batches.job import BatchJob, BatchJobNotFound, JobStatus, StoredRow
from openlrs.services.batches.jobs import SubmitBatch, batch_rows, get_batch, submit_batch
from openlrs.soap.envelope import add, add_all, text
from openlrs.soap.learner_service import FAILURE_FLAGS, Call
from openlrs.soap.records import BATCH_COLUMNS

BATCH_NS = "http://api.lrs.miap.gov.uk/batchmsg"
VLD_NS = "http://api.lrs.miap.gov.uk/vldmsg"
ACCEPTED = "WSRC0910"
FINISHED = "WSRC0911"
NOT_FINISHED = "WSRC0912"
VLD_COLUMNS = (
    ("MISIdentifier", "source_learner_id"),
    ("ULN", "uln"),
    ("FamilyName", "family_name"),
    ("GivenName", "given_name"),
    ("DateOfBirth", "date_of_birth"),
    ("Gender", "gender"),
)
_CHECK_FLAGS = {check.value: flag for check, flag in FAILURE_FLAGS.items()}


def _csv(learners: list[etree._Element], columns: tuple[tuple[str, str], ...]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([column for _, column in columns])
    for learner in learners:
        writer.writerow([text(learner, name) or "" for name, _ in columns])
    return out.getvalue().encode()


def _submit(request: etree._Element, call: Call, kind: str, namespace: str) -> etree._Element:
    columns = BATCH_COLUMNS if kind == "registration" else VLD_COLUMNS
    number = secrets.randbits(63) or 1
    submitted = submit_batch(
        SubmitBatch(
            kind=kind,
            fmt="csv",
            filename=f"web-service-{kind}.csv",
            content=_csv(request.findall("Learner"), columns),
            job_id=str(uuid.UUID(int=number)),
        ),
        principal=call.principal,
        uow=call.uow_factory(),
    )
    name = "SubmitBatchResponse" if kind == "registration" else "SubmitVerifyBatchResponse"
    response = etree.Element(f"{{{namespace}}}{name}", nsmap={"ns2": namespace})
    add_all(response, [("ResponseCode", ACCEPTED), ("JobID", job_number(submitted.job))])
    return response


def job_number(job: BatchJob) -> int | None:
    """The JobID of a job submitted through the web services (None for any other job)."""
    try:
        number = uuid.UUID(job.id).int
    except ValueError:
        return None
    return number if number < 2**63 else None


def submit_batch_registration(request: etree._Element, call: Call) -> etree._Element:
    return _submit(request, call, "registration", BATCH_NS)


def submit_verify_batch(request: etree._Element, call: Call) -> etree._Element:
    return _submit(request, call, "vld", VLD_NS)


def _job(request: etree._Element, call: Call, kind: str) -> BatchJob:
    number = int(text(request, "JobID") or "0")
    if not 0 < number < 2**63:
        raise BatchJobNotFound()
    job = get_batch(str(uuid.UUID(int=number)), principal=call.principal, uow=call.uow_factory())
    if job.kind != kind:
        raise BatchJobNotFound()
    return job


def _times(response: etree._Element, job: BatchJob) -> None:
    started = job.created_at.strftime("%Y-%m-%d %H:%M:%S") if job.created_at else None
    finished = (
        job.updated_at.strftime("%Y-%m-%d %H:%M:%S")
        if job.updated_at and job.status.finished
        else None
    )
    add_all(response, [("JobStartedDateTime", started), ("JobFinishedDateTime", finished)])


def _rows(job: BatchJob, call: Call) -> list[StoredRow]:
    if not job.status.finished:
        return []
    return batch_rows(job.id, principal=call.principal, uow=call.uow_factory(), failed_only=False)[
        1
    ]


def _return_code(row: StoredRow) -> str:
    if row.outcome is None:
        return ""
    return row.outcome.lrs_code or row.outcome.outcome


def get_batch_registration_output(request: etree._Element, call: Call) -> etree._Element:
    job = _job(request, call, "registration")
    rows = _rows(job, call)
    outcomes = [r.outcome.outcome if r.outcome else "" for r in rows]
    response = etree.Element(f"{{{BATCH_NS}}}GetSubmitBatchOutputResponse", nsmap={"ns2": BATCH_NS})
    add_all(
        response,
        [
            ("ResponseCode", FINISHED if job.status.finished else NOT_FINISHED),
            ("JobStatus", job.status.value),
        ],
    )
    if job.status is JobStatus.COMPLETED:
        add_all(
            response,
            [
                ("NewLearnersCount", outcomes.count("registered")),
                (
                    "ExistsUpdatedLearnersCount",
                    outcomes.count("updated") + outcomes.count("exact") + outcomes.count("linked"),
                ),
                (
                    "PossibleMatchLearnersCount",
                    outcomes.count("possible") + outcomes.count("too_many"),
                ),
                ("LearnersNotFoundCount", outcomes.count("LEARNER_NOT_FOUND")),
                (
                    "RejectedLearnersCount",
                    sum(1 for r in rows if r.outcome and not r.outcome.succeeded),
                ),
            ],
        )
    _times(response, job)
    for row in rows:
        node = etree.SubElement(response, "Learner")
        for name, column in BATCH_COLUMNS:
            value = row.values.get(column) or None
            if name == "ULN" and row.outcome is not None and row.outcome.uln:
                value = row.outcome.uln
            add(node, name, value)
        add(node, "ReturnCode", _return_code(row))
    return response


def get_verify_batch_output(request: etree._Element, call: Call) -> etree._Element:
    job = _job(request, call, "vld")
    rows = _rows(job, call)
    response = etree.Element(f"{{{VLD_NS}}}GetVerifyBatchOutputResponse", nsmap={"ns2": VLD_NS})
    add_all(
        response,
        [
            ("ResponseCode", FINISHED if job.status.finished else NOT_FINISHED),
            ("JobStatus", job.status.value),
        ],
    )
    _times(response, job)
    for row in rows:
        node = etree.SubElement(response, "VerifiedLearner")
        add(node, "MISIdentifier", row.values.get("source_learner_id") or None)
        for name, column in VLD_COLUMNS[1:]:
            add(node, f"Searched{name}", row.values.get(column) or None)
        add(node, "ResponseCode", _return_code(row))
        outcome = row.outcome
        if outcome is not None and outcome.uln and outcome.lrs_code != "WSVRC006":
            add(node, "ULN", outcome.uln)
        for message in outcome.messages if outcome else ():
            if message.field in _CHECK_FLAGS:
                add(node, "FailureFlag", _CHECK_FLAGS[message.field])
    return response
