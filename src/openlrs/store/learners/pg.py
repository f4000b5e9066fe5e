"""The learner repository on PostgreSQL: the hot statements (lookup by ULN, the audited read,
search candidates, name counts, registration) straight to psycopg, each in one round trip."""

from __future__ import annotations

from collections.abc import Collection
from itertools import groupby
from operator import attrgetter
from typing import Any

import orjson
from sqlalchemy import select

from openlrs.domain.audit import AuditEvent
from openlrs.domain.learners.learner import Learner, LearnerStatus
from openlrs.domain.matching.engine import Candidate
from openlrs.domain.matching.keys import blocking_keys
from openlrs.store import pg
from openlrs.store.learners.repository import (
    SqlLearnerRepository,
    candidate,
    details_from_json,
    stored_columns,
)
from openlrs.store.tables import learners, utcnow

LEARNER_BY_ULN = (
    "SELECT l.uln, l.version, l.status, l.master_uln, l.details, l.registered_by_ukprn,"
    " l.created_at, l.updated_at, k.uln AS linked_uln"
    " FROM learners l LEFT JOIN learners k ON k.master_uln = l.uln"
    " WHERE l.uln = %s ORDER BY k.uln"
)
LEARNERS_BY_ULNS = (
    "SELECT l.uln, l.version, l.status, l.master_uln, l.details, l.registered_by_ukprn,"
    " l.created_at, l.updated_at, k.uln AS linked_uln"
    " FROM learners l LEFT JOIN learners k ON k.master_uln = l.uln"
    " WHERE l.uln = ANY(%s) ORDER BY l.uln, k.uln"
)
# One round trip: read the learner and append the read to the audit trail. The CASE mirrors
# `domain.audit.read_outcome`.
LEARNER_READ_AUDITED = (
    "WITH l AS (SELECT uln, version, status, master_uln, details, registered_by_ukprn,"
    " created_at, updated_at FROM learners WHERE uln = %(uln)s),"
    " a AS (INSERT INTO audit_events (occurred_at, actor, ukprn, action, uln, outcome, detail)"
    " SELECT %(at)s, %(actor)s, %(ukprn)s, %(action)s, %(uln)s, COALESCE((SELECT CASE WHEN"
    " l.status = 'merged' AND l.master_uln IS NOT NULL THEN 'linked' ELSE 'exact' END FROM l),"
    " 'not_found'), %(detail)s)"
    " SELECT l.uln, l.version, l.status, l.master_uln, l.details, l.registered_by_ukprn,"
    " l.created_at, l.updated_at, k.uln AS linked_uln"
    " FROM l LEFT JOIN learners k ON k.master_uln = l.uln ORDER BY k.uln"
)
# Search candidates: the learners sharing any blocking key, with their packed match keys. A row
# written before keys were packed has none; its details are read apart (`DETAILS_BY_ULNS`):
# asking for them here, even in a CASE that is never true, costs every search ~10% more.
CANDIDATES = (
    "SELECT l.uln, l.status, l.master_uln, l.match_data FROM learners l"
    " WHERE l.id IN (SELECT DISTINCT learner_id FROM learner_match_keys"
    " WHERE key = ANY(%s) LIMIT %s)"
)
DETAILS_BY_ULNS = "SELECT uln, details FROM learners WHERE uln = ANY(%s)"
NAME_COUNTS = (
    "SELECT f.field, f.key, f.count AS held_by FROM name_frequencies f"
    " JOIN unnest(%s::text[], %s::text[]) AS w(field, key) ON f.field = w.field AND f.key = w.key"
)
# A new learner in one round trip: the current row, version 1, the blocking keys and the
# registering organisation's relationship with them.
LEARNER_INSERT = (
    "WITH l AS (INSERT INTO learners (uln, version, status, master_uln, given_name, family_name,"
    " date_of_birth, gender, postcode, details, given_key, family_key, match_data,"
    " registered_by_ukprn, created_at, updated_at) VALUES (%(uln)s, %(version)s, %(status)s,"
    " %(master_uln)s, %(given_name)s, %(family_name)s, %(date_of_birth)s, %(gender)s,"
    " %(postcode)s, %(details)s::json, %(given_key)s, %(family_key)s, %(match_data)s,"
    " %(ukprn)s, %(at)s, %(at)s) RETURNING id),"
    " v AS (INSERT INTO learner_versions (learner_id, version, details, status, changed_by,"
    " changed_by_ukprn, created_at, updated_at) SELECT id, %(version)s, %(details)s::json,"
    " %(status)s, %(actor)s, %(ukprn)s, %(at)s, %(at)s FROM l),"
    " r AS (INSERT INTO learner_relationships (uln, ukprn, kind, created_at, updated_at)"
    " SELECT %(uln)s, %(ukprn)s, 'registered', %(at)s, %(at)s"
    " WHERE COALESCE(%(ukprn)s, '') <> '' ON CONFLICT DO NOTHING)"
    " INSERT INTO learner_match_keys (key, learner_id)"
    " SELECT k, l.id FROM l, unnest(%(keys)s::text[]) AS k"
)


