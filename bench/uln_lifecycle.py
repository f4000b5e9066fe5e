"""Time merges, unmerges and the change feed through the service layer on a throwaway database.

Prints merges/s and unmerges/s (each moving `--events` learning events), feed writes/s with
`--threads` concurrent writers (each unit of work one change, under the feed's lock), and how long
a provider's page of the feed takes to read. Nothing here asserts on time.

    python bench/uln_lifecycle.py --database postgresql --pairs 200 --events 5
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.learner_changes import ChangeKind, LearnerChange
from openlrs.domain.learners.learner import Learner
from openlrs.domain.plr.achievements import EventStatus, EventType, LearningEvent, SubjectKind
from openlrs.services.change_feed import read_changes
from openlrs.services.learners.register import issue_uln
from openlrs.services.uln.lifecycle import MergeUlns, merge_ulns, unmerge_uln
from openlrs.store.engine import build_engine
from openlrs.store.migrate import upgrade
from openlrs.store.uow import SqlUnitOfWorkFactory
from openlrs.synth import generate_learners

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DESK = Principal("user:bench-desk", "10000001", frozenset({Role.ADMIN}))
PROVIDER = Principal("user:bench-provider", "10000002", frozenset({Role.LRB}))
TODAY = dt.date(2025, 9, 1)


def _event(uln: str, n: int) -> LearningEvent:
    return LearningEvent(
        id=str(uuid.uuid4()),
        uln=uln,
        event_type=EventType.ACHIEVEMENT,
        ukprn="10000003",
        subject_kind=SubjectKind.QUALIFICATION,
        subject=f"100/{n:04d}/1",
        subject_title="Bench",
        qualification_type="GCSE",
        level="2",
        status=EventStatus.ACHIEVED,
        award_date=dt.date(2024, 6, 30),
    )


def _seed(uow: SqlUnitOfWorkFactory, pairs: int, events: int) -> list[tuple[str, str]]:
    people = generate_learners(pairs, seed=7, today=TODAY)
    found = []
    with uow() as work:
        for details in people:
            pair = []
            for _ in range(2):
                learner = Learner(issue_uln(work), details)
                work.learners.add(learner, actor="bench", ukprn=PROVIDER.ukprn)
                for n in range(events):
                    work.learning_events.add(_event(learner.uln, n), actor="bench")
                pair.append(learner.uln)
            work.audit.record(
                AuditEvent(PROVIDER.actor, PROVIDER.ukprn, AuditAction.LEARNER_READ, uln=pair[0])
            )
            found.append((pair[0], pair[1]))
        work.commit()
    return found


def _rate(label: str, count: int, started: float) -> None:
    elapsed = time.perf_counter() - started
    print(f"  {label}: {count} in {elapsed:.2f} s = {count / elapsed:,.0f}/s")


def _feed_writes(uow: SqlUnitOfWorkFactory, threads: int, each: int) -> None:
    def write(thread: int) -> None:
        for n in range(each):
            with uow() as work:
                work.changes.record(LearnerChange(f"{thread:02d}{n:08d}", ChangeKind.UPDATED))
                work.commit()

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(write, range(threads)))
    _rate(f"feed writes, {threads} threads", threads * each, started)


def run(url: str, pairs: int, events: int, threads: int) -> None:
    engine = build_engine(url, pool_size=threads + 2)
    upgrade(engine)
    uow = SqlUnitOfWorkFactory(engine, cache_accounts=False)
    try:
        found = _seed(uow, pairs, events)
        started = time.perf_counter()
        for master, other in found:
            merge_ulns(MergeUlns(other, master), principal=DESK, uow=uow())
        _rate(f"merges moving {events} events", len(found), started)
        started = time.perf_counter()
        for _, other in found:
            unmerge_uln(other, principal=DESK, uow=uow())
        _rate(f"unmerges moving {events} events back", len(found), started)
        _feed_writes(uow, threads, 250)
        started = time.perf_counter()
        page = read_changes(0, principal=PROVIDER, uow=uow(), limit=100)
        elapsed = (time.perf_counter() - started) * 1000
        print(f"  provider's first feed page: {len(page.changes)} changes in {elapsed:.1f} ms")
        started = time.perf_counter()
        page = read_changes(0, principal=DESK, uow=uow(), limit=1000)
        elapsed = (time.perf_counter() - started) * 1000
        print(f"  service desk's first feed page: {len(page.changes)} changes in {elapsed:.1f} ms")
    finally:
        uow.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--events", type=int, default=5)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f}; {args.pairs} pairs, {args.events} events each")
    if args.database in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            print("SQLite")
            run(f"sqlite:///{tmp}/bench.db", args.pairs, args.events, args.threads)
    if args.database in ("postgresql", "both"):
        name = f"openlrs_bench_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        try:
            print("PostgreSQL")
            run(sa.make_url(PG_ADMIN).set(database=name).render_as_string(False), args.pairs,
                args.events, args.threads)  # fmt: skip
        finally:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
