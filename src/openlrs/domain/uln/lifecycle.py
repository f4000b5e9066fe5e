"""The ULN life cycle: two ULNs of one person merged (one master, the other linked to it), a wrong
merge undone, and a ULN shared by two people split, every learning event moved, none lost.

A learning event moved off the ULN it was recorded under keeps that ULN in `recorded_uln`, so its
natural key never changes and moving it back restores it exactly.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from openlrs.domain.errors import DomainError, LearnerNotActive
from openlrs.domain.learners.learner import Learner, LearnerStatus
from openlrs.domain.plr.achievements import LearningEvent


class SameUln(DomainError):
    code = "ULN_SAME"
    title = "A ULN cannot be merged into itself"
    status = 422


class UlnHasLinkedUlns(DomainError):
    code = "ULN_HAS_LINKED_ULNS"
    title = "Other ULNs are merged into this one: it cannot itself be merged into another"
    status = 409


class LearnerNotMerged(DomainError):
    code = "LEARNER_NOT_MERGED"
    title = "The ULN is not merged into another, so there is nothing to unmerge"
    status = 409


@dataclass(frozen=True)
class UlnMerge:
    """One merge as it was done: which events it moved, and whether it has been undone."""

    uln: str
    master_uln: str
    moved_events: tuple[str, ...]
    merged_by: str
    id: int | None = None
    merged_at: dt.datetime | None = None
    unmerged_by: str | None = None
    unmerged_at: dt.datetime | None = None


def check_mergeable(retiring: Learner, master: Learner) -> None:
    """Both active, different, and the one retiring has no ULNs of its own linked to it (chains
    stay one link long, so every old ULN reaches its master in one step)."""
    if retiring.uln == master.uln:
        raise SameUln()
    if retiring.status is not LearnerStatus.ACTIVE or master.status is not LearnerStatus.ACTIVE:
        raise LearnerNotActive()
    if retiring.linked_ulns:
        raise UlnHasLinkedUlns()


def merged(retiring: Learner, master: Learner, *, at: dt.datetime) -> Learner:
    return dataclasses.replace(
        retiring,
        status=LearnerStatus.MERGED,
        master_uln=master.uln,
        version=retiring.version + 1,
        linked_ulns=(),
        updated_at=at,
    )


def unmerged(learner: Learner, *, at: dt.datetime) -> Learner:
    if learner.status is not LearnerStatus.MERGED or not learner.master_uln:
        raise LearnerNotMerged()
    return dataclasses.replace(
        learner,
        status=LearnerStatus.ACTIVE,
        master_uln=None,
        version=learner.version + 1,
        updated_at=at,
    )


def moved(event: LearningEvent, to_uln: str) -> LearningEvent:
    """The event on `to_uln`, still recorded under the ULN its sender used."""
    recorded = event.recorded_uln or event.uln
    return dataclasses.replace(
        event, uln=to_uln, recorded_uln=None if recorded == to_uln else recorded
    )


def to_move_back(
    events: list[LearningEvent], uln: str, merge: UlnMerge | None
) -> list[LearningEvent]:
    """Of the master's events, those an unmerge returns to `uln`: the ones its merge moved, and
    any sent to `uln` since (they were recorded under it)."""
    moved_ids = set(merge.moved_events) if merge else set()
    return [e for e in events if e.id in moved_ids or e.recorded_uln == uln]


def sent_to(event: LearningEvent, addressed_uln: str) -> LearningEvent:
    """An event sent to `addressed_uln` that landed on its master: recorded under the ULN sent."""
    if addressed_uln == event.uln:
        return event
    return dataclasses.replace(event, recorded_uln=addressed_uln)
