"""Portal sessions and sign-in state in SQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, select, update

from openlrs.domain.accounts.portal_session import (
    PasswordReset,
    PortalSession,
    SessionStage,
    SignInFailures,
    SignInState,
)
from openlrs.store.accounts.tables import (
    portal_password_resets,
    portal_sessions,
    portal_sign_in,
    portal_sign_in_failures,
)
from openlrs.store.tables import utcnow


def _session(row: Row[Any]) -> PortalSession:
    return PortalSession(
        token_hash=row.token_hash,
        username=row.username,
        stage=SessionStage(row.stage),
        created_at=row.created_at,
        last_seen_at=row.last_seen_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        id=row.id,
    )


class SqlPortalSessionRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, token_hash: str) -> PortalSession | None:
        row = self._conn.execute(
            select(portal_sessions).where(portal_sessions.c.token_hash == token_hash)
        ).one_or_none()
        return None if row is None else _session(row)

    def add(self, session: PortalSession) -> None:
        self._conn.execute(
            insert(portal_sessions).values(
                token_hash=session.token_hash,
                username=session.username,
                stage=session.stage.value,
                last_seen_at=session.last_seen_at,
                expires_at=session.expires_at,
                revoked_at=session.revoked_at,
                created_at=session.created_at,
                updated_at=utcnow(),
            )
        )

    def save(self, session: PortalSession) -> None:
        self._conn.execute(
            update(portal_sessions)
            .where(portal_sessions.c.token_hash == session.token_hash)
            .values(
                stage=session.stage.value,
                last_seen_at=session.last_seen_at,
                expires_at=session.expires_at,
                revoked_at=session.revoked_at,
                updated_at=utcnow(),
            )
        )

    def revoke_all(self, username: str, when: dt.datetime) -> None:
        self._conn.execute(
            update(portal_sessions)
            .where(portal_sessions.c.username == username, portal_sessions.c.revoked_at.is_(None))
            .values(revoked_at=when, updated_at=utcnow())
        )

    def sign_in_state(self, username: str) -> SignInState:
        row = self._conn.execute(
            select(portal_sign_in).where(portal_sign_in.c.username == username)
        ).one_or_none()
        if row is None:
            return SignInState(username)
        return SignInState(
            username=row.username,
            totp_secret=row.totp_secret,
            totp_enabled=bool(row.totp_enabled),
            last_totp_step=row.last_totp_step,
            must_change_password=bool(row.must_change_password),
        )

    def save_sign_in_state(self, state: SignInState) -> None:
        values = {
            "totp_secret": state.totp_secret,
            "totp_enabled": state.totp_enabled,
            "last_totp_step": state.last_totp_step,
            "must_change_password": state.must_change_password,
            "updated_at": utcnow(),
        }
        changed = self._conn.execute(
            update(portal_sign_in)
            .where(portal_sign_in.c.username == state.username)
            .values(**values)
        ).rowcount
        if not changed:
            self._conn.execute(
                insert(portal_sign_in).values(
                    username=state.username, created_at=utcnow(), **values
                )
            )

    def failures(self, username: str, source: str) -> SignInFailures:
        table = portal_sign_in_failures
        row = self._conn.execute(
            select(table.c.failures, table.c.locked_until).where(
                table.c.username == username, table.c.source == source
            )
        ).one_or_none()
        if row is None:
            return SignInFailures(username, source)
        return SignInFailures(username, source, row.failures, row.locked_until)

    def save_failures(self, failures: SignInFailures) -> None:
        table = portal_sign_in_failures
        values = {
            "failures": failures.failures,
            "locked_until": failures.locked_until,
            "updated_at": utcnow(),
        }
        changed = self._conn.execute(
            update(table)
            .where(table.c.username == failures.username, table.c.source == failures.source)
            .values(**values)
        ).rowcount
        if not changed:
            self._conn.execute(
                insert(table).values(
                    username=failures.username,
                    source=failures.source,
                    created_at=utcnow(),
                    **values,
                )
            )

    def clear_failures(self, username: str, source: str) -> None:
        table = portal_sign_in_failures
        self._conn.execute(
            delete(table).where(table.c.username == username, table.c.source == source)
        )

    def add_reset(self, reset: PasswordReset) -> None:
        """Store a new reset link; any earlier unused link of the same user stops working."""
        now = utcnow()
        table = portal_password_resets
        self._conn.execute(
            update(table)
            .where(table.c.username == reset.username, table.c.used_at.is_(None))
            .values(used_at=now, updated_at=now)
        )
        self._conn.execute(
            insert(table).values(
                token_hash=reset.token_hash,
                username=reset.username,
                issued_by=reset.issued_by,
                expires_at=reset.expires_at,
                used_at=None,
                created_at=now,
                updated_at=now,
            )
        )

    def reset(self, token_hash: str) -> PasswordReset | None:
        table = portal_password_resets
        row = self._conn.execute(
            select(table).where(table.c.token_hash == token_hash)
        ).one_or_none()
        if row is None:
            return None
        return PasswordReset(
            row.token_hash, row.username, row.issued_by, row.expires_at, row.used_at
        )

    def use_reset(self, token_hash: str, when: dt.datetime) -> bool:
        """Mark a link used; False when it already was (two tabs at once: only one wins)."""
        table = portal_password_resets
        changed = self._conn.execute(
            update(table)
            .where(table.c.token_hash == token_hash, table.c.used_at.is_(None))
            .values(used_at=when, updated_at=when)
        ).rowcount
        return bool(changed)
