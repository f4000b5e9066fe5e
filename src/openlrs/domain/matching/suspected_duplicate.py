"""Suspected duplicates: two ULNs the register audit thinks may be one learner, for a person to
confirm or dismiss. The audit only suggests; merging is a separate, human decision."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class DuplicateStatus(StrEnum):
    OPEN = "open"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


@dataclass(frozen=True)
class SuspectedDuplicate:
    """A pair of ULNs (`uln_a` < `uln_b`), how strongly they look alike, and each field's level."""

    uln_a: str
    uln_b: str
    match_weight: float
    probability: float
    detail: Mapping[str, str] = field(default_factory=dict)
    found_by: str = ""
    status: DuplicateStatus = DuplicateStatus.OPEN
    id: int | None = None
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None

    def __post_init__(self) -> None:
        if self.uln_a == self.uln_b:
            raise ValueError("a suspected duplicate needs two different ULNs")
        if self.uln_a > self.uln_b:  # one order, so a pair is stored once whichever way found
            first, second = self.uln_b, self.uln_a
            object.__setattr__(self, "uln_a", first)
            object.__setattr__(self, "uln_b", second)
