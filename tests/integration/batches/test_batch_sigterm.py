"""SIGTERM a batch worker process in the middle of a job: it finishes the row in hand, hands every
row it had claimed back to the queue at once and exits 0; the next worker carries on and the output
is the same as an uninterrupted run's, no row lost or done twice.

The signal is real (sent by this test to the worker process, handled by the handler `openlrs
worker` installs) and the moment is deterministic: the worker pauses after its Nth row and says
so, and the test signals it then; its lease is five minutes, so only the hand-back lets the next
worker carry on.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import sqlalchemy as sa

from openlrs.store.batches.tables import batch_jobs, batch_rows
from openlrs.store.engine import build_engine
from tests.integration.batches.test_batch_crash import submit_and_finish

ROWS_BEFORE_SIGTERM = 7

WORKER = textwrap.dedent(
    """
    import datetime as dt, sys, time
    from openlrs.batch.worker import BatchWorker
    from openlrs.cli_batch import stop_on_signals
    from openlrs.services.policy import RegisterPolicy
    from openlrs.store.engine import build_engine
    from openlrs.store.uow import SqlUnitOfWorkFactory

    url, pause_after = sys.argv[1], int(sys.argv[2])
    done = 0

    def after_row(row):
        global done
        done += 1
        if done == pause_after:
            print("paused", flush=True)
            while not worker.stopping.is_set():  # until the SIGTERM handler says stop
                time.sleep(0.02)

    policy = RegisterPolicy(today=lambda: dt.date(2026, 9, 1))
    factory = SqlUnitOfWorkFactory(build_engine(url))
    worker = BatchWorker(
        factory, policy=policy, lease=dt.timedelta(minutes=5), after_row=after_row
    )
    stop_on_signals(worker)
    worker.run(poll_seconds=0.05)
    print(f"stopped after {done} rows", flush=True)
    """
)


def _row_states(url: str) -> dict[str, int]:
    engine = build_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(batch_rows.c.status, batch_rows.c.claimed_until.is_not(None))
        ).all()
        jobs_claimed = conn.execute(
            sa.select(sa.func.count()).where(batch_jobs.c.claimed_until.is_not(None))
        ).scalar_one()
    engine.dispose()
    states = {"done": 0, "pending": 0, "invalid": 0, "pending_claimed": 0}
    states["jobs_claimed"] = jobs_claimed
    for status, claimed in rows:
        states[status] += 1
        states["pending_claimed"] += int(status == "pending" and claimed)
    return states


def sigterm_mid_batch(url: str) -> None:
    """Run a worker until it has done some rows of the job, SIGTERM it, check what it left."""
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER, url, str(ROWS_BEFORE_SIGTERM)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert worker.stdout is not None
        assert worker.stdout.readline().strip() == "paused"
        during = _row_states(url)
        assert during["done"] == ROWS_BEFORE_SIGTERM
        assert during["pending_claimed"] == during["pending"] > 0, "mid-batch, rows in hand"

        worker.send_signal(signal.SIGTERM)
        out, _ = worker.communicate(timeout=120)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, "a graceful stop, not a crash"
    assert f"stopped after {ROWS_BEFORE_SIGTERM} rows" in out, "it stopped after the row in hand"

    after = _row_states(url)
    assert after["pending_claimed"] == 0 and after["jobs_claimed"] == 0, "a row left claimed"
    assert after["done"] == ROWS_BEFORE_SIGTERM
    assert after["done"] + after["pending"] == during["done"] + during["pending"], "a row lost"
    assert after["invalid"] == during["invalid"]


def test_sigterm_during_a_batch_leaves_no_row_claimed_and_none_lost(
    database_url: str, sqlite_template: Path, tmp_path: Path
) -> None:
    reference = tmp_path / "reference.db"
    shutil.copy(sqlite_template, reference)

    uninterrupted = submit_and_finish(f"sqlite:///{reference}", 0)
    interrupted = submit_and_finish(database_url, 0, interrupt=sigterm_mid_batch)

    assert interrupted == uninterrupted
