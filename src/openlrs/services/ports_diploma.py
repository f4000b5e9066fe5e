"""What the Diploma use cases need from storage (issue 8): accounts with their results, and the
seam through which an award reaches the learner's PLR."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from openlrs.domain.aggregation.account import DiplomaAccount, DiplomaAward
from openlrs.domain.aggregation.evaluation import DiplomaEvaluation
from openlrs.domain.aggregation.results import ComponentResult


class DiplomaAccountRepository(Protocol):
    def add(self, account: DiplomaAccount) -> DiplomaAccount:
        """Store a new account; returns it with its id."""
        ...

    def get(self, account_id: int, *, for_update: bool = False) -> DiplomaAccount | None:
        """The account with its live results; `for_update` serialises writers until the unit ends."""
        ...

    def find(
        self, uln: str, line: str | None = None, level: str | None = None
    ) -> list[DiplomaAccount]: ...

    def save(self, account: DiplomaAccount, evaluation: DiplomaEvaluation) -> None:
        """Store the account's own fields and the summary of its latest evaluation."""
        ...

    def put_result(self, account_id: int, result: ComponentResult) -> None:
        """Add a result, or replace (and reinstate) the one with the same reference."""
        ...

    def withdraw_result(self, account_id: int, reference: str, when: dt.datetime) -> bool:
        """Mark a live result withdrawn (kept as history); False if there was none."""
        ...


class PlrAwardRecorder(Protocol):
    """Where an awarded Diploma is recorded for the learner's PLR. Issue 9 owns learning events;
    until it lands the store queues awards in `diploma_plr_awards` for it to take up."""

    def record(self, award: DiplomaAward) -> None: ...
