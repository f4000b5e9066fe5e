"""Learners in SQL on both engines: current version, optimistic replace, history and links."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

from openlrs.domain.errors import UlnInvalid
from openlrs.domain.identifiers import make_uln
from openlrs.domain.learners.learner import Learner, LearnerStatus
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import many_learner_details

TODAY = dt.date(2025, 9, 1)
PROVIDER = "10000001"


def ulns(count: int) -> list[str]:
    """The first `count` ULNs with a valid check digit, from body 100000000 up."""
    found: list[str] = []
    for body in itertools.count(100_000_000):
        try:
            found.append(make_uln(str(body)))
        except UlnInvalid:
            continue
        if len(found) == count:
            return found
    raise AssertionError("unreachable")


def learners(count: int, *, seed: int = 1) -> list[Learner]:
    details = many_learner_details(count, seed=seed, today=TODAY)
    return [Learner(uln, d) for uln, d in zip(ulns(count), details, strict=True)]


def add(uow_factory: SqlUnitOfWorkFactory, *records: Learner) -> None:
    with uow_factory() as uow:
        for record in records:
            uow.learners.add(record, actor="client:test", ukprn=PROVIDER)
        uow.commit()


def test_an_added_learner_comes_back_whole(uow_factory: SqlUnitOfWorkFactory) -> None:
    [learner] = learners(1)
    add(uow_factory, learner)

    with uow_factory() as uow:
        stored = uow.learners.get(learner.uln)
        assert uow.learners.count() == 1
        assert uow.learners.get(ulns(2)[1]) is None

    assert stored is not None
    assert stored.details == learner.details
    assert (stored.version, stored.status, stored.master_uln) == (1, LearnerStatus.ACTIVE, None)
    assert stored.registered_by_ukprn == PROVIDER


def test_replace_needs_the_version_it_replaces(uow_factory: SqlUnitOfWorkFactory) -> None:
    [learner] = learners(1)
    add(uow_factory, learner)
    moved = dataclasses.replace(learner.details, postcode="LS1 4AP", town="Leeds")
    second = dataclasses.replace(learner, details=moved, version=2)

    with uow_factory() as uow:
        assert uow.learners.replace(second, expected_version=1, actor="user:a", ukprn=PROVIDER)
        uow.commit()
    with uow_factory() as uow:
        stale = dataclasses.replace(second, version=3)
        assert not uow.learners.replace(stale, expected_version=1, actor="user:b", ukprn=PROVIDER)
        stored = uow.learners.get(learner.uln)

    assert stored is not None
    assert (stored.version, stored.details.postcode, stored.details.town) == (2, "LS1 4AP", "Leeds")


def test_replacing_an_unknown_learner_changes_nothing(uow_factory: SqlUnitOfWorkFactory) -> None:
    [learner] = learners(1)

    with uow_factory() as uow:
        assert not uow.learners.replace(learner, expected_version=0, actor="a", ukprn=None)
        assert uow.learners.count() == 0


def test_history_keeps_every_version_in_order(uow_factory: SqlUnitOfWorkFactory) -> None:
    [learner] = learners(1)
    add(uow_factory, learner)
    towns = ["Leeds", "York", "Hull"]
    for version, town in enumerate(towns, start=2):
        changed = dataclasses.replace(
            learner, details=dataclasses.replace(learner.details, town=town), version=version
        )
        with uow_factory() as uow:
            assert uow.learners.replace(
                changed, expected_version=version - 1, actor="user:a", ukprn=PROVIDER
            )
            uow.commit()

    with uow_factory() as uow:
        history = uow.learners.history(learner.uln)

    assert [(v.version, v.details.town) for v in history] == [
        (1, learner.details.town),
        (2, "Leeds"),
        (3, "York"),
        (4, "Hull"),
    ]


def test_a_master_lists_the_records_merged_into_it(uow_factory: SqlUnitOfWorkFactory) -> None:
    master, first, second, other = learners(4)
    merged = [
        dataclasses.replace(m, status=LearnerStatus.MERGED, master_uln=master.uln)
        for m in (second, first)
    ]
    add(uow_factory, master, *merged, other)

    with uow_factory() as uow:
        found = uow.learners.get(master.uln)
        merged_record = uow.learners.get(first.uln)
        unrelated = uow.learners.get(other.uln)

    assert found is not None and merged_record is not None and unrelated is not None
    assert found.linked_ulns == tuple(sorted([first.uln, second.uln]))
    assert (merged_record.status, merged_record.master_uln) == (LearnerStatus.MERGED, master.uln)
    assert unrelated.linked_ulns == ()


def test_several_learners_are_read_at_once_with_their_links(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    master, merged, other = learners(3)
    merged = dataclasses.replace(merged, status=LearnerStatus.MERGED, master_uln=master.uln)
    add(uow_factory, master, merged, other)

    with uow_factory() as uow:
        found = uow.learners.get_many({master.uln, merged.uln, "9999999999"})
        one_by_one = {uln: uow.learners.get(uln) for uln in (master.uln, merged.uln)}
        nothing = uow.learners.get_many(set())

    assert found == one_by_one
    assert found[master.uln].linked_ulns == (merged.uln,)
    assert nothing == {}


def test_learner_timestamps_are_utc_and_updated_on_replace(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    [learner] = learners(1)
    before = dt.datetime.now(dt.UTC)
    add(uow_factory, learner)
    with uow_factory() as uow:
        uow.learners.replace(
            dataclasses.replace(learner, version=2), expected_version=1, actor="a", ukprn=None
        )
        uow.commit()
        stored = uow.learners.get(learner.uln)
        history = uow.learners.history(learner.uln)

    assert stored is not None and stored.created_at is not None and stored.updated_at is not None
    for stamp in [stored.created_at, stored.updated_at, *(v.created_at for v in history)]:
        assert stamp is not None
        assert stamp.utcoffset() == dt.timedelta(0)
        assert before - dt.timedelta(seconds=1) <= stamp <= dt.datetime.now(dt.UTC)
    assert stored.updated_at >= stored.created_at
