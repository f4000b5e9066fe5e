"""In-memory Diploma accounts, over the fakes' `Tables`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from openlrs.domain.diploma.account import DiplomaAccount
from openlrs.domain.diploma.evaluation import DiplomaEvaluation
from openlrs.domain.diploma.results import ComponentResult

if TYPE_CHECKING:
    from tests.unit.fakes import Tables


@dataclass
class DiplomaState:
    accounts: dict[str, DiplomaAccount] = field(default_factory=dict)
    """Each account's own fields, by reference, in the order opened; results live in `results`."""
    results: dict[tuple[str, str], tuple[ComponentResult, dt.datetime | None]] = field(
        default_factory=dict
    )
    """(account id, reference) -> (result, withdrawn at)."""
    summaries: dict[str, DiplomaEvaluation] = field(default_factory=dict)


class FakeDiplomaAccountRepository:
    def __init__(self, tables: Tables) -> None:
        self._tables = tables

    @property
    def _state(self) -> DiplomaState:
        return self._tables.diploma

    def add(self, account: DiplomaAccount) -> DiplomaAccount:
        if self.find(account.uln, account.line, account.level.value):
            raise ValueError("duplicate account")  # the SQL store's unique constraint
        now = dt.datetime.now(dt.UTC)
        new_id = secrets.token_urlsafe(16)  # as the store: a reference, not a count
        self._state.accounts[new_id] = dataclasses.replace(
            account, id=new_id, results={}, created_at=now, updated_at=now
        )
        stored = self.get(new_id)
        assert stored is not None
        return stored

    def get(self, account_id: str, *, for_update: bool = False) -> DiplomaAccount | None:
        account = self._state.accounts.get(account_id)
        if account is None:
            return None
        live = {
            ref: result
            for (owner, ref), (result, withdrawn) in sorted(self._state.results.items())
            if owner == account_id and withdrawn is None
        }
        return dataclasses.replace(account, results=live)

    def get_many(
        self, account_ids: Collection[str], *, for_update: bool = False
    ) -> dict[str, DiplomaAccount]:
        found = {i: self.get(i) for i in set(account_ids)}
        return {i: account for i, account in found.items() if account is not None}

    def find(
        self, uln: str, line: str | None = None, level: str | None = None
    ) -> list[DiplomaAccount]:
        found = []
        for account_id, account in list(self._state.accounts.items()):
            if (
                account.uln == uln
                and line in (None, account.line)
                and level in (None, account.level.value)
            ):
                stored = self.get(account_id)
                assert stored is not None
                found.append(stored)
        return found

    def for_organisation(
        self, ukprn: str, *, as_centre: bool, as_awarding_body: bool, limit: int
    ) -> list[DiplomaAccount]:
        found = []
        for account_id in reversed(list(self._state.accounts)):
            account = self.get(account_id)
            assert account is not None
            holds = any(r.awarding_body == ukprn for r in account.results.values())
            if (as_centre and account.centre_ukprn == ukprn) or (
                as_awarding_body and (account.awarding_body_ukprn == ukprn or holds)
            ):
                found.append(account)
        return found[:limit]

    def save(self, account: DiplomaAccount, evaluation: DiplomaEvaluation) -> None:
        assert account.id is not None
        self._state.accounts[account.id] = dataclasses.replace(
            account, results={}, updated_at=dt.datetime.now(dt.UTC)
        )
        self._state.summaries[account.id] = evaluation

    def save_many(self, saved: Sequence[tuple[DiplomaAccount, DiplomaEvaluation]]) -> None:
        for account, evaluation in saved:
            self.save(account, evaluation)

    def put_results(self, results: Sequence[tuple[str, ComponentResult]]) -> None:
        for account_id, result in results:
            self.put_result(account_id, result)

    def put_result(self, account_id: str, result: ComponentResult) -> None:
        self._state.results[(account_id, result.reference)] = (result, None)

    def withdraw_result(self, account_id: str, reference: str, when: dt.datetime) -> bool:
        held = self._state.results.get((account_id, reference))
        if held is None or held[1] is not None:
            return False
        self._state.results[(account_id, reference)] = (held[0], when)
        return True
