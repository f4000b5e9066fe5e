"""What the notices' use cases need from storage."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from openlrs.domain.notices.maintenance import MaintenanceWindow


class MaintenanceRepository(Protocol):
    def add(self, window: MaintenanceWindow) -> None: ...

    def get(self, window_id: str) -> MaintenanceWindow | None: ...

    def cancel(self, window_id: str, when: dt.datetime) -> None: ...

    def end(self, window_id: str, when: dt.datetime) -> None: ...

    def not_ended(self, now: dt.datetime) -> list[MaintenanceWindow]: ...
