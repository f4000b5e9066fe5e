"""Learning events in SQL: the current version in `learning_events`, each earlier one kept in
`learning_event_versions`; per learner, `learner_records` holds the record version. Whether the
learner shares the record is their `ability_to_share` (store/plr/sharing.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table, bindparam, insert, select, update
from sqlalchemy.dialects import sqlite

from openlrs.domain.plr.achievements import (
    EventStatus,
    EventType,
    LearnerRecord,
    LearningEvent,
    SubjectKind,
)
from openlrs.store.plr.sharing import opted_out
from openlrs.store.plr.tables import learner_records, learning_event_versions, learning_events
from openlrs.store.tables import utcnow

_DATES = ("award_date", "start_date", "end_date")
_COLUMNS = tuple(
    f.name for f in dataclasses.fields(LearningEvent) if f.name not in ("id", "created_at")
)


def event_from_row(row: Any) -> LearningEvent:
    """An event from a `learning_events` row (or any row with its column names)."""
    before = row.status_before_withdrawal
    return LearningEvent(
        id=row.public_id,
        uln=row.uln,
        event_type=EventType(row.event_type),
        ukprn=row.ukprn,
        subject_kind=SubjectKind(row.subject_kind),
        subject=row.subject,
        subject_title=row.subject_title,
        qualification_type=row.qualification_type,
        level=row.level,
        status=EventStatus(row.status),
        grade=row.grade,
        credits=row.credits,
        award_date=row.award_date,
        start_date=row.start_date,
        end_date=row.end_date,
        status_before_withdrawal=EventStatus(before) if before else None,
        source=row.source,
        under_challenge=row.under_challenge,
        version=row.version,
        created_at=row.created_at,
        updated_at=row.updated_at,
        recorded_uln=row.recorded_uln,
    )


def _values(event: LearningEvent) -> dict[str, Any]:
    values = {name: getattr(event, name) for name in _COLUMNS}
    values["natural_key"] = event.natural_key
    return values


_FIELDS = tuple(f.name for f in dataclasses.fields(LearningEvent))


def _snapshot(event: LearningEvent) -> dict[str, Any]:
    data = {name: getattr(event, name) for name in _FIELDS}  # flat: no deep copy (asdict)
    for name in (*_DATES, "created_at", "updated_at"):
        if data[name] is not None:
            data[name] = data[name].isoformat()
    return data


def _from_snapshot(data: dict[str, Any]) -> LearningEvent:
    values = dict(data)
    for name in _DATES:
        if values[name]:
            values[name] = dt.date.fromisoformat(values[name])
    for name in ("created_at", "updated_at"):
        if values[name]:
            values[name] = dt.datetime.fromisoformat(values[name])
    values["event_type"] = EventType(values["event_type"])
    values["subject_kind"] = SubjectKind(values["subject_kind"])
    values["status"] = EventStatus(values["status"])
    if values["status_before_withdrawal"]:
        values["status_before_withdrawal"] = EventStatus(values["status_before_withdrawal"])
    return LearningEvent(**values)


class SqlLearningEventRepository:
    """Learning events in SQLAlchemy Core; `PgLearningEventRepository` (plr/pg.py) reads a PLR's
    whole record in one raw statement on PostgreSQL."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def _upsert_into(self, table: Table) -> Any:
        """An INSERT that takes ON CONFLICT: SQLite's here, PostgreSQL's in the subclass."""
        return sqlite.insert(table)

    def _one(self, *where: Any) -> LearningEvent | None:
        row = self._conn.execute(select(learning_events).where(*where)).first()
        return None if row is None else event_from_row(row)

    def get(self, event_id: str) -> LearningEvent | None:
        return self._one(learning_events.c.public_id == event_id)

    def by_natural_key(self, key: str) -> LearningEvent | None:
        return self._one(learning_events.c.natural_key == key)

    def by_natural_keys(self, keys: Collection[str]) -> dict[str, LearningEvent]:
        """The events stored under any of these keys, by key, in one round trip."""
        if not keys:
            return {}
        query = select(learning_events).where(learning_events.c.natural_key.in_(sorted(keys)))
        return {row.natural_key: event_from_row(row) for row in self._conn.execute(query)}

    def _keep(self, row_id: int, event: LearningEvent, actor: str, change: str) -> None:
        now = event.updated_at or utcnow()
        self._conn.execute(
            insert(learning_event_versions).values(
                event_id=row_id,
                version=event.version,
                change=change,
                changed_by=actor[:100],
                snapshot=_snapshot(event),
                created_at=now,
                updated_at=now,
            )
        )

    def add(self, event: LearningEvent, *, actor: str) -> LearningEvent:
        now = utcnow()
        stored = dataclasses.replace(event, version=1, created_at=now, updated_at=now)
        row_id = self._conn.execute(
            insert(learning_events)
            .values(public_id=event.id, created_at=now, **_values(stored))
            .returning(learning_events.c.id)
        ).scalar_one()
        self._keep(row_id, stored, actor, "create")
        return stored

    def add_many(self, events: Sequence[LearningEvent], *, actor: str) -> list[LearningEvent]:
        """As `add` for each event, in two executemany statements for them all (no RETURNING:
        one short statement repeated is cheaper to send than one long multi-row one)."""
        if not events:
            return []
        now = utcnow()
        stored = [dataclasses.replace(e, version=1, created_at=now, updated_at=now) for e in events]
        rows = [{"public_id": e.id, "created_at": now, **_values(e)} for e in stored]
        self._conn.execute(insert(learning_events), rows)
        event_id = select(learning_events.c.id).where(
            learning_events.c.public_id == bindparam("event_public_id")
        )
        versions = [
            {
                "event_public_id": event.id,
                "version": 1,
                "change": "create",
                "changed_by": actor[:100],
                "snapshot": _snapshot(event),
                "created_at": now,
                "updated_at": now,
            }
            for event in stored
        ]
        adding = insert(learning_event_versions).values(event_id=event_id.scalar_subquery())
        self._conn.execute(adding, versions)
        return stored

    def replace(self, event: LearningEvent, *, actor: str, change: str) -> LearningEvent:
        stored = dataclasses.replace(event, version=event.version + 1, updated_at=utcnow())
        row_id = self._conn.execute(
            update(learning_events)
            .where(learning_events.c.public_id == event.id)
            .values(**_values(stored))
            .returning(learning_events.c.id)
        ).scalar_one()
        self._keep(row_id, stored, actor, change)
        return stored

    def for_learner(self, uln: str, *, event_type: EventType | None = None) -> list[LearningEvent]:
        query = select(learning_events).where(learning_events.c.uln == uln)
        if event_type is not None:
            query = query.where(learning_events.c.event_type == event_type.value)
        query = query.order_by(learning_events.c.id)
        return [event_from_row(row) for row in self._conn.execute(query)]

    def history(self, event_id: str) -> list[LearningEvent]:
        query = (
            select(learning_event_versions.c.snapshot)
            .join(learning_events, learning_events.c.id == learning_event_versions.c.event_id)
            .where(learning_events.c.public_id == event_id)
            .order_by(learning_event_versions.c.version)
        )
        return [_from_snapshot(row.snapshot) for row in self._conn.execute(query)]

    def record_version(self, uln: str) -> int:
        found = self._conn.execute(
            select(learner_records.c.version).where(learner_records.c.uln == uln)
        ).scalar_one_or_none()
        return int(found or 0)

    def _upsert(self, uln: str, insert_values: dict[str, Any], set_: dict[str, Any]) -> Any:
        now = utcnow()
        stmt = self._upsert_into(learner_records).values(
            uln=uln, created_at=now, updated_at=now, **insert_values
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=[learner_records.c.uln], set_=set_ | {"updated_at": now}
        )
        return self._conn.execute(stmt.returning(learner_records.c.version)).scalar_one()

    def bump_record_version(self, uln: str) -> int:
        return int(self._upsert(uln, {"version": 1}, {"version": learner_records.c.version + 1}))

    def bump_record_versions(self, bumps: Mapping[str, int]) -> None:
        """As `bump_record_version`, `bumps[uln]` times for each learner, in one executemany."""
        if not bumps:
            return
        now = utcnow()
        stmt = self._upsert_into(learner_records)
        stmt = stmt.on_conflict_do_update(
            index_elements=[learner_records.c.uln],
            set_={"version": learner_records.c.version + stmt.excluded.version, "updated_at": now},
        )
        rows = [
            {"uln": uln, "version": count, "created_at": now, "updated_at": now}
            for uln, count in sorted(bumps.items())
        ]
        self._conn.execute(stmt, rows)

    def record_of(self, uln: str, *, event_type: EventType | None = None) -> LearnerRecord:
        return LearnerRecord(
            self.shares(uln),
            self.record_version(uln),
            self.for_learner(uln, event_type=event_type),
        )

    def shares(self, uln: str) -> bool:
        """False when the learner, or a ULN merged into them, has declined to share."""
        return not self._conn.execute(select(opted_out(uln))).scalar()
