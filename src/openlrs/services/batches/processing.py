"""Batch jobs seen by a worker: claim work, store a file's rows, process each row exactly once.

Each row is one transaction that writes the row's effect (a learner, an exceptions-queue entry, an
audit event) together with the row's result, and only if the row is still pending: a worker that
crashed mid-row leaves it pending for another, and a row is never applied twice. Achievement
rows keep these guarantees a run of rows at a time (`services/batches/achievement_runs.py`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from openlrs.domain.accounts.organisations import LEARNER_ROLES, VERIFY_ROLES, OrgStatus, Principal
from openlrs.domain.batches.job import (
    BatchJob,
    JobStatus,
    RowOutcome,
    StoredRow,
    waits_for_approval,
)
from openlrs.domain.errors import (
    DomainError,
    FieldError,
    OrganisationNotActive,
    RegistrationRefused,
    ValidationFailed,
)
from openlrs.domain.learners.change_request import ChangeRequest
from openlrs.domain.learners.learner import Learner, LearnerDetails
from openlrs.domain.matching.outcomes import MatchOutcome
from openlrs.domain.notifications.messages import batch_failed, batch_finished
from openlrs.domain.plr.roles import AWARDING_ROLES, PARTICIPATION_ROLES
from openlrs.services import telemetry
from openlrs.services.learners.register import RegisterLearner, register_within
from openlrs.services.learners.transfer import keep_uln_within
from openlrs.services.learners.update import UpdateLearner, update_within
from openlrs.services.learners.verify import VerifyLearner, verify_within
from openlrs.services.notifications.outbox import notify
from openlrs.services.policy import DEFAULT_POLICY, RegisterPolicy
from openlrs.services.ports import UnitOfWork

CHUNK = 200


@dataclass(frozen=True)
class ReadRow:
    """A row as a file reader gave it: the cells, and its problems when it failed validation."""

    number: int
    source_learner_id: str | None
    cells: dict[str, str]
    problems: tuple[FieldError, ...] = ()


@dataclass(frozen=True)
class Work:
    """What a worker claimed: a job to validate (no rows), or rows of a job to process."""

    job: BatchJob
    rows: tuple[StoredRow, ...] = ()


def submitter(job: BatchJob) -> Principal:
    """Rows act as the submitter did, within the roles that the job's kind needs."""
    roles = {
        "registration": LEARNER_ROLES,
        "ctf": LEARNER_ROLES,
        "achievement": AWARDING_ROLES,
        "diploma_result": AWARDING_ROLES,  # a component awarding body's, never the service desk's
        "participation": PARTICIPATION_ROLES,
    }.get(job.kind, VERIFY_ROLES)
    return Principal(actor=job.submitted_by, ukprn=job.ukprn, roles=roles)


def claim_work(worker: str, *, uow: UnitOfWork, lease: dt.timedelta) -> Work | None:
    """The next job to validate, else the next chunk of pending rows; None when idle."""
    with uow:
        job = uow.batches.claim_job_to_validate(worker, lease)
        if job is not None:
            uow.commit()
            return Work(job)
        claimed = uow.batches.claim_rows(worker, lease, limit=CHUNK)
        uow.commit()
    if claimed is None:
        return None
    job, rows = claimed
    return Work(job, tuple(rows))


def job_file(job: BatchJob, *, uow: UnitOfWork) -> bytes:
    """The file as submitted."""
    with uow:
        return uow.batches.content(job.id)


def store_rows(job: BatchJob, rows: Iterable[ReadRow], *, uow: UnitOfWork) -> BatchJob:
    """Keep every row of a validated file, in one transaction, and move the job on: to approval,
    to processing, or (when no row is valid) straight to completed."""
    with uow:
        uow.batches.delete_rows(job.id)  # a worker that died while validating left some
        valid = 0
        for chunk in _chunks(rows, 500):
            uow.batches.add_rows(job.id, [_stored(row) for row in chunk])
            valid += sum(1 for row in chunk if not row.problems)
        if valid == 0:
            status = JobStatus.COMPLETED
        elif waits_for_approval(job) and uow.batches.approval_required(job.ukprn):
            status = JobStatus.AWAITING_APPROVAL
        else:
            status = JobStatus.PROCESSING
        uow.batches.set_status(job.id, status, expected=JobStatus.VALIDATING)
        if status is JobStatus.COMPLETED:
            _notify_finished(job.id, uow=uow)
        uow.commit()
        found = uow.batches.get(job.id)
    assert found is not None
    return found


def fail_job(job: BatchJob, error: DomainError, *, uow: UnitOfWork) -> None:
    """The file itself is unusable (too big, unsafe, no header): nothing of it is processed."""
    with uow:
        uow.batches.delete_rows(job.id)
        uow.batches.set_status(
            job.id,
            JobStatus.FAILED,
            expected=JobStatus.VALIDATING,
            error_code=error.code,
            error_message=error.detail[:500],
        )
        notify(uow, batch_failed(job.id, job.ukprn, reason=error.title))
        uow.commit()


def _stored(row: ReadRow) -> tuple[int, str | None, dict[str, str], RowOutcome | None]:
    if not row.problems:
        return row.number, row.source_learner_id, row.cells, None
    invalid = RowOutcome(
        ValidationFailed.code, False, ValidationFailed.lrs_code, messages=row.problems
    )
    return row.number, row.source_learner_id, row.cells, invalid


def _chunks(rows: Iterable[ReadRow], size: int) -> Iterable[list[ReadRow]]:
    chunk: list[ReadRow] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


RowAction = Callable[[UnitOfWork], RowOutcome]


