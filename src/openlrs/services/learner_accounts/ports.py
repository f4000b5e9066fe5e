"""What learners' own accounts need from storage (`store.learner_accounts`)."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from openlrs.domain.learner_accounts.accounts import ActivationCode, LearnerAccount, ShareCode


class LearnerAccountRepository(Protocol):
    def get(self, uln: str) -> LearnerAccount | None: ...

    def save(self, account: LearnerAccount) -> None:
        """Add the account, or replace its password (a new activation)."""
        ...

    def add_code(self, code: ActivationCode) -> None: ...

    def usable_codes(self, uln: str, now: dt.datetime) -> list[ActivationCode]:
        """The learner's unused, unexpired activation codes, newest first (a few at most)."""
        ...

    def use_code(self, code_id: int, when: dt.datetime) -> bool:
        """Mark the code used; False when it already was."""
        ...

    def add_share(self, share: ShareCode) -> None: ...

    def share_by_hash(self, code_hash: str) -> ShareCode | None: ...

    def shares_of(self, uln: str) -> list[ShareCode]: ...

    def revoke_share(self, share_id: str, uln: str, when: dt.datetime) -> bool: ...
