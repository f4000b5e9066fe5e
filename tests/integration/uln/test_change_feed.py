"""The change feed under concurrent writers: a reader following the cursor sees every committed
change exactly once, each transaction's changes together, in commit order, and no rolled-back
change; on PostgreSQL a writer's position waits for an earlier writer to commit."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from openlrs.domain.learner_changes import ChangeKind, LearnerChange
from openlrs.services.change_feed import read_changes
from openlrs.store.engine import build_engine
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import ADMIN

WRITERS = 4
UNITS_EACH = 40


def _change(writer: int, unit: int, part: int) -> LearnerChange:
    # The ULN column names the writer and its unit of work; event_id the part within it.
    return LearnerChange(f"{writer:02d}{unit:08d}", ChangeKind.UPDATED, event_id=str(part))


def _write(uow: SqlUnitOfWorkFactory, writer: int, start: threading.Barrier) -> set[str]:
    """Units of work of 1-3 changes each; every fifth rolled back. The ULNs committed."""
    committed = set()
    start.wait()
    for unit in range(UNITS_EACH):
        with uow() as work:
            for part in range(1 + unit % 3):
                work.changes.record(_change(writer, unit, part))
            if unit % 5 == 4:
                continue  # left without commit: rolled back
            work.commit()
            committed.add(f"{writer:02d}{unit:08d}")
    return committed


def _follow(uow: SqlUnitOfWorkFactory, done: threading.Event) -> list[LearnerChange]:
    """Read page after page from the cursor until the writers are done and the feed is drained."""
    seen: list[LearnerChange] = []
    since = 0
    while True:
        finished = done.is_set()
        page = read_changes(since, principal=ADMIN, uow=uow(), limit=7)
        seen.extend(page.changes)
        since = page.next_since
        if finished and not page.changes:
            return seen


def test_every_change_appears_exactly_once_in_commit_order(database_url: str) -> None:
    engine = build_engine(database_url, pool_size=WRITERS + 2)
    uow = SqlUnitOfWorkFactory(engine, cache_accounts=False)
    try:
        start, done = threading.Barrier(WRITERS), threading.Event()
        with ThreadPoolExecutor(max_workers=WRITERS + 1) as pool:
            reader = pool.submit(_follow, uow, done)
            writers = [pool.submit(_write, uow, w, start) for w in range(WRITERS)]
            committed = set().union(*(w.result() for w in writers))
            done.set()
            seen = reader.result()

        everything = read_changes(0, principal=ADMIN, uow=uow(), limit=1000).changes
        assert seen == list(everything)  # nothing skipped by the moving cursor, nothing twice
        positions = [c.position or 0 for c in seen]
        assert positions == sorted(set(positions))
        units = [c.uln for c in seen]
        assert set(units) == committed
        blocks = [u for i, u in enumerate(units) if i == 0 or units[i - 1] != u]
        assert len(blocks) == len(committed)  # each unit of work's changes side by side
        for writer in range(WRITERS):  # each writer's units in the order it committed them
            own = [u for u in blocks if u.startswith(f"{writer:02d}")]
            assert own == sorted(own)
    finally:
        uow.close()


def _waiting_on_an_advisory_lock(engine: sa.Engine) -> bool:
    query = sa.text(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE wait_event_type = 'Lock' AND wait_event = 'advisory'"
        " AND datname = current_database()"
    )
    with engine.connect() as conn:
        return bool(conn.execute(query).scalar_one())


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_later_writer_waits_for_the_earlier_to_commit(database_url: str) -> None:
    engine = build_engine(database_url, pool_size=4)
    uow = SqlUnitOfWorkFactory(engine, cache_accounts=False)
    try:
        first = uow().__enter__()
        first.changes.record(_change(1, 1, 0))
        first.changes.flush()  # holds the feed's lock and position 1, not yet committed

        def second() -> None:
            with uow() as work:
                work.changes.record(_change(2, 1, 0))
                work.commit()

        with ThreadPoolExecutor(max_workers=1) as pool:
            later = pool.submit(second)
            for _ in range(1000):  # until the second writer is queued on the lock (or 10 s)
                if _waiting_on_an_advisory_lock(engine):
                    break
                time.sleep(0.01)
            assert _waiting_on_an_advisory_lock(engine)
            assert read_changes(0, principal=ADMIN, uow=uow()).changes == ()
            first.commit()
            first.__exit__(None, None, None)
            later.result()

        feed = read_changes(0, principal=ADMIN, uow=uow()).changes
        assert [c.uln for c in feed] == ["0100000001", "0200000001"]
    finally:
        uow.close()