def _learner(rows: list[Any]) -> Learner | None:
    """A learner from rows of `LEARNER_BY_ULN` (one per linked ULN)."""
    if not rows:
        return None
    row = rows[0]
    return Learner(
        uln=row.uln,
        details=details_from_json(row.details),
        version=row.version,
        status=LearnerStatus(row.status),
        master_uln=row.master_uln,
        linked_ulns=tuple(r.linked_uln for r in rows if r.linked_uln is not None),
        registered_by_ukprn=row.registered_by_ukprn,
        created_at=pg.utc(row.created_at),
        updated_at=pg.utc(row.updated_at),
    )


class PgLearnerRepository(SqlLearnerRepository):
    def get(self, uln: str) -> Learner | None:
        return _learner(pg.fetch(self._conn, LEARNER_BY_ULN, (uln,)))

    def get_many(self, ulns: Collection[str]) -> dict[str, Learner]:
        if not ulns:
            return {}
        rows = pg.fetch(self._conn, LEARNERS_BY_ULNS, (sorted(ulns),))
        found = (_learner(list(group)) for _, group in groupby(rows, key=attrgetter("uln")))
        return {learner.uln: learner for learner in found if learner is not None}

    def get_and_record(self, uln: str, event: AuditEvent) -> Learner | None:
        params = {
            "uln": uln,
            "at": event.occurred_at or utcnow(),
            "actor": event.actor,
            "ukprn": event.ukprn,
            "action": event.action.value,
            "detail": event.detail,
        }
        return _learner(pg.fetch(self._conn, LEARNER_READ_AUDITED, params))

    def candidates(self, keys: Collection[str], *, limit: int) -> list[Candidate]:
        rows = pg.fetch(self._conn, CANDIDATES, (list(keys), limit))
        unpacked = [row.uln for row in rows if row.match_data is None]
        details = (
            {r.uln: r.details for r in pg.fetch(self._conn, DETAILS_BY_ULNS, (unpacked,))}
            if unpacked
            else {}
        )
        return [
            candidate(row.uln, row.status, row.master_uln, row.match_data, details.get(row.uln))
            for row in rows
        ]

    def _name_counts(self, names: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
        fields, keys = [field for field, _ in names], [key for _, key in names]
        rows = pg.fetch(self._conn, NAME_COUNTS, (fields, keys))
        return {(row.field, row.key): row.held_by for row in rows}

    def add(self, learner: Learner, *, actor: str, ukprn: str | None) -> None:
        columns = stored_columns(learner)
        columns["details"] = orjson.dumps(columns["details"]).decode()
        params = columns | {
            "ukprn": ukprn,
            "actor": actor,
            "at": learner.created_at or utcnow(),
            "keys": sorted(blocking_keys(learner.details)),
        }
        pg.execute(self._conn, LEARNER_INSERT, params)

    def lock(self, uln: str) -> Learner | None:
        """The learner, read after taking their row FOR NO KEY UPDATE: READ COMMITTED then reads
        what the last holder committed."""
        locking = select(learners.c.id).where(learners.c.uln == uln)
        self._conn.execute(locking.with_for_update(key_share=True))
        return self.get(uln)

    def lock_many(self, ulns: Collection[str]) -> None:
        if ulns:
            locking = select(learners.c.id).where(learners.c.uln.in_(sorted(ulns)))
            self._conn.execute(locking.order_by(learners.c.uln).with_for_update(key_share=True))
