"""The change feed: what happened to which learner, in the order it was committed, for MIS systems
to keep their copies in step. A change names ULNs and event ids only, never personal details."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class ChangeKind(StrEnum):
    REGISTERED = "registered"
    UPDATED = "updated"
    MERGED = "merged"
    """`uln` now points at its master, `related_uln`; its learning events moved there."""
    LINKED = "linked"
    """`related_uln` was merged into `uln`, which gained its learning events."""
    UNMERGED = "unmerged"
    UNLINKED = "unlinked"
    SPLIT = "split"
    """Learning events of a second person moved from `uln` to a new ULN, `related_uln`."""
    EVENT_ADDED = "event_added"
    EVENT_CHANGED = "event_changed"


@dataclass(frozen=True)
class LearnerChange:
    uln: str
    kind: ChangeKind
    related_uln: str | None = None
    event_id: str | None = None
    ukprn: str | None = None
    """The organisation that made the change."""
    position: int | None = None
    """Where it stands in the feed; assigned when committed."""
    occurred_at: dt.datetime | None = None


@dataclass(frozen=True)
class ChangePage:
    changes: tuple[LearnerChange, ...]
    next_since: int
    """Pass this back as `since` for the changes after these."""
