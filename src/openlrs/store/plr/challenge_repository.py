"""Learning-event data challenges in SQL; decided challenges stay, as the history."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select, update

from openlrs.domain.plr.event_challenges import (
    Challenge,
    ChallengeKind,
    ChallengeStatus,
    Resolution,
)
from openlrs.store.plr.tables import learning_event_challenges as challenges
from openlrs.store.tables import utcnow

_FIELDS = (
    "event_id",
    "uln",
    "raised_by",
    "raised_by_ukprn",
    "owner_ukprn",
    "reason",
    "status",
    "resolution",
    "response",
    "decided_by",
    "decided_at",
    "kind",
    "related_uln",
)


def _challenge(row: Any) -> Challenge:
    return Challenge(
        id=row.public_id,
        event_id=row.event_id,
        uln=row.uln,
        raised_by=row.raised_by,
        raised_by_ukprn=row.raised_by_ukprn,
        owner_ukprn=row.owner_ukprn,
        reason=row.reason,
        status=ChallengeStatus(row.status),
        resolution=Resolution(row.resolution) if row.resolution else None,
        response=row.response,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        created_at=row.created_at,
        kind=ChallengeKind(row.kind),
        related_uln=row.related_uln,
    )


def _values(challenge: Challenge) -> dict[str, Any]:
    return {name: getattr(challenge, name) for name in _FIELDS}


class SqlChallengeRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, challenge: Challenge) -> Challenge:
        now = utcnow()
        row = self._conn.execute(
            insert(challenges)
            .values(public_id=challenge.id, created_at=now, updated_at=now, **_values(challenge))
            .returning(*challenges.c)
        ).one()
        return _challenge(row)

    def _first(self, *where: Any) -> Challenge | None:
        row = self._conn.execute(select(challenges).where(*where).order_by(challenges.c.id)).first()
        return None if row is None else _challenge(row)

    def get(self, challenge_id: str) -> Challenge | None:
        return self._first(challenges.c.public_id == challenge_id)

    def open_for_event(self, event_id: str) -> Challenge | None:
        return self._first(
            challenges.c.event_id == event_id, challenges.c.status == ChallengeStatus.OPEN.value
        )

    def save(self, challenge: Challenge) -> None:
        self._conn.execute(
            update(challenges)
            .where(challenges.c.public_id == challenge.id)
            .values(updated_at=utcnow(), **_values(challenge))
        )

    def for_event(self, event_id: str) -> list[Challenge]:
        query = select(challenges).where(challenges.c.event_id == event_id)
        return [_challenge(row) for row in self._conn.execute(query.order_by(challenges.c.id))]

    def list(
        self,
        *,
        owner_ukprn: str | None,
        raised_by_ukprn: str | None,
        status: ChallengeStatus | None,
        limit: int,
        uln: str | None = None,
    ) -> list[Challenge]:
        query = select(challenges).order_by(challenges.c.id.desc()).limit(limit)
        if uln is not None:
            query = query.where(challenges.c.uln == uln)
        if owner_ukprn is not None:
            query = query.where(challenges.c.owner_ukprn == owner_ukprn)
        if raised_by_ukprn is not None:
            query = query.where(challenges.c.raised_by_ukprn == raised_by_ukprn)
        if status is not None:
            query = query.where(challenges.c.status == status.value)
        return [_challenge(row) for row in self._conn.execute(query)]
