"""Hooks through which use cases report what happened, without knowing who is listening.

Services call `match_outcome` and `rows_processed`; the composition root subscribes an observer
(Prometheus counters in `openlrs.observability.metrics`). No observer: the calls do nothing.
Observers must be cheap and must never raise into a use case, and receive no personal data.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

log = logging.getLogger("openlrs.services")

MatchObserver = Callable[[str, str], None]
"""Called with (operation, outcome), e.g. ("search", "possible")."""
RowsObserver = Callable[[str, int], None]
"""Called with (outcome, rows), e.g. ("succeeded", 1) when a batch row is done."""

_match_observers: list[MatchObserver] = []
_rows_observers: list[RowsObserver] = []


def observe_match_outcomes(observer: MatchObserver) -> None:
    if observer not in _match_observers:
        _match_observers.append(observer)


def observe_rows_processed(observer: RowsObserver) -> None:
    if observer not in _rows_observers:
        _rows_observers.append(observer)


def match_outcome(operation: str, outcome: str) -> None:
    """A search or registration finished its matching with `outcome` (a MatchOutcome value)."""
    for observer in _match_observers:
        try:
            observer(operation, outcome)
        except Exception:  # an observer must never fail a use case
            log.exception("match outcome observer failed")


def rows_processed(outcome: str, rows: int = 1) -> None:
    """A batch worker finished `rows` rows with `outcome` (succeeded or failed)."""
    for observer in _rows_observers:
        try:
            observer(outcome, rows)
        except Exception:
            log.exception("rows processed observer failed")
