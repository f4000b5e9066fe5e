"""Learner accounts, activation codes and share codes in SQL (one class on either engine)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, insert, select, update

from openlrs.domain.learner_accounts.accounts import ActivationCode, LearnerAccount, ShareCode
from openlrs.store.learner_accounts.tables import (
    learner_accounts,
    learner_activation_codes,
    learner_share_codes,
)
from openlrs.store.tables import utcnow


def _share(row: Any) -> ShareCode:
    ids = row.event_ids
    return ShareCode(
        id=row.id,
        uln=row.uln,
        code_hash=row.code_hash,
        label=row.label,
        event_ids=tuple(ids) if ids is not None else None,
        expires_at=row.expires_at,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
    )


def _code(row: Any) -> ActivationCode:
    return ActivationCode(
        uln=row.uln,
        code_hash=row.code_hash,
        issued_by=row.issued_by,
        issued_by_ukprn=row.issued_by_ukprn,
        expires_at=row.expires_at,
        used_at=row.used_at,
        id=row.id,
    )


class SqlLearnerAccountRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, uln: str) -> LearnerAccount | None:
        row = self._conn.execute(
            select(learner_accounts).where(learner_accounts.c.uln == uln)
        ).first()
        if row is None:
            return None
        return LearnerAccount(row.uln, row.password_hash, row.active, row.activated_at)

    def save(self, account: LearnerAccount) -> None:
        """Add the account, or replace its password (a new activation)."""
        now = utcnow()
        values = {
            "password_hash": account.password_hash,
            "active": account.active,
            "activated_at": account.activated_at,
            "updated_at": now,
        }
        done = self._conn.execute(
            update(learner_accounts).where(learner_accounts.c.uln == account.uln).values(**values)
        )
        if done.rowcount == 0:
            self._conn.execute(
                insert(learner_accounts).values(uln=account.uln, created_at=now, **values)
            )

    def add_code(self, code: ActivationCode) -> None:
        now = utcnow()
        self._conn.execute(
            insert(learner_activation_codes).values(
                uln=code.uln,
                code_hash=code.code_hash,
                issued_by=code.issued_by,
                issued_by_ukprn=code.issued_by_ukprn,
                expires_at=code.expires_at,
                created_at=now,
                updated_at=now,
            )
        )

    def usable_codes(self, uln: str, now: dt.datetime) -> list[ActivationCode]:
        table = learner_activation_codes
        rows = self._conn.execute(
            select(table)
            .where(table.c.uln == uln, table.c.used_at.is_(None), table.c.expires_at > now)
            .order_by(table.c.id.desc())
            .limit(5)
        )
        return [_code(row) for row in rows]

    def use_code(self, code_id: int, when: dt.datetime) -> bool:
        """Mark the code used; False when it already was (another activation won)."""
        table = learner_activation_codes
        done = self._conn.execute(
            update(table)
            .where(table.c.id == code_id, table.c.used_at.is_(None))
            .values(used_at=when, updated_at=when)
        )
        return done.rowcount == 1

    def add_share(self, share: ShareCode) -> None:
        self._conn.execute(
            insert(learner_share_codes).values(
                id=share.id,
                uln=share.uln,
                code_hash=share.code_hash,
                label=share.label,
                event_ids=list(share.event_ids) if share.event_ids is not None else None,
                expires_at=share.expires_at,
                created_at=share.created_at,
                updated_at=share.created_at,
            )
        )

    def share_by_hash(self, code_hash: str) -> ShareCode | None:
        table = learner_share_codes
        row = self._conn.execute(select(table).where(table.c.code_hash == code_hash)).first()
        return _share(row) if row is not None else None

    def shares_of(self, uln: str) -> list[ShareCode]:
        table = learner_share_codes
        rows = self._conn.execute(
            select(table).where(table.c.uln == uln).order_by(table.c.created_at.desc())
        )
        return [_share(row) for row in rows]

    def revoke_share(self, share_id: str, uln: str, when: dt.datetime) -> bool:
        table = learner_share_codes
        done = self._conn.execute(
            update(table)
            .where(table.c.id == share_id, table.c.uln == uln, table.c.revoked_at.is_(None))
            .values(revoked_at=when, updated_at=when)
        )
        return done.rowcount == 1
