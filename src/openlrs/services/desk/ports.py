"""What the service desk's use cases need from storage."""

from __future__ import annotations

from typing import Protocol

from openlrs.domain.desk.deadlines import QueueItem
from openlrs.domain.desk.incidents import Incident


class IncidentRepository(Protocol):
    def add(self, incident: Incident) -> None: ...

    def get(self, incident_id: str) -> Incident | None: ...

    def save(self, incident: Incident) -> None: ...

    def list(self, *, open_only: bool, limit: int) -> list[Incident]: ...


class QueueReader(Protocol):
    def open_items(self, *, limit: int) -> list[QueueItem]:
        """Up to `limit` of the oldest open items of each queue with a deadline."""
        ...
