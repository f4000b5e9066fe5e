"""What the Diploma use cases need from storage (issue 8): accounts with their results. An award
reaches the learner's PLR through the learning events port (`ports_plr`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from typing import Protocol

from openlrs.domain.diploma.account import DiplomaAccount
from openlrs.domain.diploma.evaluation import DiplomaEvaluation
from openlrs.domain.diploma.results import ComponentResult


class DiplomaAccountRepository(Protocol):
    def add(self, account: DiplomaAccount) -> DiplomaAccount:
        """Store a new account; returns it with its id: a random reference, never a count."""
        ...

    def get(self, account_id: str, *, for_update: bool = False) -> DiplomaAccount | None:
        """The account with its live results; `for_update` serialises writers until the unit ends."""
        ...

    def get_many(
        self, account_ids: Collection[str], *, for_update: bool = False
    ) -> Mapping[str, DiplomaAccount]:
        """Those of the accounts that exist, with their live results, in few round trips;
        `for_update` locks them in id order (so concurrent batches cannot deadlock)."""
        ...

    def find(
        self, uln: str, line: str | None = None, level: str | None = None
    ) -> list[DiplomaAccount]: ...

    def for_organisation(
        self, ukprn: str, *, as_centre: bool, as_awarding_body: bool, limit: int
    ) -> list[DiplomaAccount]:
        """The newest accounts the organisation is party to, newest first: as a centre, those it
        opened; as an awarding body, those it awards or holds a live result on."""
        ...

    def save(self, account: DiplomaAccount, evaluation: DiplomaEvaluation) -> None:
        """Store the account's own fields and the summary of its latest evaluation."""
        ...

    def save_many(self, saved: Sequence[tuple[DiplomaAccount, DiplomaEvaluation]]) -> None:
        """`save` for many accounts in one statement."""
        ...

    def put_result(self, account_id: str, result: ComponentResult) -> None:
        """Add a result, or replace (and reinstate) the one with the same reference."""
        ...

    def put_results(self, results: Sequence[tuple[str, ComponentResult]]) -> None:
        """`put_result` for many (account id, result) pairs, each pair distinct, in one statement."""
        ...

    def withdraw_result(self, account_id: str, reference: str, when: dt.datetime) -> bool:
        """Mark a live result withdrawn (kept as history); False if there was none."""
        ...
