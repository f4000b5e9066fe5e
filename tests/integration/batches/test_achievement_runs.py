"""Achievement rows done a run at a time (services/batches/achievement_runs.py), on SQLite and PostgreSQL:
rows keep their order and their own outcome inside a shared transaction, a failing row leaves
nothing behind, and a worker killed before a run commits leaves the run to be done once, whole."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import sqlalchemy as sa

from openlrs.batch.columns import ACHIEVEMENT_COLUMNS
from openlrs.batch.worker import BatchWorker
from openlrs.domain.accounts.organisations import SYSTEM
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.learners.learner import Learner
from openlrs.domain.plr.errors import QualificationExists
from openlrs.domain.plr.qualifications import Qualification
from openlrs.services.batches import jobs as batch_jobs
from openlrs.services.batches.jobs import SubmitBatch
from openlrs.services.batches.run_unit_of_work import RunUnitOfWork
from openlrs.services.learners.register import RegisterLearner, register_learner
from openlrs.services.plr.qualification_register import load_register
from openlrs.store.engine import build_engine
from openlrs.store.tables import audit_events
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import TODAY, many_learner_details
from tests.integration.batches.test_achievement_batch import AO, NOT_OWNED, OWNED
from tests.integration.batches.test_batch_crash import WORKER


def _setup(uow_factory: SqlUnitOfWorkFactory, count: int) -> list[Learner]:
    load_register(
        [
            Qualification(OWNED, "Certificate in Welding", "VRQ", "2", frozenset({AO.ukprn})),
            Qualification(NOT_OWNED, "Certificate in Baking", "VRQ", "2", frozenset({"10007777"})),
        ],
        principal=SYSTEM,
        uow=uow_factory(),
    )
    return [
        register_learner(RegisterLearner(d), principal=SYSTEM, uow=uow_factory())
        for d in many_learner_details(count, seed=78, today=TODAY)
    ]


def _row(n: int, learner: Learner, **changes: str) -> dict[str, str]:
    d = learner.details
    return {
        "uln": learner.uln,
        "source_learner_id": f"R{n}",
        "given_name": d.given_name,
        "family_name": d.family_name,
        "date_of_birth": d.date_of_birth.isoformat(),
        "subject": OWNED,
        "award_date": "2025-06-30",
        "grade": "Pass",
    } | changes


def _file(rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, ACHIEVEMENT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def _submit(uow_factory: SqlUnitOfWorkFactory, content: bytes) -> str:
    command = SubmitBatch("achievement", "csv", "runs.csv", content)
    return batch_jobs.submit_batch(command, principal=AO, uow=uow_factory()).job.id


def _outcomes(uow_factory: SqlUnitOfWorkFactory, job_id: str) -> list[str]:
    _, rows = batch_jobs.batch_rows(job_id, principal=AO, uow=uow_factory(), failed_only=False)
    return [row.outcome.outcome if row.outcome else "pending" for row in rows]


def test_rows_in_one_run_see_each_other_and_keep_file_order(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    learners = _setup(uow_factory, 3)
    rows = [
        _row(0, learners[0]),
        _row(1, learners[0]),  # the same achievement again, in the same run: unchanged
        _row(2, learners[1], grade="Merit"),
        _row(3, learners[1], action="withdraw"),  # after the create before it, alone
        _row(4, learners[2], given_name="Zebedee", family_name="Quixote"),  # fails VLD
        _row(5, learners[2], subject=NOT_OWNED),
        _row(6, learners[2]),
    ]
    job_id = _submit(uow_factory, _file(rows))
    BatchWorker(uow_factory).run(until_idle=True)

    assert _outcomes(uow_factory, job_id) == [
        "created",
        "unchanged",
        "created",
        "withdrawn",
        "LEARNER_DETAILS_MISMATCH",
        "QUALIFICATION_NOT_OWNED",
        "created",
    ]
    with uow_factory() as uow:
        events = [uow.learning_events.for_learner(learner.uln) for learner in learners]
        versions = [uow.learning_events.record_version(learner.uln) for learner in learners]
    assert [len(found) for found in events] == [1, 1, 1]
    assert [e.status.value for e in events[1]] == ["withdrawn"]
    assert versions == [1, 2, 1]  # one change each, two for the withdrawn one


def test_a_failing_row_leaves_nothing_behind(uow_factory: SqlUnitOfWorkFactory) -> None:
    learners = _setup(uow_factory, 2)
    rows = [_row(0, learners[0], given_name="Zebedee", family_name="Quixote"), _row(1, learners[1])]
    _submit(uow_factory, _file(rows))
    BatchWorker(uow_factory).run(until_idle=True)

    with uow_factory.engine.connect() as conn:
        by_uln = dict(
            conn.execute(
                sa.select(audit_events.c.uln, sa.func.count())
                .where(audit_events.c.actor == AO.actor)
                .group_by(audit_events.c.uln)
            ).all()
        )
        actions = set(
            conn.execute(
                sa.select(audit_events.c.action).where(audit_events.c.uln == learners[1].uln)
            ).scalars()
        )
    assert learners[0].uln not in by_uln  # its verification went with the row
    assert by_uln[learners[1].uln] == 2
    assert {AuditAction.LEARNER_VERIFY.value, AuditAction.ACHIEVEMENT_CREATE.value} <= actions


def test_what_a_run_does_not_serve_goes_to_the_database_in_a_savepoint_per_row(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    dropped = Qualification("300/0003/3", "Dropped", "VRQ", "2", frozenset({AO.ukprn}))
    kept = Qualification("300/0004/4", "Kept", "VRQ", "2", frozenset({AO.ukprn}))
    note = AuditEvent(AO.actor, AO.ukprn, AuditAction.QUALIFICATION_ADD, detail="kept")
    with uow_factory() as uow:
        run = RunUnitOfWork(uow, {}, set(), {})
        run.audit.record(AuditEvent(AO.actor, AO.ukprn, AuditAction.QUALIFICATION_ADD))
        run.qualifications.add(dropped)  # not served by the run: straight to the database
        run.drop_row(QualificationExists())
        run.audit.record(note)
        run.qualifications.add(kept)
        run.keep_row()
        run.flush()
        uow.commit()
    with uow_factory() as uow:
        assert uow.qualifications.get(dropped.number) is None
        assert uow.qualifications.get(kept.number) is not None
        trail = uow.audit.list(ukprn=AO.ukprn, uln=None, before_id=None, limit=10)
    assert [event.detail for event in trail] == ["kept"]


def _run_worker(url: str, kill_at: int) -> int:
    done = subprocess.run([sys.executable, "-c", WORKER, url, str(kill_at)], timeout=300)
    return done.returncode


def test_a_worker_killed_before_a_run_commits_leaves_it_whole_for_the_next(
    database_url: str,
) -> None:
    factory = SqlUnitOfWorkFactory(build_engine(database_url))
    learners = _setup(factory, 6)
    rows = [_row(n, learner) for n, learner in enumerate(learners)]
    rows.append(_row(6, learners[0], given_name="Zebedee", family_name="Quixote", grade="X"))
    job_id = _submit(factory, _file(rows))

    # Commits: 1 job claimed, 2 rows stored, 3 rows claimed, 4 the run (killed before it).
    assert _run_worker(database_url, 4) == -9
    assert batch_jobs.get_batch(job_id, principal=AO, uow=factory()).processed_rows == 0
    assert _run_worker(database_url, 0) == 0

    assert _outcomes(factory, job_id) == ["created"] * 6 + ["LEARNER_DETAILS_MISMATCH"]
    with factory() as uow:
        counts = [len(uow.learning_events.for_learner(learner.uln)) for learner in learners]
    assert counts == [1] * 6
    factory.close()
