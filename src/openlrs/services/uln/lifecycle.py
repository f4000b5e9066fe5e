"""Merge two ULNs of one person, undo a wrong merge, split a ULN two people share (service desk).

Each runs in one transaction, under row locks on the learners concerned (retiring ULN first, then
its master, as every writer takes them: `plr_learner.lock_current`), moves learning events
without adding or losing one, keeps every version, and is audited and fed to the change feed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from openlrs.domain.accounts.organisations import ADMIN_ROLES, Principal
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.errors import LearnerNotActive, LearnerNotFound, VersionConflict
from openlrs.domain.identifiers import parse_uln
from openlrs.domain.learner_changes import ChangeKind
from openlrs.domain.learners.learner import Learner, LearnerDetails, LearnerStatus
from openlrs.domain.plr.achievements import LearningEvent
from openlrs.domain.plr.errors import LearningEventNotFound
from openlrs.domain.uln.lifecycle import (
    SameUln,
    UlnMerge,
    check_mergeable,
    merged,
    moved,
    to_move_back,
    unmerged,
)
from openlrs.services.change_feed import note_change
from openlrs.services.learners.register import add_new_learner
from openlrs.services.policy import DEFAULT_POLICY, RegisterPolicy
from openlrs.services.ports import UnitOfWork

LIFECYCLE_ROLES = ADMIN_ROLES


@dataclass(frozen=True)
class MergeUlns:
    uln: str
    """The ULN that retires: it becomes linked to the master."""
    master_uln: str


@dataclass(frozen=True)
class SplitUln:
    uln: str
    event_ids: tuple[str, ...]
    """The second person's learning events, moved to their new ULN."""
    details: LearnerDetails
    """The second person's details, registered under a new ULN."""


@dataclass(frozen=True)
class LifecycleDone:
    learner: Learner
    """The ULN merged, unmerged or split."""
    other: Learner
    """The master (merge, unmerge) or the second person's new learner (split)."""
    moved_events: tuple[str, ...]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _locked(uln: str, uow: UnitOfWork) -> Learner:
    learner = uow.learners.lock(uln)
    if learner is None:
        raise LearnerNotFound()
    return learner


def _store(learner: Learner, expected: int, principal: Principal, uow: UnitOfWork) -> None:
    if not uow.learners.replace(
        learner, expected_version=expected, actor=principal.actor, ukprn=principal.ukprn
    ):
        raise VersionConflict()


def _move(
    events: Iterable[LearningEvent], to_uln: str, change: str, principal: Principal, uow: UnitOfWork
) -> tuple[str, ...]:
    ids = []
    for event in events:
        uow.learning_events.replace(moved(event, to_uln), actor=principal.actor, change=change)
        ids.append(event.id)
    return tuple(ids)


def _record(
    action: AuditAction,
    pairs: tuple[tuple[str, ChangeKind, str], ...],
    principal: Principal,
    uow: UnitOfWork,
) -> None:
    """Audit, bump the record version of, and feed a change for each (ULN, kind, other ULN)."""
    for uln, kind, other in pairs:
        uow.learning_events.bump_record_version(uln)
        uow.audit.record(
            AuditEvent(
                principal.actor, principal.ukprn, action, uln=uln, outcome=kind.value, detail=other
            )
        )
        note_change(uow, principal, kind, uln, related_uln=other)


def merge_ulns(command: MergeUlns, *, principal: Principal, uow: UnitOfWork) -> LifecycleDone:
    principal.require(LIFECYCLE_ROLES)
    with uow:
        done = merge_within(command, principal=principal, uow=uow)
        uow.commit()
    return done


def merge_within(command: MergeUlns, *, principal: Principal, uow: UnitOfWork) -> LifecycleDone:
    """Link `uln` to its master and move its learning events there (not committed)."""
    principal.require(LIFECYCLE_ROLES)
    uln, master_uln = parse_uln(command.uln), parse_uln(command.master_uln)
    if uln == master_uln:
        raise SameUln()
    retiring, master = _locked(uln, uow), _locked(master_uln, uow)
    check_mergeable(retiring, master)
    linked = merged(retiring, master, at=_now())
    _store(linked, retiring.version, principal, uow)
    ids = _move(uow.learning_events.for_learner(uln), master_uln, "merge", principal, uow)
    uow.uln_merges.add(UlnMerge(uln, master_uln, ids, principal.actor))
    pairs = ((uln, ChangeKind.MERGED, master_uln), (master_uln, ChangeKind.LINKED, uln))
    _record(AuditAction.LEARNER_MERGE, pairs, principal, uow)
    return LifecycleDone(linked, _locked(master_uln, uow), ids)


def unmerge_uln(uln: str, *, principal: Principal, uow: UnitOfWork) -> LifecycleDone:
    principal.require(LIFECYCLE_ROLES)
    with uow:
        done = unmerge_within(uln, principal=principal, uow=uow)
        uow.commit()
    return done


def unmerge_within(uln: str, *, principal: Principal, uow: UnitOfWork) -> LifecycleDone:
    """Make a merged ULN active again with every event its merge moved, and every event sent
    to it since, back on it (not committed)."""
    principal.require(LIFECYCLE_ROLES)
    learner = _locked(parse_uln(uln), uow)
    restored = unmerged(learner, at=_now())
    master_uln = learner.master_uln or ""
    master = _locked(master_uln, uow)
    merge = uow.uln_merges.current(learner.uln)
    back = to_move_back(uow.learning_events.for_learner(master_uln), learner.uln, merge)
    _store(restored, learner.version, principal, uow)
    ids = _move(back, learner.uln, "unmerge", principal, uow)
    if merge is not None and merge.id is not None:
        uow.uln_merges.undo(merge.id, by=principal.actor)
    pairs = (
        (learner.uln, ChangeKind.UNMERGED, master_uln),
        (master_uln, ChangeKind.UNLINKED, learner.uln),
    )
    _record(AuditAction.LEARNER_UNMERGE, pairs, principal, uow)
    return LifecycleDone(_locked(learner.uln, uow), master, ids)


def split_uln(
    command: SplitUln,
    *,
    principal: Principal,
    uow: UnitOfWork,
    policy: RegisterPolicy = DEFAULT_POLICY,
) -> LifecycleDone:
    principal.require(LIFECYCLE_ROLES)
    with uow:
        done = split_within(command, principal=principal, uow=uow, policy=policy)
        uow.commit()
    return done


def split_within(
    command: SplitUln, *, principal: Principal, uow: UnitOfWork, policy: RegisterPolicy
) -> LifecycleDone:
    """Register the second person under a new ULN and move their events to it (not committed)."""
    principal.require(LIFECYCLE_ROLES)
    details = policy.validated(command.details)
    learner = _locked(parse_uln(command.uln), uow)
    if learner.status is not LearnerStatus.ACTIVE:
        raise LearnerNotActive()
    events = {e.id: e for e in uow.learning_events.for_learner(learner.uln)}
    chosen = list(dict.fromkeys(command.event_ids))
    if any(event_id not in events for event_id in chosen):
        raise LearningEventNotFound()
    second = add_new_learner(details, principal, uow, f"split from {learner.uln}")
    ids = _move((events[i] for i in chosen), second.uln, "split", principal, uow)
    pairs = ((learner.uln, ChangeKind.SPLIT, second.uln),)
    _record(AuditAction.LEARNER_SPLIT, pairs, principal, uow)
    uow.learning_events.bump_record_version(second.uln)
    return LifecycleDone(learner, second, ids)
