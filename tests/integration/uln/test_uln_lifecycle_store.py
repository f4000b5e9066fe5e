"""The ULN life cycle on the real stores (SQLite and PostgreSQL): the same properties as on the
fakes, fewer examples; achievements sent to an old ULN; a migration-level check of the feed."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.learner_changes import ChangeKind
from openlrs.domain.plr.achievements import EventType
from openlrs.domain.plr.errors import LearnerOptedOut
from openlrs.domain.plr.qualifications import Qualification
from openlrs.services.change_feed import read_changes
from openlrs.services.plr.post_achievement import post_achievement
from openlrs.services.plr.qualification_register import load_register
from openlrs.services.plr.read import ReadPlr, read_plr
from openlrs.services.plr.sharing import SharingChoice, set_sharing
from openlrs.services.uln.lifecycle import MergeUlns, SplitUln, merge_ulns, split_uln, unmerge_uln
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import (
    ADMIN,
    AO,
    LRB,
    OWNED,
    POLICY,
    achievement_command,
    claimed_details,
    event_count,
    learner_details,
    register_state,
    registers,
    stored_register,
)

ON_A_DATABASE = settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@ON_A_DATABASE
@given(register=registers, data=st.data())
def test_merge_then_unmerge_is_the_identity(
    uow_factory: SqlUnitOfWorkFactory, register: list, data: st.DataObject
) -> None:
    ulns = stored_register(uow_factory, register)
    retiring, master = data.draw(st.permutations(ulns))[:2]
    before = register_state(uow_factory, ulns)

    merge_ulns(MergeUlns(retiring, master), principal=ADMIN, uow=uow_factory())
    unmerge_uln(retiring, principal=ADMIN, uow=uow_factory())

    assert register_state(uow_factory, ulns) == before


@ON_A_DATABASE
@given(register=registers, data=st.data())
def test_split_then_merge_restores_the_original(
    uow_factory: SqlUnitOfWorkFactory, register: list, data: st.DataObject
) -> None:
    ulns = stored_register(uow_factory, register)
    shared = data.draw(st.sampled_from(ulns))
    with uow_factory() as uow:
        ids = [e.id for e in uow.learning_events.for_learner(shared)]
    chosen = data.draw(st.lists(st.sampled_from(ids), unique=True) if ids else st.just([]))
    before, total = register_state(uow_factory, ulns), event_count(uow_factory, ulns)

    done = split_uln(
        SplitUln(shared, tuple(chosen), learner_details(99)), principal=ADMIN, uow=uow_factory()
    )
    assert event_count(uow_factory, [*ulns, done.other.uln]) == total
    merge_ulns(MergeUlns(done.other.uln, shared), principal=ADMIN, uow=uow_factory())

    assert register_state(uow_factory, ulns) == before


def test_an_achievement_for_an_old_uln_lands_on_the_master(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    qualification = Qualification(OWNED, "GCSE in Mathematics", "GCSE", "2", frozenset({AO.ukprn}))
    load_register([qualification], principal=ADMIN, uow=uow_factory())
    (master_uln,), (other_uln,) = (stored_register(uow_factory, [[]], seed=7) for _ in "ab")
    with uow_factory() as uow:
        master, other = uow.learners.get(master_uln), uow.learners.get(other_uln)
    assert master is not None and other is not None
    post_achievement(achievement_command(master), principal=AO, uow=uow_factory(), policy=POLICY)
    post_achievement(achievement_command(other), principal=AO, uow=uow_factory(), policy=POLICY)
    merge_ulns(MergeUlns(other_uln, master_uln), principal=ADMIN, uow=uow_factory())

    resent = post_achievement(
        achievement_command(other), principal=AO, uow=uow_factory(), policy=POLICY
    )
    plr = read_plr(
        ReadPlr(other_uln, knowledge=claimed_details(master)), principal=LRB, uow=uow_factory()
    )

    assert not resent.created and resent.event.uln == master_uln
    assert plr.linked and plr.learner.uln == master_uln and len(plr.events) == 2
    unmerge_uln(other_uln, principal=ADMIN, uow=uow_factory())
    with uow_factory() as uow:
        assert len(uow.learning_events.for_learner(other_uln)) == 1
        assert len(uow.learning_events.for_learner(master_uln)) == 1


def test_the_feed_shows_an_organisation_only_its_learners(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    mine, theirs, linked = stored_register(uow_factory, [[], [], []], seed=11)
    with uow_factory() as uow:  # the provider looked `mine` up; nobody looked at the others
        uow.audit.record(AuditEvent(LRB.actor, LRB.ukprn, AuditAction.LEARNER_READ, uln=mine))
        uow.commit()
    merge_ulns(MergeUlns(theirs, linked), principal=ADMIN, uow=uow_factory())
    split_uln(SplitUln(mine, (), learner_details(12)), principal=ADMIN, uow=uow_factory())

    page = read_changes(0, principal=LRB, uow=uow_factory())
    everything = read_changes(0, principal=ADMIN, uow=uow_factory())
    other_org = Principal("user:x", "10000077", frozenset({Role.LRB}))

    assert [(c.uln, c.kind) for c in page.changes] == [(mine, ChangeKind.SPLIT)]
    assert len(everything.changes) == 4  # merged, linked, registered, split
    assert page.next_since == everything.next_since  # the cursor passes what was filtered out
    assert read_changes(page.next_since, principal=LRB, uow=uow_factory()).changes == ()
    assert read_changes(0, principal=other_org, uow=uow_factory()).changes == ()
    assert everything.changes[0].occurred_at is not None
    assert everything.changes[0].occurred_at <= dt.datetime.now(dt.UTC)


def test_an_opt_out_on_either_uln_covers_the_merged_record(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    master, other = stored_register(uow_factory, [[("10000002", OWNED, dt.date(2025, 6, 30))], []])
    set_sharing(SharingChoice(other, False), principal=ADMIN, uow=uow_factory())
    merge_ulns(MergeUlns(other, master), principal=ADMIN, uow=uow_factory())
    with uow_factory() as uow:
        stored = uow.learners.get(master)
    assert stored is not None
    query = ReadPlr(master, knowledge=claimed_details(stored))

    with pytest.raises(LearnerOptedOut):
        read_plr(query, principal=LRB, uow=uow_factory())
    unmerge_uln(other, principal=ADMIN, uow=uow_factory())
    assert len(read_plr(query, principal=LRB, uow=uow_factory()).events) == 1


@ON_A_DATABASE
@given(register=registers, data=st.data())
def test_a_learners_record_read_at_once_is_the_three_reads(
    uow_factory: SqlUnitOfWorkFactory, register: list, data: st.DataObject
) -> None:
    """`record_of` (one statement on PostgreSQL) answers as `shares`, `record_version` and
    `for_learner` do, through opt-outs, merges and event types."""
    ulns = stored_register(uow_factory, register)
    for uln in data.draw(st.lists(st.sampled_from(ulns), unique=True, max_size=2)):
        set_sharing(SharingChoice(uln, False), principal=ADMIN, uow=uow_factory())
    if len(ulns) > 1 and data.draw(st.booleans()):
        merge_ulns(MergeUlns(ulns[1], ulns[0]), principal=ADMIN, uow=uow_factory())
    with uow_factory() as uow:
        for uln in [*ulns, "9999999999"]:
            for kind in (None, *EventType):
                assert uow.learning_events.record_of(uln, event_type=kind) == (
                    uow.learning_events.shares(uln),
                    uow.learning_events.record_version(uln),
                    uow.learning_events.for_learner(uln, event_type=kind),
                )
