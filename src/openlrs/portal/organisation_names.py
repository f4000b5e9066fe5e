"""Organisations by name on every page: `{{ organisation_name(ukprn) }}` in any template.

Names are kept for a few minutes per process, so a page listing many rows of a few organisations
reads each name once."""

from __future__ import annotations

import threading
import time

from openlrs.services.accounts.manage import organisation_name
from openlrs.services.ports import UnitOfWorkFactory

KEEP_SECONDS = 300.0


class OrganisationNames:
    def __init__(self, uow_factory: UnitOfWorkFactory) -> None:
        self._uow_factory = uow_factory
        self._names: dict[str, tuple[float, str | None]] = {}
        self._lock = threading.Lock()

    def __call__(self, ukprn: str | None, unknown: str = "An organisation") -> str:
        if not ukprn:
            return unknown
        now = time.monotonic()
        with self._lock:
            kept = self._names.get(ukprn)
        if kept is None or now - kept[0] > KEEP_SECONDS:
            kept = (now, organisation_name(ukprn, uow=self._uow_factory()))
            with self._lock:
                self._names[ukprn] = kept
        return kept[1] or unknown
