"""What the retention job needs from storage."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from openlrs.domain.retention.policy import DataKind


class RetentionStore(Protocol):
    def remove_expired(self, kind: DataKind, cutoff: dt.datetime) -> int | None:
        """Remove the data of `kind` finished with before `cutoff`; how many rows went, or None
        when this deployment holds no data of that kind."""
        ...
