"""In-memory portal sessions and sign-in state, over the fakes' `Tables`."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

from openlrs.domain.accounts.portal_session import (
    PasswordReset,
    PortalSession,
    SignInFailures,
    SignInState,
)

if TYPE_CHECKING:
    from tests.unit.fakes import Tables


class FakePortalSessionRepository:
    def __init__(self, tables: Tables) -> None:
        self._tables = tables

    def get(self, token_hash: str) -> PortalSession | None:
        return self._tables.portal_sessions.get(token_hash)

    def add(self, session: PortalSession) -> None:
        self._tables.portal_sessions[session.token_hash] = dataclasses.replace(
            session, id=len(self._tables.portal_sessions) + 1
        )

    def save(self, session: PortalSession) -> None:
        if session.token_hash in self._tables.portal_sessions:
            self._tables.portal_sessions[session.token_hash] = session

    def revoke_all(self, username: str, when: dt.datetime) -> None:
        for token_hash, session in list(self._tables.portal_sessions.items()):
            if session.username == username and session.revoked_at is None:
                self._tables.portal_sessions[token_hash] = dataclasses.replace(
                    session, revoked_at=when
                )

    def sign_in_state(self, username: str) -> SignInState:
        return self._tables.sign_in.get(username, SignInState(username))

    def save_sign_in_state(self, state: SignInState) -> None:
        self._tables.sign_in[state.username] = state

    def failures(self, username: str, source: str) -> SignInFailures:
        return self._tables.sign_in_failures.get(
            (username, source), SignInFailures(username, source)
        )

    def save_failures(self, failures: SignInFailures) -> None:
        self._tables.sign_in_failures[failures.username, failures.source] = failures

    def clear_failures(self, username: str, source: str) -> None:
        self._tables.sign_in_failures.pop((username, source), None)

    def add_reset(self, reset: PasswordReset) -> None:
        for token_hash, earlier in list(self._tables.password_resets.items()):
            if earlier.username == reset.username and earlier.used_at is None:
                self._tables.password_resets[token_hash] = dataclasses.replace(
                    earlier, used_at=reset.expires_at
                )
        self._tables.password_resets[reset.token_hash] = reset

    def reset(self, token_hash: str) -> PasswordReset | None:
        return self._tables.password_resets.get(token_hash)

    def use_reset(self, token_hash: str, when: dt.datetime) -> bool:
        found = self._tables.password_resets.get(token_hash)
        if found is None or found.used_at is not None:
            return False
        self._tables.password_resets[token_hash] = dataclasses.replace(found, used_at=when)
        return True
