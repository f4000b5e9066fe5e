"""Time registration batches end to end on a large PostgreSQL register.

Needs the register `bench/matching_latency.py` loads (1,000,000 learners in `openlrs_latency`).
Each batch mixes new learners with noisy re-registrations of learners already there; it is
submitted through the service layer, `openlrs worker` processes (default 2) take it from the
queue, and the time from submission to `completed` is printed with the row outcomes.

    python bench/matching_latency.py --learners 1000000 --searches 10   # once, to load
    python bench/batch_registration.py --rows 200 10000 --workers 2
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from itertools import islice

from openlrs.batch.columns import BatchFormat, BatchKind
from openlrs.batch.writers import write_batch
from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.learners.learner import LearnerDetails
from openlrs.services.batches import jobs as batch_jobs
from openlrs.services.batches.jobs import SubmitBatch
from openlrs.store.engine import build_engine
from openlrs.store.uow import SqlUnitOfWorkFactory
from openlrs.synth import generate_learners, reregistrations

URL = "postgresql+psycopg://postgres@127.0.0.1:5432/openlrs_latency"
TODAY = dt.date(2026, 11, 23)  # as the register was generated
SUBMITTER = Principal("user:bench@example.org", "10004321", frozenset({Role.LRB}))


def row(details: LearnerDetails, source_id: str) -> dict[str, str]:
    values = {
        "source_learner_id": source_id,
        "given_name": details.given_name,
        "family_name": details.family_name,
        "date_of_birth": details.date_of_birth.isoformat(),
        "gender": str(details.gender),
        "postcode": details.postcode,
    }
    optional = ("middle_names", "preferred_given_name", "previous_family_name", "email")
    values |= {name: getattr(details, name) for name in optional if getattr(details, name)}
    return values


def a_batch(rows: int, seed: int, register_seed: int) -> bytes:
    """Half new learners, half noisy re-registrations of learners in the register."""
    rng = random.Random(seed)
    existing = list(islice(generate_learners(50_000, seed=register_seed, today=TODAY), 50_000))
    noisy = [n for _, n, _ in reregistrations(rng.sample(existing, rows), rows // 2, seed=seed)]
    new = list(generate_learners(rows - len(noisy), seed=seed * 7919 + 11, today=TODAY))
    mixed = [row(d, f"N{i}") for i, d in enumerate(new)] + [
        row(d, f"E{i}") for i, d in enumerate(noisy)
    ]
    rng.shuffle(mixed)
    names = sorted({k for r in mixed for k in r}, key=lambda k: (k != "source_learner_id", k))
    buffer = io.BytesIO()
    write_batch(mixed, buffer, kind=BatchKind.REGISTRATION, fmt=BatchFormat.CSV, columns=names)
    return buffer.getvalue()


def start_workers(count: int, url: str) -> list[subprocess.Popen[bytes]]:
    env = os.environ | {"OPENLRS_DATABASE_URL": url}
    command = [sys.executable, "-m", "openlrs.cli", "worker", "--poll", "0.05"]
    return [subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL) for _ in range(count)]


def run(rows: int, workers: int, url: str, seed: int) -> None:
    content = a_batch(rows, seed, register_seed=5)
    factory = SqlUnitOfWorkFactory(build_engine(url, pool_size=2))
    processes = start_workers(workers, url)
    time.sleep(2)  # let the workers import and connect before the clock starts
    started = time.perf_counter()
    command = SubmitBatch("registration", "csv", f"bench-{rows}.csv", content)
    job = batch_jobs.submit_batch(command, principal=SUBMITTER, uow=factory()).job
    while not job.status.finished:
        time.sleep(0.05)
        job = batch_jobs.get_batch(job.id, principal=SUBMITTER, uow=factory())
    elapsed = time.perf_counter() - started
    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        process.wait(timeout=60)
    _, stored = batch_jobs.batch_rows(job.id, principal=SUBMITTER, uow=factory(), failed_only=False)
    outcomes = Counter(r.outcome.outcome for r in stored if r.outcome)
    print(
        f"{rows:,}-row registration batch, {workers} worker(s): {job.status} in {elapsed:.2f} s "
        f"({rows / elapsed:,.0f} rows/s); outcomes {dict(outcomes)}",
        flush=True,
    )
    factory.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[200, 10_000])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default=URL)
    parser.add_argument("--seed", type=int, default=int(time.time()) % 100_000)
    args = parser.parse_args()
    for index, rows in enumerate(args.rows):
        run(rows, args.workers, args.database_url, args.seed + index)


if __name__ == "__main__":
    main()
