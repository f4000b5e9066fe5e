"""What accounts and sign-in need from storage (`store.accounts`)."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from openlrs.domain.accounts.organisations import Account, Organisation, OrgStatus
from openlrs.domain.accounts.portal_session import PortalSession, SignInState


class OrganisationRepository(Protocol):
    def get(self, ukprn: str) -> Organisation | None: ...

    def add(self, organisation: Organisation) -> Organisation: ...

    def set_status(self, ukprn: str, status: OrgStatus) -> None: ...

    def list(self, *, after: str | None, limit: int) -> list[Organisation]: ...


class AccountRepository(Protocol):
    def get(self, kind: str, login: str) -> Account | None: ...

    def add(self, account: Account) -> None: ...

    def revoke(self, kind: str, login: str, when: dt.datetime) -> None: ...

    def list(self, kind: str, ukprn: str) -> list[Account]: ...


class PortalSessionRepository(Protocol):
    """Portal sessions (looked up by token hash) and each user's sign-in state."""

    def get(self, token_hash: str) -> PortalSession | None: ...

    def add(self, session: PortalSession) -> None: ...

    def save(self, session: PortalSession) -> None:
        """Store the session's stage, last-seen, expiry and revocation (by token hash)."""
        ...

    def revoke_all(self, username: str, when: dt.datetime) -> None: ...

    def sign_in_state(self, username: str) -> SignInState: ...

    def save_sign_in_state(self, state: SignInState) -> None: ...
