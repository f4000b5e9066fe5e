"""The change feed in SQL. A position (`learner_changes.id`) is handed out in commit order, so a
reader that has seen position n has seen every committed change before it, for good.

On PostgreSQL a sequence alone would not do: ids are drawn before commit, so a reader could see 11
while 10 is still uncommitted, move its cursor past 10 and never see it. Each unit of work keeps
its changes in memory and writes them as its last statements, under a transaction-level advisory
lock held until COMMIT: writers to the feed take positions one at a time, and each commits (and
is visible to every new snapshot) before the next can draw one. SQLite has one writer at a time
anyway. See docs/decisions/0015-change-feed.md.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, exists, func, insert, not_, select

from openlrs.domain.learner_changes import ChangeKind, ChangePage, LearnerChange
from openlrs.store import pg
from openlrs.store.learners.tables import learner_relationships
from openlrs.store.plr.sharing import opted_out
from openlrs.store.plr.tables import learning_events
from openlrs.store.tables import audit_events, learners, utcnow
from openlrs.store.uln.tables import learner_changes

FEED_LOCK = 0x0F_EED_0015
"""The advisory-lock key that serialises writers to the feed (pg_advisory_xact_lock)."""
CHANGE_INSERT = (
    "INSERT INTO learner_changes (uln, kind, related_uln, event_id, ukprn, created_at,"
    " updated_at) VALUES (%(uln)s, %(kind)s, %(related_uln)s, %(event_id)s, %(ukprn)s,"
    " %(created_at)s, %(updated_at)s)"
)

_changes = learner_changes.c


def _change(row: Any) -> LearnerChange:
    return LearnerChange(
        uln=row.uln,
        kind=ChangeKind(row.kind),
        related_uln=row.related_uln,
        event_id=row.event_id,
        ukprn=row.ukprn,
        position=row.id,
        occurred_at=row.created_at,
    )


def _of_interest_to(ukprn: str) -> Any:
    """Changes to a learner the organisation has registered or has on roll, or is in the audit
    trail for (registered, looked up, verified, recorded an event for), directly, through the other ULN of a merge, unmerge or
    split, or through a ULN merged into them."""
    direct = exists().where(audit_events.c.ukprn == ukprn, audit_events.c.uln == _changes.uln)
    other = exists().where(
        audit_events.c.ukprn == ukprn, audit_events.c.uln == _changes.related_uln
    )
    linked = learners.alias("linked")
    through_linked = exists().where(
        linked.c.master_uln == _changes.uln,
        audit_events.c.uln == linked.c.uln,
        audit_events.c.ukprn == ukprn,
    )
    current = exists().where(  # its current learners: registered by it or on its roll
        learner_relationships.c.ukprn == ukprn, learner_relationships.c.uln == _changes.uln
    )
    return direct | other | through_linked | current


def _hidden_from(ukprn: str) -> Any:
    """Changes naming an event of a learner who has opted out of sharing, unless the
    organisation deposited that event: the opt-out hides the events' ids too (issue 21)."""
    deposited = exists().where(
        learning_events.c.public_id == _changes.event_id, learning_events.c.ukprn == ukprn
    )
    return _changes.event_id.is_not(None) & opted_out(_changes.uln) & not_(deposited)


class SqlChangeFeed:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._pending: list[LearnerChange] = []

    def record(self, change: LearnerChange) -> None:
        self._pending.append(change)

    def discard(self) -> None:
        self._pending.clear()

    def flush(self) -> None:
        """Write the pending changes: the last statements before COMMIT, so the lock is brief."""
        if not self._pending:
            return
        now = utcnow()
        rows = [
            {
                "uln": c.uln,
                "kind": c.kind.value,
                "related_uln": c.related_uln,
                "event_id": c.event_id,
                "ukprn": c.ukprn,
                "created_at": now,
                "updated_at": now,
            }
            for c in self._pending
        ]
        self._write(rows)
        self._pending.clear()

    def _write(self, rows: list[dict[str, Any]]) -> None:
        self._conn.execute(insert(learner_changes), rows)

    def since(self, position: int, *, ukprn: str | None, limit: int) -> ChangePage:
        # Everything up to the newest position seen now is committed (or never will be), so a
        # page short of `limit` may move the cursor that far even when the rest is filtered out.
        top = self._conn.execute(select(func.max(_changes.id))).scalar_one_or_none() or 0
        query = (
            select(learner_changes)
            .where(_changes.id > position, _changes.id <= top)
            .order_by(_changes.id)
            .limit(limit)
        )
        if ukprn is not None:
            query = query.where(_of_interest_to(ukprn), not_(_hidden_from(ukprn)))
        found = tuple(_change(row) for row in self._conn.execute(query))
        if found and len(found) == limit:
            return ChangePage(found, int(found[-1].position or position))
        return ChangePage(found, max(int(top), position))


class PgChangeFeed(SqlChangeFeed):
    """The change feed on PostgreSQL: positions drawn one writer at a time, under the feed's
    transaction-level lock (see above)."""

    def _write(self, rows: list[dict[str, Any]]) -> None:
        pg.advisory_xact_lock(self._conn, FEED_LOCK)
        pg.execute_many(self._conn, CHANGE_INSERT, rows)
