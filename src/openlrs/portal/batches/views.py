"""How a batch job reads on a page: its kind and status in words, and its summary rows."""

from __future__ import annotations

from dataclasses import dataclass

from openlrs.domain.batches.job import BatchJob, JobStatus, StoredRow

KINDS = {
    "registration": "Register or update learners",
    "vld": "Verify learner details (VLD)",
    "achievement": "Record achievements",
    "diploma_result": "Send Diploma component results",
    "ctf": "Common Transfer File (CTF) from your school's MIS",
    "participation": "Record enrolments (participation)",
}


@dataclass(frozen=True)
class StatusView:
    text: str
    tag: str
    """A GOV.UK tag colour class."""


STATUSES = {
    JobStatus.QUEUED: StatusView("Queued", "govuk-tag--grey"),
    JobStatus.VALIDATING: StatusView("Checking the file", "govuk-tag--light-blue"),
    JobStatus.AWAITING_APPROVAL: StatusView("Waiting for approval", "govuk-tag--yellow"),
    JobStatus.PROCESSING: StatusView("Processing", "govuk-tag--blue"),
    JobStatus.COMPLETED: StatusView("Completed", "govuk-tag--green"),
    JobStatus.FAILED: StatusView("Failed", "govuk-tag--red"),
}
WITH_ERRORS = StatusView("Completed with errors", "govuk-tag--orange")
SHOWN_FAILURES = 50
"""Failed rows listed on the batch's page; the error file has them all."""


def status_of(job: BatchJob) -> StatusView:
    """A finished batch with failed rows did not simply complete: say so."""
    if job.status is JobStatus.COMPLETED and job.failed_rows:
        return WITH_ERRORS
    return STATUSES[job.status]


def failure_rows(rows: list[StoredRow]) -> list[list[dict[str, str]]]:
    """Failed rows as table rows: the row number, whose row it was, and every reason in words."""
    found = []
    for row in rows[:SHOWN_FAILURES]:
        messages = row.outcome.messages if row.outcome else ()
        reasons = "; ".join(m.message for m in messages) or "The row could not be processed"
        learner = " ".join(
            v for v in (row.values.get("given_name"), row.values.get("family_name")) if v
        )
        found.append(
            [
                {"text": str(row.number)},
                {"text": learner or row.source_learner_id or "Not given"},
                {"text": reasons},
            ]
        )
    return found


def progress(job: BatchJob) -> str:
    """`12 of 200 rows processed`; nothing is counted until the file has been read."""
    if not job.total_rows:
        return "Not counted yet" if not job.status.finished else "No rows"
    return f"{job.processed_rows} of {job.total_rows} rows processed"


def _row(key: str, value: str) -> dict[str, dict[str, str]]:
    return {"key": {"text": key}, "value": {"text": value}}


def job_rows(job: BatchJob) -> list[dict[str, dict[str, str]]]:
    """The job's summary list: what was sent, by whom, and how far it has got."""
    rows = [
        _row("File", job.filename),
        _row("Kind", KINDS.get(job.kind, job.kind)),
        _row("Format", job.fmt.upper()),
        _row("Submitted by", job.submitted_by.partition(":")[2] or job.submitted_by),
    ]
    if job.created_at:
        rows.append(_row("Submitted", job.created_at.strftime("%-d %B %Y %H:%M UTC")))
    if job.approved_by:
        rows.append(_row("Approved by", job.approved_by.partition(":")[2]))
    rows += [_row("Progress", progress(job)), _row("Rows failed", str(job.failed_rows))]
    return rows


SUMMARY = (
    ("new", "New ULNs issued"),
    ("found", "Learners found (ULN already held)"),
    ("possible", "Possible matches for a person to check"),
    ("rejected", "Rejected"),
    ("pending", "Not processed yet"),
)


def summary_rows(summary: dict[str, int]) -> list[dict[str, dict[str, str]]]:
    """What the rows came to so far, in a school's words (rows not yet processed last)."""
    return [
        _row(label, str(summary.get(key, 0)))
        for key, label in SUMMARY
        if key != "pending" or summary.get(key)
    ]
