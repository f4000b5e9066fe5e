"""The matching engine's keys in SQL: blocking keys (one row per key, searched by key), each
learner's packed match keys (read for ranking), and the name-frequency table.

The keys are defined in `domain.matching.keys`; if that definition changes, run
`openlrs rebuild-match-keys` so stored keys follow it. Name frequencies are refreshed in bulk
(`refresh_name_frequencies`): by the batch worker now and then, by `openlrs demo` and migrations.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator

import orjson
from sqlalchemy import Connection, bindparam, delete, func, insert, literal, select, update

from openlrs.domain.learners.learner import LearnerDetails
from openlrs.domain.matching.keys import blocking_keys, match_keys, pack
from openlrs.store.tables import learner_match_keys, learners, name_frequencies

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


def _learners_in_pages(conn: Connection) -> Iterator[list[tuple[int, LearnerDetails]]]:
    """Every learner's id and details, `_BATCH` at a time in id order (keyset paging)."""
    from openlrs.store.learners.repository import details_from_json

    last_id = 0
    while True:
        page = conn.execute(
            select(learners.c.id, learners.c.details)
            .where(learners.c.id > last_id)
            .order_by(learners.c.id)
            .limit(_BATCH)
        ).all()
        if not page:
            return
        yield [(learner_id, details_from_json(details)) for learner_id, details in page]
        last_id = page[-1][0]


def rebuild_match_keys(conn: Connection) -> int:
    """Recompute every learner's keys (after a migration or a change to the key definition)."""
    conn.execute(delete(learner_match_keys))
    count = 0
    for page in _learners_in_pages(conn):
        rows = [
            {"key": key, "learner_id": learner_id}
            for learner_id, details in page
            for key in sorted(blocking_keys(details))
        ]
        if rows:
            conn.execute(insert(learner_match_keys), rows)
        count += len(page)
    return count


def packed_keys(details: LearnerDetails) -> str:
    """The learner's match keys as stored in `learners.match_data`."""
    return orjson.dumps(pack(match_keys(details))).decode()


def rebuild_packed_keys(conn: Connection) -> int:
    """Recompute every learner's packed match keys."""
    stmt = (
        update(learners)
        .where(learners.c.id == bindparam("learner_id"))
        .values(match_data=bindparam("packed"))
    )
    count = 0
    for page in _learners_in_pages(conn):
        rows = [
            {"learner_id": learner_id, "packed": packed_keys(details)}
            for learner_id, details in page
        ]
        conn.execute(stmt, rows)
        count += len(page)
    return count


def refresh_name_frequencies(conn: Connection) -> int:
    """Count given, family and (shared) full names afresh, set-based; returns the register size."""
    conn.execute(delete(name_frequencies))
    columns = [name_frequencies.c.field, name_frequencies.c.key, name_frequencies.c.count]
    for field, key in (
        ("given_name", learners.c.given_key),
        ("family_name", learners.c.family_key),
    ):
        counted = select(literal(field), key, func.count()).group_by(key)
        conn.execute(insert(name_frequencies).from_select(columns, counted))
    full = learners.c.given_key + literal(" ") + learners.c.family_key
    shared = (
        select(literal("full_name"), full, func.count()).group_by(full).having(func.count() > 1)
    )
    conn.execute(insert(name_frequencies).from_select(columns, shared))
    total = conn.execute(select(func.count()).select_from(learners)).scalar_one()
    conn.execute(insert(name_frequencies).values(field="*", key="*", count=total))
    return int(total)
