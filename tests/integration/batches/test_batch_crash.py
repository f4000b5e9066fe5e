"""Kill a worker with SIGKILL in the middle of a job, start another: the output is the same as an
uninterrupted run's, no row is lost or done twice, and no learner gets two ULNs.

The kill is deterministic (at the Nth commit the worker would make, before it makes it), so the
test does not depend on timing; its lease is already over, so the next worker carries on at once.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from openlrs.batch.columns import BatchFormat, BatchKind
from openlrs.batch.writers import write_batch
from openlrs.services.batches import jobs as batch_jobs
from openlrs.services.batches.jobs import SubmitBatch
from openlrs.store.engine import build_engine
from openlrs.store.tables import learners
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import many_learner_details, registration_row
from tests.integration.batches.test_batch_jobs import TODAY, USER

WORKER = textwrap.dedent(
    """
    import datetime as dt, os, signal, sys
    from openlrs.batch.worker import BatchWorker
    from openlrs.services.policy import RegisterPolicy
    from openlrs.store.engine import build_engine
    from openlrs.store.uow import SqlUnitOfWorkFactory

    url, kill_at = sys.argv[1], int(sys.argv[2])
    factory = SqlUnitOfWorkFactory(build_engine(url))
    commits = 0

    class Dying:
        def __init__(self):
            self.uow = factory()
        def __getattr__(self, name):
            return getattr(self.uow, name)
        def __enter__(self):
            self.uow.__enter__()
            return self
        def __exit__(self, *exc):
            return self.uow.__exit__(*exc)
        def commit(self):
            global commits
            commits += 1
            if commits == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            self.uow.commit()

    policy = RegisterPolicy(today=lambda: dt.date(2026, 9, 1))
    lease = dt.timedelta(seconds=-1) if kill_at else dt.timedelta(minutes=5)
    BatchWorker(Dying if kill_at else factory, policy=policy, lease=lease).run(until_idle=True)
    """
)


def run_worker(url: str, kill_at: int) -> int:
    done = subprocess.run([sys.executable, "-c", WORKER, url, str(kill_at)], timeout=300)
    return done.returncode


def a_file() -> bytes:
    people = many_learner_details(24, seed=41, today=TODAY)
    rows = [registration_row(p, f"S{i}") for i, p in enumerate(people)]
    rows.insert(5, rows[2] | {"source_learner_id": "again"})  # the same person twice: exact
    rows.insert(9, rows[1] | {"date_of_birth": "31/02/2009", "source_learner_id": "bad"})
    buffer = io.BytesIO()
    write_batch(rows, buffer, kind=BatchKind.REGISTRATION, fmt=BatchFormat.CSV)
    return buffer.getvalue()


def submit_and_finish(
    url: str, kill_at: int, interrupt: Callable[[str], None] | None = None
) -> list[tuple[int, str, bool]]:
    """Submit the file; kill a worker at its `kill_at`th commit or `interrupt` one; finish."""
    factory = SqlUnitOfWorkFactory(build_engine(url))
    command = SubmitBatch("registration", "csv", "crash.csv", a_file())
    job = batch_jobs.submit_batch(command, principal=USER, uow=factory()).job
    if kill_at:
        assert run_worker(url, kill_at) == -9  # it really died
    if interrupt is not None:
        interrupt(url)
    assert run_worker(url, 0) == 0
    finished, rows = batch_jobs.batch_rows(job.id, principal=USER, uow=factory(), failed_only=False)
    with factory.engine.connect() as conn:
        by_uln = dict(conn.execute(sa.select(learners.c.uln, learners.c.given_name)).all())
    assert len(by_uln) == 24, "every new person registered once, nobody twice"
    results = []
    for row in rows:
        assert row.outcome is not None, f"row {row.number} lost"
        if row.outcome.uln:  # the ULN returned is that row's person
            assert by_uln[row.outcome.uln] == row.values["given_name"]
        results.append((row.number, row.outcome.outcome, bool(row.outcome.uln)))
    factory.close()
    assert finished.processed_rows == len(rows) == 26
    return results


@pytest.mark.parametrize("kill_at", [4, 11])
def test_a_worker_killed_mid_job_leaves_nothing_lost_and_nothing_twice(
    database_url: str, sqlite_template: Path, tmp_path: Path, kill_at: int
) -> None:
    reference = tmp_path / "reference.db"
    shutil.copy(sqlite_template, reference)

    uninterrupted = submit_and_finish(f"sqlite:///{reference}", 0)
    crashed = submit_and_finish(database_url, kill_at)

    assert crashed == uninterrupted
    assert ("exact" in {o for _, o, _ in crashed}) and (
        "VALIDATION_FAILED" in {o for _, o, _ in crashed}
    )
