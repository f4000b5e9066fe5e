"""Learners and their versions in SQL: the current version in `learners`, every version kept."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection
from itertools import groupby
from operator import attrgetter
from typing import Any

import orjson
from sqlalchemy import Connection, Row, bindparam, func, insert, select, update

from openlrs.domain.audit import AuditEvent, read_outcome
from openlrs.domain.learners.change_request import RelationshipKind
from openlrs.domain.learners.current import CurrentLearner
from openlrs.domain.learners.demographics import name_key
from openlrs.domain.learners.learner import Learner, LearnerDetails, LearnerStatus
from openlrs.domain.matching.engine import Candidate
from openlrs.domain.matching.keys import match_keys, unpack
from openlrs.store.audit_log import SqlAuditLog
from openlrs.store.learners.relationships import (
    current_learners,
    note_relationship,
    relationships,
)
from openlrs.store.matching.match_keys import (
    packed_keys,
    refresh_name_frequencies,
    write_match_keys,
)
from openlrs.store.matching.name_frequencies import NameFrequencies, read_name_counts
from openlrs.store.tables import learner_match_keys, learner_versions, learners, utcnow

DATE_FIELDS = ("date_of_birth", "date_of_address_capture")
"""The details fields stored as ISO dates in JSON."""


def details_to_json(details: LearnerDetails) -> dict[str, Any]:
    data = dataclasses.asdict(details)
    for name in DATE_FIELDS:
        if data[name] is not None:
            data[name] = data[name].isoformat()
    return {k: v for k, v in data.items() if v is not None}


def details_from_json(data: dict[str, Any]) -> LearnerDetails:
    values = dict(data)
    for name in DATE_FIELDS:
        if values.get(name):
            values[name] = dt.date.fromisoformat(values[name])
    return LearnerDetails(**values)


def _learner(row: Row[Any] | Any, linked: tuple[str, ...] = ()) -> Learner:
    return Learner(
        uln=row.uln,
        details=details_from_json(row.details),
        version=row.version,
        status=LearnerStatus(row.status),
        master_uln=row.master_uln,
        linked_ulns=linked,
        registered_by_ukprn=row.registered_by_ukprn,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def stored_columns(learner: Learner) -> dict[str, Any]:
    d = learner.details
    return {
        "uln": learner.uln,
        "version": learner.version,
        "status": learner.status.value,
        "master_uln": learner.master_uln,
        "given_name": d.given_name,
        "family_name": d.family_name,
        "date_of_birth": d.date_of_birth,
        "gender": d.gender,
        "postcode": d.postcode,
        "details": details_to_json(d),
        "given_key": name_key(d.given_name),
        "family_key": name_key(d.family_name),
        "match_data": packed_keys(d),
    }


def candidate(
    uln: str, status: str, master: str | None, packed: str | None, details: Any
) -> Candidate:
    """A candidate from its stored keys (or, for a row written before they were, its details)."""
    if packed is not None:
        keys = unpack(orjson.loads(packed))
    else:
        keys = match_keys(
            details_from_json(details if isinstance(details, dict) else orjson.loads(details))
        )
    return Candidate(uln, _STATUSES[status], master, keys)


_STATUSES = {status.value: status for status in LearnerStatus}


_LINKED = learners.alias("linked")
# Built once: SQLAlchemy then reuses the compiled form instead of rebuilding it per call.
_GET = (
    select(learners, _LINKED.c.uln.label("linked_uln"))
    .outerjoin(_LINKED, _LINKED.c.master_uln == learners.c.uln)
    .where(learners.c.uln == bindparam("uln"))
    .order_by(_LINKED.c.uln)
)
_GET_MANY = (
    select(learners, _LINKED.c.uln.label("linked_uln"))
    .outerjoin(_LINKED, _LINKED.c.master_uln == learners.c.uln)
    .where(learners.c.uln.in_(bindparam("ulns", expanding=True)))
    .order_by(learners.c.uln, _LINKED.c.uln)
)


class SqlLearnerRepository:
    """Learners in SQLAlchemy Core, on any database; `PgLearnerRepository` (learners/pg.py)
    overrides the hot methods with raw SQL on PostgreSQL."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._size: int | None = None

    def get(self, uln: str) -> Learner | None:
        rows = self._conn.execute(_GET, {"uln": uln}).all()
        if not rows:
            return None
        links = tuple(r.linked_uln for r in rows if r.linked_uln is not None)
        return _learner(rows[0], links)

    def get_many(self, ulns: Collection[str]) -> dict[str, Learner]:
        """The learners with these ULNs (those that exist), in one round trip."""
        if not ulns:
            return {}
        rows = self._conn.execute(_GET_MANY, {"ulns": sorted(ulns)}).all()
        learners_found = {}
        for uln, group in groupby(rows, key=attrgetter("uln")):
            same = list(group)
            links = tuple(r.linked_uln for r in same if r.linked_uln is not None)
            learners_found[uln] = _learner(same[0], links)
        return learners_found

    def get_and_record(self, uln: str, event: AuditEvent) -> Learner | None:
        """The learner, with the read appended to the audit trail (its outcome by `read_outcome`)."""
        learner = self.get(uln)
        status = learner.status.value if learner else None
        outcome = read_outcome(learner is not None, status, learner.master_uln if learner else None)
        SqlAuditLog(self._conn).record(dataclasses.replace(event, uln=uln, outcome=outcome))
        return learner

    def candidates(self, keys: Collection[str], *, limit: int) -> list[Candidate]:
        """Learners sharing a blocking key, as match keys: one round trip, no details decoded."""
        ids = (
            select(learner_match_keys.c.learner_id)
            .where(learner_match_keys.c.key.in_(list(keys)))
            .distinct()
            .limit(limit)
            .scalar_subquery()
        )
        stmt = select(
            learners.c.uln,
            learners.c.status,
            learners.c.master_uln,
            learners.c.match_data,
            learners.c.details,
        ).where(learners.c.id.in_(ids))
        return [
            candidate(row.uln, row.status, row.master_uln, row.match_data, row.details)
            for row in self._conn.execute(stmt)
        ]

    def name_frequencies(
        self, names: Collection[tuple[str, str]]
    ) -> dict[tuple[str, str], float | None]:
        return NameFrequencies.of(self._conn).shares(names, self._name_counts)

    def _name_counts(self, names: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
        """The stored counts of these names (absent names are left out), in one round trip."""
        return read_name_counts(self._conn, names)

    def refresh_name_frequencies(self) -> int:
        total = refresh_name_frequencies(self._conn)
        NameFrequencies.forget()
        return total

    def add(self, learner: Learner, *, actor: str, ukprn: str | None) -> None:
        now = learner.created_at or utcnow()
        values = stored_columns(learner) | {
            "registered_by_ukprn": ukprn,
            "created_at": now,
            "updated_at": now,
        }
        learner_id = self._conn.execute(
            insert(learners).values(values).returning(learners.c.id)
        ).scalar_one()
        self._add_version(learner_id, learner, actor=actor, ukprn=ukprn, when=now)
        write_match_keys(self._conn, learner_id, learner.details)
        if ukprn:
            note_relationship(self._conn, learner.uln, ukprn, RelationshipKind.REGISTERED, now)

    def note_relationship(self, uln: str, ukprn: str, kind: RelationshipKind) -> None:
        note_relationship(self._conn, uln, ukprn, kind)

    def relationships(self, ulns: Collection[str], ukprn: str) -> frozenset[RelationshipKind]:
        return relationships(self._conn, ulns, ukprn)

    def current_learners(
        self, ukprn: str, *, after: str | None, limit: int
    ) -> list[CurrentLearner]:
        return current_learners(self._conn, ukprn, after=after, limit=limit)

    def replace(
        self, learner: Learner, *, expected_version: int, actor: str, ukprn: str | None
    ) -> bool:
        now = learner.updated_at or utcnow()
        stmt = (
            update(learners)
            .where(learners.c.uln == learner.uln, learners.c.version == expected_version)
            .values(stored_columns(learner) | {"updated_at": now})
            .returning(learners.c.id)
        )
        learner_id = self._conn.execute(stmt).scalar_one_or_none()
        if learner_id is None:
            return False
        self._add_version(learner_id, learner, actor=actor, ukprn=ukprn, when=now)
        write_match_keys(self._conn, learner_id, learner.details)
        return True

    def _add_version(
        self, learner_id: int, learner: Learner, *, actor: str, ukprn: str | None, when: dt.datetime
    ) -> None:
        self._conn.execute(
            insert(learner_versions).values(
                learner_id=learner_id,
                version=learner.version,
                details=details_to_json(learner.details),
                status=learner.status.value,
                changed_by=actor,
                changed_by_ukprn=ukprn,
                created_at=when,
                updated_at=when,
            )
        )

    def history(self, uln: str) -> list[Learner]:
        stmt = (
            select(
                learners.c.uln,
                learners.c.master_uln,
                learners.c.registered_by_ukprn,
                learner_versions.c.version,
                learner_versions.c.details,
                learner_versions.c.status,
                learner_versions.c.created_at,
                learner_versions.c.updated_at,
            )
            .join(learner_versions, learner_versions.c.learner_id == learners.c.id)
            .where(learners.c.uln == uln)
            .order_by(learner_versions.c.version)
        )
        return [_learner(r) for r in self._conn.execute(stmt)]

    def count(self) -> int:
        return int(self._conn.execute(select(func.count()).select_from(learners)).scalar_one())

    def lock(self, uln: str) -> Learner | None:
        """The learner, to change: SQLite has one writer at a time, so reading is enough (the
        PostgreSQL subclass locks the row first)."""
        return self.get(uln)

    def lock_many(self, ulns: Collection[str]) -> None:
        """Lock these learners' rows as `lock` does, in ULN order, in one statement."""
