"""PostgreSQL fast paths for the statements every request runs (standing check, learner read,
audit append): straight to psycopg with server-side prepared statements.

SQLAlchemy Core costs ~130 µs of Python per statement on top of the driver's ~60 µs; on the
per-request path that is most of the budget (docs/decisions/0004-hot-path.md). Other dialects use
the Core statements, and the tests run both.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection

LEARNER_BY_ULN = (
    "SELECT l.uln, l.version, l.status, l.master_uln, l.details, l.registered_by_ukprn,"
    " l.created_at, l.updated_at, k.uln"
    " FROM learners l LEFT JOIN learners k ON k.master_uln = l.uln"
    " WHERE l.uln = %s ORDER BY k.uln"
)
LEARNERS_BY_ULNS = (
    "SELECT l.uln, l.version, l.status, l.master_uln, l.details, l.registered_by_ukprn,"
    " l.created_at, l.updated_at, k.uln"
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
    " l.created_at, l.updated_at, k.uln FROM l LEFT JOIN learners k ON k.master_uln = l.uln"
    " ORDER BY k.uln"
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
    "SELECT f.field, f.key, f.count FROM name_frequencies f"
    " JOIN unnest(%s::text[], %s::text[]) AS w(field, key) ON f.field = w.field AND f.key = w.key"
)
ACCOUNT_BY_LOGIN = {
    kind: (
        f"SELECT a.{login}, a.{secret}, a.roles, a.revoked_at, o.ukprn, o.status"
        f" FROM {table} a JOIN organisations o ON o.id = a.organisation_id WHERE a.{login} = %s"
    )
    for kind, table, login, secret in (
        ("user", "users", "username", "password_hash"),
        ("client", "api_clients", "client_id", "secret_hash"),
    )
}
# A new learner in one round trip: the current row, version 1 and the blocking keys.
LEARNER_INSERT = (
    "WITH l AS (INSERT INTO learners (uln, version, status, master_uln, given_name, family_name,"
    " date_of_birth, gender, postcode, details, given_key, family_key, match_data,"
    " registered_by_ukprn, created_at, updated_at) VALUES (%(uln)s, %(version)s, %(status)s,"
    " %(master_uln)s, %(given_name)s, %(family_name)s, %(date_of_birth)s, %(gender)s,"
    " %(postcode)s, %(details)s::json, %(given_key)s, %(family_key)s, %(match_data)s,"
    " %(ukprn)s, %(at)s, %(at)s) RETURNING id),"
    " v AS (INSERT INTO learner_versions (learner_id, version, details, status, changed_by,"
    " changed_by_ukprn, created_at, updated_at) SELECT id, %(version)s, %(details)s::json,"
    " %(status)s, %(actor)s, %(ukprn)s, %(at)s, %(at)s FROM l)"
    " INSERT INTO learner_match_keys (key, learner_id)"
    " SELECT k, l.id FROM l, unnest(%(keys)s::text[]) AS k"
)
# A PLR read's record in one statement (one snapshot): whether the learner and every ULN merged
# into them share it, its version, and its events (one row each, or one row of NULLs), by id.
LEARNER_RECORD = (
    "SELECT COALESCE((SELECT bool_and(COALESCE(r.shares, false)) FROM learner_records r"
    " WHERE r.uln = %(uln)s OR r.uln IN (SELECT m.uln FROM learners m"
    " WHERE m.master_uln = %(uln)s)), true),"
    " COALESCE((SELECT r.version FROM learner_records r WHERE r.uln = %(uln)s), 0),"
    " e.public_id, e.uln, e.event_type, e.ukprn, e.subject_kind, e.subject, e.subject_title,"
    " e.qualification_type, e.level, e.status, e.grade, e.credits, e.award_date, e.start_date,"
    " e.end_date, e.status_before_withdrawal, e.source, e.under_challenge, e.version,"
    " e.created_at, e.updated_at, e.recorded_uln"
    " FROM (SELECT 1) AS one LEFT JOIN learning_events e ON e.uln = %(uln)s"
    " AND (e.event_type = %(event_type)s OR %(event_type)s IS NULL) ORDER BY e.id"
)
NEXT_ULN_COUNTER = "SELECT nextval('uln_counter_seq')"
ADVISORY_XACT_LOCK = "SELECT pg_advisory_xact_lock(%s)"
CHANGE_INSERT = (
    "INSERT INTO learner_changes (uln, kind, related_uln, event_id, ukprn, created_at,"
    " updated_at) VALUES (%(uln)s, %(kind)s, %(related_uln)s, %(event_id)s, %(ukprn)s,"
    " %(created_at)s, %(updated_at)s)"
)
AUDIT_INSERT = (
    "INSERT INTO audit_events (occurred_at, actor, ukprn, action, uln, outcome, detail)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s)"
)


def driver(conn: Connection) -> Any | None:
    """The psycopg connection under `conn`, or None on other databases."""
    if conn.dialect.name != "postgresql":
        return None
    return conn.connection.driver_connection


def fetch(pg: Any, sql: str, params: tuple[Any, ...] | dict[str, Any]) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = pg.execute(sql, params, prepare=True).fetchall()
    return rows


def execute(pg: Any, sql: str, params: tuple[Any, ...] | dict[str, Any]) -> None:
    pg.execute(sql, params, prepare=True)


def execute_many(pg: Any, sql: str, rows: list[dict[str, Any]]) -> None:
    """One statement for each of `rows`, sent together (psycopg pipelines them)."""
    with pg.cursor() as cur:
        cur.executemany(sql, rows)


def utc(value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else value.astimezone(dt.UTC)
