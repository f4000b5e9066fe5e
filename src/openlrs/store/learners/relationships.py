"""Relationships between organisations and learners in SQL: written once, never duplicated."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import Connection, select

from openlrs.domain.learners.change_request import RelationshipKind
from openlrs.store.learners.tables import learner_relationships as table
from openlrs.store.tables import utcnow
from openlrs.store.upserts import upsert_insert


def note_relationship(
    conn: Connection, uln: str, ukprn: str, kind: RelationshipKind, when: dt.datetime | None = None
) -> None:
    """Record the relationship unless it is already recorded (then it keeps its first date)."""
    if not ukprn:
        return
    now = when or utcnow()
    conn.execute(
        upsert_insert(conn, table)
        .values(uln=uln, ukprn=ukprn, kind=kind.value, created_at=now, updated_at=now)
        .on_conflict_do_nothing()
    )


def relationships(
    conn: Connection, ulns: Collection[str], ukprn: str
) -> frozenset[RelationshipKind]:
    """The kinds of relationship `ukprn` has with any of these learners."""
    if not ulns or not ukprn:
        return frozenset()
    rows = conn.execute(
        select(table.c.kind).where(table.c.ukprn == ukprn, table.c.uln.in_(sorted(ulns))).distinct()
    )
    return frozenset(RelationshipKind(kind) for kind in rows.scalars())
