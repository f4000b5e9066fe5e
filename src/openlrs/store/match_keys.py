"""The matching engine's blocking keys in SQL: written with every learner version, searched by key.

The keys themselves are defined in `domain.matching.keys.blocking_keys`; if that definition changes,
run `openlrs rebuild-match-keys` (or `rebuild_match_keys`) so stored keys follow it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from sqlalchemy import Connection, delete, insert, select

from openlrs.domain.learner import LearnerDetails
from openlrs.domain.matching.keys import blocking_keys
from openlrs.store.tables import learner_match_keys, learners

_BATCH = 2000


def write_match_keys(conn: Connection, learner_id: int, details: LearnerDetails) -> None:
    """Replace one learner's keys with those of `details`."""
    conn.execute(delete(learner_match_keys).where(learner_match_keys.c.learner_id == learner_id))
    rows = [{"key": key, "learner_id": learner_id} for key in sorted(blocking_keys(details))]
    if rows:
        conn.execute(insert(learner_match_keys), rows)


def learner_ids_for(conn: Connection, keys: Collection[str]) -> Iterable[int]:
    stmt = select(learner_match_keys.c.learner_id).where(learner_match_keys.c.key.in_(list(keys)))
    return (row[0] for row in conn.execute(stmt.distinct()))


def rebuild_match_keys(conn: Connection) -> int:
    """Recompute every learner's keys (after a migration or a change to the key definition)."""
    from openlrs.store.learner_repository import details_from_json

    conn.execute(delete(learner_match_keys))
    count = 0
    last_id = 0
    while True:
        batch = conn.execute(
            select(learners.c.id, learners.c.details)
            .where(learners.c.id > last_id)
            .order_by(learners.c.id)
            .limit(_BATCH)
        ).all()
        if not batch:
            return count
        rows = [
            {"key": key, "learner_id": learner_id}
            for learner_id, details in batch
            for key in sorted(blocking_keys(details_from_json(details)))
        ]
        if rows:
            conn.execute(insert(learner_match_keys), rows)
        count += len(batch)
        last_id = batch[-1][0]
