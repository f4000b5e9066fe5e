"""An achievement batch through the job queue and the worker, on SQLite and PostgreSQL: bad rows
come back in the error file, the rest are loaded, and sending the rows again changes nothing."""

from __future__ import annotations

import csv
import io

from openlrs.batch.columns import ACHIEVEMENT_COLUMNS
from openlrs.batch.worker import BatchWorker
from openlrs.domain.accounts.organisations import SYSTEM, Principal, Role
from openlrs.domain.learners.learner import Learner
from openlrs.domain.plr.qualifications import Qualification
from openlrs.services.batches import jobs as batch_jobs
from openlrs.services.batches.jobs import SubmitBatch
from openlrs.services.learners.register import RegisterLearner, register_learner
from openlrs.services.plr.qualification_register import load_register
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import TODAY, many_learner_details

AO = Principal("user:awarder", "10004321", frozenset({Role.AO}))
OWNED, NOT_OWNED = "300/0001/1", "300/0002/2"


def _file(learners: list[Learner], *, grade: str = "Pass") -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, ACHIEVEMENT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for n, learner in enumerate(learners):
        d = learner.details
        row = {
            "uln": learner.uln,
            "source_learner_id": f"R{n}",
            "given_name": d.given_name,
            "family_name": d.family_name,
            "date_of_birth": d.date_of_birth.isoformat(),
            "subject": OWNED,
            "award_date": "2025-06-30",
            "grade": grade,
        }
        if n == 1:
            row["subject"] = NOT_OWNED  # refused: another AO's qualification
        if n == 2:
            row["given_name"], row["family_name"] = "Zebedee", "Quixote"  # refused: VLD
        if n == 3:
            row["award_date"] = "30/06/2025"  # refused when read
        writer.writerow(row)
    return buffer.getvalue().encode()


def _run(uow_factory: SqlUnitOfWorkFactory, content: bytes, name: str) -> list[tuple[int, str]]:
    job = batch_jobs.submit_batch(
        SubmitBatch("achievement", "csv", name, content), principal=AO, uow=uow_factory()
    ).job
    BatchWorker(uow_factory).run(until_idle=True)
    _, failed = batch_jobs.batch_rows(job.id, principal=AO, uow=uow_factory(), failed_only=True)
    _, rows = batch_jobs.batch_rows(job.id, principal=AO, uow=uow_factory(), failed_only=False)
    assert len(rows) == 8
    return sorted((r.number, r.outcome.outcome) for r in failed if r.outcome)


def test_an_achievement_batch_loads_the_good_rows_and_reports_the_bad(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    load_register(
        [
            Qualification(OWNED, "Certificate in Welding", "VRQ", "2", frozenset({AO.ukprn})),
            Qualification(NOT_OWNED, "Certificate in Baking", "VRQ", "2", frozenset({"10007777"})),
        ],
        principal=SYSTEM,
        uow=uow_factory(),
    )
    learners = [
        register_learner(RegisterLearner(d), principal=SYSTEM, uow=uow_factory())
        for d in many_learner_details(8, seed=77, today=TODAY)
    ]

    failed = _run(uow_factory, _file(learners), "first.csv")
    again = _run(uow_factory, _file(learners) + b"\n", "again.csv")  # a new file, same rows

    expected = [
        (2, "QUALIFICATION_NOT_OWNED"),
        (3, "LEARNER_DETAILS_MISMATCH"),
        (4, "VALIDATION_FAILED"),
    ]
    assert failed == expected
    assert again == expected
    with uow_factory() as uow:
        loaded = [uow.learning_events.for_learner(learner.uln) for learner in learners]
    assert [len(events) for events in loaded] == [1, 0, 0, 0, 1, 1, 1, 1]
    assert loaded[0][0].source.startswith("batch:") and loaded[0][0].version == 1