def while_active(ukprn: str, action: RowAction) -> RowAction:
    """The row acts only while the submitting organisation is active: a provider deactivated
    (or an organisation suspended) after it submitted a file has its remaining rows refused."""

    def act(uow: UnitOfWork) -> RowOutcome:
        organisation = uow.organisations.get(ukprn)
        if organisation is not None and organisation.status is not OrgStatus.ACTIVE:
            raise OrganisationNotActive()
        return action(uow)

    return act


def process_row(row: StoredRow, worker: str, action: RowAction, *, uow: UnitOfWork) -> bool:
    """Apply one row and record its outcome in one transaction; False when the row was already
    done (another worker took it over after this one's lease ran out): nothing is then written."""
    with uow:
        try:
            outcome = action(uow)
        except DomainError as error:
            uow.rollback()
            outcome = refused_outcome(error)
        if not uow.batches.complete_row(row.id, worker, outcome):
            return False
        uow.commit()
    telemetry.rows_processed("succeeded" if outcome.succeeded else "failed")
    return True


def finish_if_done(job: BatchJob, *, uow: UnitOfWork) -> bool:
    """Mark the job completed once no row is pending."""
    with uow:
        done = uow.batches.complete_job_if_done(job.id)
        if done:
            _notify_finished(job.id, uow=uow)
        uow.commit()
    return done


def _notify_finished(job_id: str, *, uow: UnitOfWork) -> None:
    """The "finished" e-mail, in the transaction that completes the job (an outbox row)."""
    job = uow.batches.get(job_id)
    if job is not None:
        message = batch_finished(job.id, job.ukprn, total=job.total_rows, failed=job.failed_rows)
        notify(uow, message)


def release_claims(worker: str, *, uow: UnitOfWork) -> None:
    """On shutdown: give the worker's claimed rows and jobs back to the queue at once."""
    with uow:
        uow.batches.release(worker)
        uow.commit()


def refused_outcome(error: DomainError) -> RowOutcome:
    """A row refused for a business reason: its code, and its messages for the error file."""
    if isinstance(error, ValidationFailed) and error.errors:
        messages = tuple(error.errors)
    else:
        messages = (FieldError("", error.code, error.detail),)
    return RowOutcome(error.code, False, error.lrs_code, messages=messages)


# --- what a row does ------------------------------------------------------------------------------


def register_row(
    details: LearnerDetails, principal: Principal, policy: RegisterPolicy = DEFAULT_POLICY
) -> RowAction:
    """A registration row: a new ULN, or the learner found, or held for a person to decide."""

    def act(uow: UnitOfWork) -> RowOutcome:
        outcome = register_within(
            details, RegisterLearner(details), principal=principal, uow=uow, policy=policy
        )
        if not isinstance(outcome, RegistrationRefused):
            return RowOutcome("registered", True, "WSRC0005", outcome.uln)
        return _refusal(outcome)

    return act


def ctf_pupil_row(
    details: LearnerDetails,
    carried_uln: str | None,
    principal: Principal,
    policy: RegisterPolicy = DEFAULT_POLICY,
) -> RowAction:
    """A pupil of a Common Transfer File: the ULN it carries kept when the record agrees, else
    found or registered by details like any registration row (the same matching, exceptions
    queue and audit); either way the school then has the pupil on roll."""
    register = register_row(details, principal, policy)

    def act(uow: UnitOfWork) -> RowOutcome:
        if carried_uln is not None:
            kept = keep_uln_within(
                carried_uln, details, principal=principal, uow=uow, policy=policy
            )
            if kept is not None:
                return RowOutcome("found", True, MatchOutcome.EXACT.lrs_code, kept)
        outcome = register(uow)
        if carried_uln is not None:
            message = "The ULN in the file is not this pupil's: found or registered by details"
            return dataclasses.replace(outcome, messages=(*outcome.messages, *_note(message)))
        return outcome

    return act


def _refusal(refused: RegistrationRefused) -> RowOutcome:
    match = MatchOutcome(refused.outcome)
    ulns = [c.uln for c in refused.candidates if isinstance(c, Learner)]
    if match in (MatchOutcome.EXACT, MatchOutcome.LINKED):
        message = "This learner already has a ULN: use the one returned"
        return RowOutcome(match.value, True, match.lrs_code, ulns[0], _note(message))
    held = f" (exceptions queue entry {refused.held_id})" if refused.held_id else ""
    message = f"Held for a person to decide{held}: possible matches {' '.join(ulns)}".strip()
    return RowOutcome(match.value, False, match.lrs_code, None, _note(message))


def _note(message: str) -> tuple[FieldError, ...]:
    return (FieldError("", "NOTE", message),)


def update_row(command: UpdateLearner, principal: Principal, policy: RegisterPolicy) -> RowAction:
    def act(uow: UnitOfWork) -> RowOutcome:
        updated = update_within(command, principal=principal, uow=uow, policy=policy)
        if isinstance(updated, ChangeRequest):
            message = (
                "Not changed: your organisation has no relationship with this learner, so the"
                " change waits for the registering organisation or the service desk to accept it"
            )
            return RowOutcome("change_requested", False, None, updated.uln, _note(message))
        return RowOutcome("updated", True, None, updated.uln, _note(f"version {updated.version}"))

    return act


def verify_row(command: VerifyLearner, principal: Principal, policy: RegisterPolicy) -> RowAction:
    def act(uow: UnitOfWork) -> RowOutcome:
        found = verify_within(command, principal=principal, uow=uow, policy=policy)
        flags = tuple(FieldError(c.value, "CHECK_FAILED", "did not agree") for c in found.failed)
        succeeded = found.outcome in ("exact", "similar")
        return RowOutcome(found.outcome, succeeded, found.lrs_code, found.uln, flags)

    return act
