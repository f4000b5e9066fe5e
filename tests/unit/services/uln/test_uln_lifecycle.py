"""Merge, unmerge and split through the services on the fakes: properties over random registers
and event histories, then the rules one at a time."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openlrs.domain.audit import AuditAction
from openlrs.domain.errors import DomainError, LearnerNotActive, NotAuthorised
from openlrs.domain.learner_changes import ChangeKind
from openlrs.domain.learners.learner import LearnerStatus
from openlrs.domain.plr.errors import LearningEventNotFound
from openlrs.domain.uln.lifecycle import LearnerNotMerged, SameUln, UlnHasLinkedUlns
from openlrs.services.learners.find import find_by_uln
from openlrs.services.plr.post_achievement import post_achievement
from openlrs.services.plr.read import ReadPlr, read_plr
from openlrs.services.uln.lifecycle import (
    MergeUlns,
    SplitUln,
    merge_ulns,
    split_uln,
    unmerge_uln,
)
from tests.builders import (
    ADMIN,
    AO,
    LRB,
    POLICY,
    achievement_command,
    claimed_details,
    event_count,
    learner_details,
    load_qualifications,
    register_state,
    registers,
    store_learner,
    stored_register,
)
from tests.unit.fakes import FakeDatabase, FakeUnitOfWork, FakeUnitOfWorkFactory

# --- properties -----------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(register=registers, data=st.data())
def test_merge_then_unmerge_is_the_identity(register: list, data: st.DataObject) -> None:
    make = FakeUnitOfWorkFactory(FakeDatabase())
    ulns = stored_register(make, register)
    retiring, master = data.draw(st.permutations(ulns))[:2]
    before = register_state(make, ulns)

    merge_ulns(MergeUlns(retiring, master), principal=ADMIN, uow=make())
    assert register_state(make, ulns) != before or not register[ulns.index(retiring)]
    unmerge_uln(retiring, principal=ADMIN, uow=make())

    assert register_state(make, ulns) == before


@settings(max_examples=60, deadline=None)
@given(register=registers, data=st.data())
def test_split_then_merge_restores_the_original(register: list, data: st.DataObject) -> None:
    make = FakeUnitOfWorkFactory(FakeDatabase())
    ulns = stored_register(make, register)
    shared = data.draw(st.sampled_from(ulns))
    with make() as uow:
        ids = [e.id for e in uow.learning_events.for_learner(shared)]
    chosen = data.draw(st.lists(st.sampled_from(ids), unique=True) if ids else st.just([]))
    before = register_state(make, ulns)

    done = split_uln(
        SplitUln(shared, tuple(chosen), learner_details(99)), principal=ADMIN, uow=make()
    )
    assert len(done.moved_events) == len(chosen)
    merge_ulns(MergeUlns(done.other.uln, shared), principal=ADMIN, uow=make())

    assert register_state(make, ulns) == before


operations = st.lists(
    st.tuples(
        st.sampled_from(["merge", "unmerge", "split"]),
        st.integers(0, 7),
        st.integers(0, 7),
        st.lists(st.integers(0, 7), max_size=3),
    ),
    max_size=8,
)


@settings(max_examples=80, deadline=None)
@given(register=registers, ops=operations)
def test_no_operation_changes_the_number_of_learning_events(register: list, ops: list) -> None:
    make = FakeUnitOfWorkFactory(FakeDatabase())
    ulns = stored_register(make, register)
    total = event_count(make, ulns)
    for name, a, b, picks in ops:
        try:
            if name == "merge":
                merge_ulns(
                    MergeUlns(ulns[a % len(ulns)], ulns[b % len(ulns)]), principal=ADMIN, uow=make()
                )
            elif name == "unmerge":
                unmerge_uln(ulns[a % len(ulns)], principal=ADMIN, uow=make())
            else:
                uln = ulns[a % len(ulns)]
                with make() as uow:
                    ids = [e.id for e in uow.learning_events.for_learner(uln)]
                chosen = tuple({ids[p % len(ids)] for p in picks} if ids else ())
                done = split_uln(
                    SplitUln(uln, chosen, learner_details(50 + b)), principal=ADMIN, uow=make()
                )
                ulns.append(done.other.uln)
        except DomainError:
            pass  # refused (e.g. merging a merged ULN): nothing changed
        assert event_count(make, ulns) == total
        with make() as uow:
            for uln in ulns:
                learner = uow.learners.get(uln)
                assert learner is not None
                if learner.status is LearnerStatus.MERGED:
                    assert not uow.learning_events.for_learner(uln)  # all on the master
                    master = uow.learners.get(learner.master_uln or "")
                    assert master is not None and master.status is LearnerStatus.ACTIVE


# --- the rules ------------------------------------------------------------------------------------


def test_the_old_uln_answers_linked_with_the_master(uow: FakeUnitOfWork) -> None:
    master, other = store_learner(uow, learner_details(1)), store_learner(uow, learner_details(1))
    merge_ulns(MergeUlns(other.uln, master.uln), principal=ADMIN, uow=uow)

    found = find_by_uln(other.uln, principal=LRB, uow=uow)

    assert found.outcome.value == "linked" and found.learners[0].uln == master.uln
    assert found.learners[0].linked_ulns == (other.uln,)


def test_an_achievement_sent_to_the_old_uln_lands_on_the_master_and_goes_back_on_unmerge(
    uow: FakeUnitOfWork,
) -> None:
    load_qualifications(uow)
    master, other = store_learner(uow, learner_details(1)), store_learner(uow, learner_details(1))
    merge_ulns(MergeUlns(other.uln, master.uln), principal=ADMIN, uow=uow)

    posted = post_achievement(
        achievement_command(other, uln=other.uln), principal=AO, uow=uow, policy=POLICY
    )
    again = post_achievement(
        achievement_command(other, uln=other.uln), principal=AO, uow=uow, policy=POLICY
    )

    assert posted.event.uln == master.uln and posted.event.recorded_uln == other.uln
    assert not again.created  # recognised by the ULN it was sent to
    unmerge_uln(other.uln, principal=ADMIN, uow=uow)
    with uow:
        assert [e.id for e in uow.learning_events.for_learner(other.uln)] == [posted.event.id]
        assert uow.learning_events.get(posted.event.id).recorded_uln is None  # type: ignore[union-attr]


def test_the_same_achievement_on_both_ulns_survives_the_merge(uow: FakeUnitOfWork) -> None:
    load_qualifications(uow)
    master, other = store_learner(uow, learner_details(1)), store_learner(uow, learner_details(1))
    for learner in (master, other):
        post_achievement(achievement_command(learner), principal=AO, uow=uow, policy=POLICY)

    merge_ulns(MergeUlns(other.uln, master.uln), principal=ADMIN, uow=uow)

    plr = read_plr(ReadPlr(other.uln, knowledge=claimed_details(master)), principal=LRB, uow=uow)
    assert plr.linked and len(plr.events) == 2


def test_merges_are_refused_when_they_would_lose_track(uow: FakeUnitOfWork) -> None:
    a, b, c = (store_learner(uow, learner_details(n)) for n in (1, 2, 3))
    with pytest.raises(SameUln):
        merge_ulns(MergeUlns(a.uln, a.uln), principal=ADMIN, uow=uow)
    merge_ulns(MergeUlns(b.uln, a.uln), principal=ADMIN, uow=uow)
    with pytest.raises(UlnHasLinkedUlns):
        merge_ulns(MergeUlns(a.uln, c.uln), principal=ADMIN, uow=uow)  # a has b linked
    with pytest.raises(LearnerNotActive):
        merge_ulns(MergeUlns(c.uln, b.uln), principal=ADMIN, uow=uow)  # b is merged
    with pytest.raises(LearnerNotMerged):
        unmerge_uln(c.uln, principal=ADMIN, uow=uow)


def test_a_split_moves_only_events_on_the_uln(uow: FakeUnitOfWork) -> None:
    a = store_learner(uow, learner_details(1))
    with pytest.raises(LearningEventNotFound):
        split_uln(SplitUln(a.uln, ("no-such-event",), learner_details(2)), principal=ADMIN, uow=uow)


def test_only_the_service_desk_merges_unmerges_and_splits(uow: FakeUnitOfWork) -> None:
    a, b = store_learner(uow, learner_details(1)), store_learner(uow, learner_details(2))
    for caller in (LRB, AO):
        with pytest.raises(NotAuthorised):
            merge_ulns(MergeUlns(a.uln, b.uln), principal=caller, uow=uow)
        with pytest.raises(NotAuthorised):
            unmerge_uln(a.uln, principal=caller, uow=uow)
        with pytest.raises(NotAuthorised):
            split_uln(SplitUln(a.uln, (), learner_details(3)), principal=caller, uow=uow)


def test_every_operation_is_audited_and_fed_to_the_change_feed(uow: FakeUnitOfWork) -> None:
    a, b = store_learner(uow, learner_details(1)), store_learner(uow, learner_details(2))
    merge_ulns(MergeUlns(b.uln, a.uln), principal=ADMIN, uow=uow)
    unmerge_uln(b.uln, principal=ADMIN, uow=uow)
    split = split_uln(SplitUln(a.uln, (), learner_details(3)), principal=ADMIN, uow=uow)

    with uow:
        audited = [
            (e.action, e.uln)
            for e in uow.audit.list(ukprn=None, uln=None, before_id=None, limit=50)
        ]
        fed = [(c.uln, c.kind) for c in uow.changes.since(0, ukprn=None, limit=50).changes]
    for action, uln in [
        (AuditAction.LEARNER_MERGE, b.uln),
        (AuditAction.LEARNER_MERGE, a.uln),
        (AuditAction.LEARNER_UNMERGE, b.uln),
        (AuditAction.LEARNER_SPLIT, a.uln),
        (AuditAction.LEARNER_REGISTER, split.other.uln),
    ]:
        assert (action, uln) in audited
    assert fed == [
        (b.uln, ChangeKind.MERGED),
        (a.uln, ChangeKind.LINKED),
        (b.uln, ChangeKind.UNMERGED),
        (a.uln, ChangeKind.UNLINKED),
        (split.other.uln, ChangeKind.REGISTERED),
        (a.uln, ChangeKind.SPLIT),
    ]
