"""What accounts and sign-in need from storage (`store.accounts`)."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from openlrs.domain.accounts.organisations import Account, Organisation, OrgStatus, OrgType, Role
from openlrs.domain.accounts.portal_session import (
    PasswordReset,
    PortalSession,
    SignInFailures,
    SignInState,
)


class OrganisationRepository(Protocol):
    def get(self, ukprn: str) -> Organisation | None: ...

    def add(self, organisation: Organisation) -> Organisation: ...

    def set_status(self, ukprn: str, status: OrgStatus) -> None: ...

    def set_dfe_number(self, ukprn: str, dfe_number: str | None) -> None:
        """Record a school's DfE number (LEA + establishment), or clear it."""
        ...

    def count_active(self, org_type: OrgType) -> int:
        """How many organisations of this type are active."""
        ...

    def list(self, *, after: str | None, limit: int) -> list[Organisation]: ...


class AccountRepository(Protocol):
    def get(self, kind: str, login: str) -> Account | None: ...

    def add(self, account: Account) -> None: ...

    def revoke(self, kind: str, login: str, when: dt.datetime) -> None: ...

    def update(
        self,
        kind: str,
        login: str,
        *,
        roles: frozenset[Role] | None = None,
        secret_hash: str | None = None,
        reinstate: bool = False,
    ) -> None:
        """Change an account's roles or secret, or reinstate it after a revocation."""
        ...

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

    def failures(self, username: str, source: str) -> SignInFailures:
        """Failed sign-ins of `username` from `source` (none recorded: zero)."""
        ...

    def save_failures(self, failures: SignInFailures) -> None: ...

    def clear_failures(self, username: str, source: str) -> None: ...

    def add_reset(self, reset: PasswordReset) -> None:
        """Store a new reset link; any earlier unused link of the same user stops working."""
        ...

    def reset(self, token_hash: str) -> PasswordReset | None: ...

    def use_reset(self, token_hash: str, when: dt.datetime) -> bool:
        """Mark a link used; False when it already was."""
        ...
