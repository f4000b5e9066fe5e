"""The qualification and unit register in SQL."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import Connection, func, insert, or_, select, update

from openlrs.domain.plr.qualifications import Availability, Qualification, Unit
from openlrs.store.plr.tables import qualifications, units
from openlrs.store.tables import utcnow


def _qualification(row: Any) -> Qualification:
    return Qualification(
        number=row.number,
        title=row.title,
        qualification_type=row.qualification_type,
        level=row.level,
        owners=frozenset(row.owners.split()),
        shared=row.shared,
        credit=row.credit,
        glh=row.glh,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
    )


def _qualification_values(q: Qualification) -> dict[str, Any]:
    return {
        "title": q.title,
        "qualification_type": q.qualification_type,
        "level": q.level,
        "owners": " ".join(sorted(q.owners)),
        "shared": q.shared,
        "credit": q.credit,
        "glh": q.glh,
        "valid_from": q.valid_from,
        "valid_to": q.valid_to,
        "updated_at": utcnow(),
    }


def _unit(row: Any) -> Unit:
    return Unit(
        reference=row.reference,
        title=row.title,
        level=row.level,
        credit=row.credit,
        owner=row.owner,
        availability=Availability(row.availability),
        awarders=frozenset(row.awarders.split()),
    )


def _unit_values(u: Unit) -> dict[str, Any]:
    return {
        "title": u.title,
        "level": u.level,
        "credit": u.credit,
        "owner": u.owner,
        "availability": u.availability.value,
        "awarders": " ".join(sorted(u.awarders)),
        "updated_at": utcnow(),
    }


class SqlQualificationRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, number: str) -> Qualification | None:
        row = self._conn.execute(
            select(qualifications).where(qualifications.c.number == number)
        ).first()
        return None if row is None else _qualification(row)

    def get_many(self, numbers: Collection[str]) -> dict[str, Qualification]:
        """The qualifications with these numbers that exist, by number, in one round trip."""
        if not numbers:
            return {}
        query = select(qualifications).where(qualifications.c.number.in_(sorted(numbers)))
        return {row.number: _qualification(row) for row in self._conn.execute(query)}

    def add(self, qualification: Qualification) -> None:
        values = _qualification_values(qualification)
        values |= {"number": qualification.number, "created_at": values["updated_at"]}
        self._conn.execute(insert(qualifications).values(**values))

    def replace(self, qualification: Qualification) -> None:
        self._conn.execute(
            update(qualifications)
            .where(qualifications.c.number == qualification.number)
            .values(**_qualification_values(qualification))
        )

    def list_qualifications(self, *, after: str | None, limit: int) -> list[Qualification]:
        query = select(qualifications).order_by(qualifications.c.number).limit(limit)
        if after is not None:
            query = query.where(qualifications.c.number > after)
        return [_qualification(row) for row in self._conn.execute(query)]

    def get_unit(self, reference: str) -> Unit | None:
        row = self._conn.execute(select(units).where(units.c.reference == reference)).first()
        return None if row is None else _unit(row)

    def get_units(self, references: Collection[str]) -> dict[str, Unit]:
        """The units with these references that exist, by reference, in one round trip."""
        if not references:
            return {}
        query = select(units).where(units.c.reference.in_(sorted(references)))
        return {row.reference: _unit(row) for row in self._conn.execute(query)}

    def add_unit(self, unit: Unit) -> None:
        values = _unit_values(unit) | {"reference": unit.reference}
        self._conn.execute(insert(units).values(created_at=values["updated_at"], **values))

    def replace_unit(self, unit: Unit) -> None:
        self._conn.execute(
            update(units).where(units.c.reference == unit.reference).values(**_unit_values(unit))
        )

    def list_units(self, *, after: str | None, limit: int) -> list[Unit]:
        query = select(units).order_by(units.c.reference).limit(limit)
        if after is not None:
            query = query.where(units.c.reference > after)
        return [_unit(row) for row in self._conn.execute(query)]

    def awardable_by(self, ukprn: str, *, text: str, limit: int) -> list[Qualification | Unit]:
        """The qualifications and units `ukprn` owns or may award, whose number, reference or
        title contains `text` (any case), numbers first, then references."""
        like = f"%{text.lower()}%"
        mine = f"% {ukprn} %"
        owned = or_(
            (" " + qualifications.c.owners + " ").like(mine), qualifications.c.shared.is_(True)
        )
        found: list[Qualification | Unit] = [
            _qualification(row)
            for row in self._conn.execute(
                select(qualifications)
                .where(owned)
                .where(
                    or_(
                        func.lower(qualifications.c.title).like(like),
                        func.lower(qualifications.c.number).like(like),
                    )
                )
                .order_by(qualifications.c.number)
                .limit(limit)
            )
        ]
        awarding = or_(
            units.c.owner == ukprn,
            units.c.availability == Availability.SHARED.value,
            (" " + units.c.awarders + " ").like(mine),
        )
        found += [
            _unit(row)
            for row in self._conn.execute(
                select(units)
                .where(awarding)
                .where(
                    or_(
                        func.lower(units.c.title).like(like),
                        func.lower(units.c.reference).like(like),
                    )
                )
                .order_by(units.c.reference)
                .limit(limit)
            )
        ]
        return found[:limit]
