"""Time a 10,000-row achievement batch end to end on a large PostgreSQL register, and PLR reads.

Needs a register of learners generated like `bench/matching_latency.py` loads them (1,000,000 in
`openlrs_latency`); this script works on its own copy of it (`--database-url`), migrated to the latest revision:

    createdb -T openlrs_latency openlrs_plr_bench      # once (nobody connected to the source)
    python bench/achievement_batch.py --rows 10000 --bad-share 0.05 --workers 2

The file names learners of the register (details as registered, so VLD passes) and spoils a share
of rows (unknown qualification, another AO's qualification, names that do not verify, a bad date).
It is submitted through the service layer, `openlrs worker` processes take it from the queue,
and the time from submission to `completed` is printed with the row outcomes; then the same rows
are sent again (a new file) and must change nothing. Last, one learner gets 50 events and their
PLR is read repeatedly (service layer, audited) for p50/p95.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import random
import resource
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from itertools import islice

from sqlalchemy import select

from openlrs.batch.columns import ACHIEVEMENT_COLUMNS
from openlrs.domain.accounts.organisations import SYSTEM, Principal, Role
from openlrs.domain.learners.learner import LearnerDetails
from openlrs.domain.matching.verification import ClaimedDetails
from openlrs.domain.plr.achievements import AchievementDetails
from openlrs.domain.plr.qualifications import Qualification
from openlrs.services.batches import jobs as batch_jobs
from openlrs.services.batches.jobs import SubmitBatch
from openlrs.services.plr.post_achievement import PostAchievement, post_achievement
from openlrs.services.plr.qualification_register import load_register
from openlrs.services.plr.read import ReadPlr, read_plr
from openlrs.store.engine import build_engine
from openlrs.store.migrate import upgrade
from openlrs.store.tables import learners
from openlrs.store.uow import SqlUnitOfWorkFactory
from openlrs.synth import generate_learners

URL = "postgresql+psycopg://postgres@127.0.0.1:5432/openlrs_plr_bench"
TODAY = dt.date(2026, 11, 23)  # as the register was generated
AO = Principal("user:bench-ao@example.org", "10006666", frozenset({Role.AO}))
READER = Principal("user:bench-provider@example.org", "10004321", frozenset({Role.LRB}))
SUBJECTS = [f"600/{n:04d}/{n % 10}" for n in range(40)]
OTHERS = "601/0000/0"


def seed_register(factory: SqlUnitOfWorkFactory) -> None:
    entries = [
        Qualification(s, f"Certificate {s}", "VRQ", "2", frozenset({AO.ukprn})) for s in SUBJECTS
    ]
    entries.append(Qualification(OTHERS, "Another AO's", "VRQ", "2", frozenset({"10007777"})))
    load_register(entries, principal=SYSTEM, uow=factory())


def registered(
    factory: SqlUnitOfWorkFactory, count: int, seed: int
) -> list[tuple[str, LearnerDetails]]:
    """Learners of the register with their ULNs: generated again, looked up by name and DOB."""
    details = list(islice(generate_learners(count * 3, seed=5, today=TODAY), count * 3))
    random.Random(seed).shuffle(details)
    found: list[tuple[str, LearnerDetails]] = []
    with factory.engine.connect() as conn:
        for d in details:
            uln = (
                conn.execute(
                    select(learners.c.uln)
                    .where(
                        learners.c.given_name == d.given_name,
                        learners.c.family_name == d.family_name,
                    )
                    .where(learners.c.date_of_birth == d.date_of_birth)
                    .limit(2)
                )
                .scalars()
                .all()
            )
            if len(uln) == 1:
                found.append((uln[0], d))
            if len(found) == count:
                break
    return found


def a_file(
    people: list[tuple[str, LearnerDetails]], bad_share: float, seed: int
) -> tuple[bytes, int]:
    rng = random.Random(seed)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, ACHIEVEMENT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    bad = set(rng.sample(range(len(people)), int(len(people) * bad_share)))
    for n, (uln, d) in enumerate(people):
        row = {"uln": uln, "source_learner_id": f"R{n}", "given_name": d.given_name,
               "family_name": d.family_name, "date_of_birth": d.date_of_birth.isoformat(),
               "subject": SUBJECTS[n % len(SUBJECTS)], "award_date": "2025-06-30", "grade": "Pass"}  # fmt: skip
        if n in bad:
            spoil = n % 4
            if spoil == 0:
                row["subject"] = "699/9999/9"  # not on the register
            elif spoil == 1:
                row["subject"] = OTHERS  # another AO's
            elif spoil == 2:
                row["given_name"], row["family_name"] = "Zebedee", "Quixote"  # fails VLD
            else:
                row["award_date"] = "31/06/2025"  # refused when read
        writer.writerow(row)
    return buffer.getvalue().encode(), len(bad)


def start_workers(count: int, url: str) -> list[subprocess.Popen[bytes]]:
    env = os.environ | {"OPENLRS_DATABASE_URL": url}
    command = [sys.executable, "-m", "openlrs.cli", "worker", "--poll", "0.05"]
    return [subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL) for _ in range(count)]


def run_batch(
    factory: SqlUnitOfWorkFactory, content: bytes, name: str
) -> tuple[float, Counter[str], int]:
    started = time.perf_counter()
    job = batch_jobs.submit_batch(
        SubmitBatch("achievement", "csv", name, content), principal=AO, uow=factory()
    ).job
    while not job.status.finished:
        time.sleep(0.05)
        job = batch_jobs.get_batch(job.id, principal=AO, uow=factory())
    elapsed = time.perf_counter() - started
    _, failed = batch_jobs.batch_rows(job.id, principal=AO, uow=factory(), failed_only=True)
    _, rows = batch_jobs.batch_rows(job.id, principal=AO, uow=factory(), failed_only=False)
    return elapsed, Counter(r.outcome.outcome for r in rows if r.outcome), len(failed)


def plr_reads(
    factory: SqlUnitOfWorkFactory, uln: str, d: LearnerDetails, reads: int
) -> list[float]:
    claim = ClaimedDetails(d.given_name, d.family_name, d.date_of_birth)
    for n in range(50):
        details = AchievementDetails(
            SUBJECTS[n % len(SUBJECTS)], dt.date(2020, 1, 1) + dt.timedelta(n)
        )
        post_achievement(PostAchievement(uln, claim, details), principal=AO, uow=factory())
    timings = []
    for _ in range(reads):
        started = time.perf_counter()
        plr = read_plr(ReadPlr(uln), principal=READER, uow=factory())
        timings.append((time.perf_counter() - started) * 1000)
    assert len(plr.events) >= 50
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--bad-share", type=float, default=0.05)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--reads", type=int, default=500)
    parser.add_argument("--database-url", default=URL)
    parser.add_argument("--seed", type=int, default=int(time.time()) % 100_000)
    args = parser.parse_args()
    engine = build_engine(args.database_url, pool_size=2)
    upgrade(engine)
    factory = SqlUnitOfWorkFactory(engine)
    seed_register(factory)
    people = registered(factory, args.rows + 1, args.seed)
    content, bad = a_file(people[1:], args.bad_share, args.seed)
    processes = start_workers(args.workers, args.database_url)
    time.sleep(2)  # let the workers import and connect before the clock starts
    try:
        for name, data in (("first", content), ("again", content + b"\n")):
            elapsed, outcomes, failed = run_batch(factory, data, f"bench-{name}.csv")
            print(
                f"{name}: {args.rows:,}-row achievement batch ({bad} spoilt), {args.workers} "
                f"worker(s): {elapsed:.2f} s ({args.rows / elapsed:,.0f} rows/s); "
                f"{failed} rows in the error file; outcomes {dict(outcomes)}",
                flush=True,
            )
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=60)
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"workers' CPU for both files: {cpu.ru_utime + cpu.ru_stime:.1f} s; load average "
          f"{' '.join(f'{n:.1f}' for n in os.getloadavg())}", flush=True)  # fmt: skip
    timings = plr_reads(factory, *people[0], args.reads)
    p95 = statistics.quantiles(timings, n=20)[-1]
    print(f"PLR read, 50 events, {args.reads} reads: p50 {statistics.median(timings):.2f} ms, "
          f"p95 {p95:.2f} ms", flush=True)  # fmt: skip
    factory.close()


if __name__ == "__main__":
    main()
