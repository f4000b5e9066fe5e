"""Relationships between organisations and learners in SQL: written once, never duplicated."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection

from sqlalchemy import Connection, func, select

from openlrs.domain.learners.change_request import RelationshipKind
from openlrs.domain.learners.current import CurrentLearner
from openlrs.store.learners.tables import learner_relationships as table
from openlrs.store.tables import learners, utcnow
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


def current_learners(
    conn: Connection, ukprn: str, *, after: str | None, limit: int
) -> list[CurrentLearner]:
    """The organisation's learners in ULN order from after `after`: each with the kinds of its
    relationship, since when, and how many other organisations hold them too."""
    mine = (
        select(table.c.uln, func.min(table.c.created_at).label("since"))
        .where(table.c.ukprn == ukprn)
        .group_by(table.c.uln)
        .order_by(table.c.uln)
        .limit(limit)
    )
    if after:
        mine = mine.where(table.c.uln > after)
    found = {row.uln: row.since for row in conn.execute(mine)}
    if not found:
        return []
    ulns = sorted(found)
    kinds: dict[str, set[RelationshipKind]] = {}
    others: dict[str, set[str]] = {}
    for row in conn.execute(select(table).where(table.c.uln.in_(ulns))):
        if row.ukprn == ukprn:
            kinds.setdefault(row.uln, set()).add(RelationshipKind(row.kind))
        else:
            others.setdefault(row.uln, set()).add(row.ukprn)
    details = {
        row.uln: row
        for row in conn.execute(
            select(
                learners.c.uln,
                learners.c.given_name,
                learners.c.family_name,
                learners.c.date_of_birth,
                learners.c.details,
            ).where(learners.c.uln.in_(ulns))
        )
    }
    return [
        CurrentLearner(
            uln=uln,
            given_name=details[uln].given_name,
            family_name=details[uln].family_name,
            date_of_birth=details[uln].date_of_birth,
            upn=_upn(details[uln].details),
            kinds=frozenset(kinds.get(uln, ())),
            since=found[uln],
            elsewhere=len(others.get(uln, ())),
        )
        for uln in ulns
        if uln in details
    ]


def _upn(document: object) -> str | None:
    value = (document if isinstance(document, dict) else json.loads(str(document))).get("upn")
    return str(value) if value else None
