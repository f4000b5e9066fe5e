"""Blocking keys are stored with every learner version and fetch the right candidates."""

from __future__ import annotations

import dataclasses
import datetime as dt

import sqlalchemy as sa

from openlrs.domain.learners.learner import Learner, LearnerDetails
from openlrs.domain.matching.keys import blocking_keys, match_keys
from openlrs.store.matching.match_keys import (
    rebuild_match_keys,
    rebuild_packed_keys,
    refresh_name_frequencies,
)
from openlrs.store.matching.name_frequencies import NameFrequencies
from openlrs.store.tables import learner_match_keys, learners
from openlrs.store.uow import SqlUnitOfWorkFactory

AMY = LearnerDetails("Amy", "Patel", dt.date(2009, 5, 17), 2, "LS6 2AB")
BEN = LearnerDetails("Ben", "Okafor", dt.date(2008, 1, 30), 1, "M14 5RQ")


def _add(uow_factory: SqlUnitOfWorkFactory, uln: str, details: LearnerDetails) -> None:
    with uow_factory() as uow:
        uow.learners.add(Learner(uln, details), actor="test", ukprn=None)
        uow.commit()


def test_keys_follow_each_version_and_find_candidates(uow_factory: SqlUnitOfWorkFactory) -> None:
    _add(uow_factory, "1026893096", AMY)
    _add(uow_factory, "1174112637", BEN)
    with uow_factory() as uow:
        found = uow.learners.candidates(blocking_keys(AMY), limit=100)
        assert [learner.uln for learner in found] == ["1026893096"]
        moved = dataclasses.replace(AMY, family_name="Shah", previous_family_name="Patel")
        current = uow.learners.get("1026893096")
        assert current is not None
        assert uow.learners.replace(
            dataclasses.replace(current, details=moved, version=2),
            expected_version=1,
            actor="test",
            ukprn=None,
        )
        uow.commit()
        searched = dataclasses.replace(AMY, family_name="Shah")
        assert [c.uln for c in uow.learners.candidates(blocking_keys(searched), limit=100)] == [
            "1026893096"
        ]


def test_name_frequencies_are_counted_in_bulk_and_new_names_count_as_rare(
    uow_factory: SqlUnitOfWorkFactory, engine: sa.Engine
) -> None:
    _add(uow_factory, "1026893096", AMY)
    _add(uow_factory, "1174112637", BEN)
    names = [
        ("family_name", "PATEL"),
        ("given_name", "AMY"),
        ("full_name", "AMY PATEL"),
        ("given_name", "ZED"),
        ("school_at_16", "X"),
    ]
    NameFrequencies.forget()
    with uow_factory() as uow:  # never counted: nothing known
        assert set(uow.learners.name_frequencies(names).values()) == {None}
    with engine.begin() as conn:
        assert refresh_name_frequencies(conn) == 2
    NameFrequencies.forget()
    with uow_factory() as uow:
        assert uow.learners.name_frequencies(names) == {
            ("family_name", "PATEL"): 0.5,
            ("given_name", "AMY"): 0.5,
            ("full_name", "AMY PATEL"): 0.5,  # held by one: full names are listed when shared
            ("given_name", "ZED"): 0.5,  # not counted: taken as held by one
            ("school_at_16", "X"): None,
        }


def test_packed_keys_are_rebuilt_and_read_back_as_the_domain_computes_them(
    uow_factory: SqlUnitOfWorkFactory, engine: sa.Engine
) -> None:
    _add(uow_factory, "1026893096", AMY)
    with engine.begin() as conn:
        conn.execute(sa.update(learners).values(match_data=None))
    with uow_factory() as uow:  # a row without packed keys is still found, from its details
        (before,) = uow.learners.candidates(blocking_keys(AMY), limit=10)
    with engine.begin() as conn:
        assert rebuild_packed_keys(conn) == 1
    with uow_factory() as uow:
        (after,) = uow.learners.candidates(blocking_keys(AMY), limit=10)
    assert before.keys == after.keys == match_keys(AMY)


def test_rebuild_recreates_every_key(uow_factory: SqlUnitOfWorkFactory, engine: sa.Engine) -> None:
    _add(uow_factory, "1026893096", AMY)
    _add(uow_factory, "1174112637", BEN)
    with engine.begin() as conn:
        before = set(conn.execute(sa.select(learner_match_keys)).all())
        conn.execute(sa.delete(learner_match_keys))
        assert rebuild_match_keys(conn) == 2
        after = set(conn.execute(sa.select(learner_match_keys)).all())
    assert after == before
    assert len(before) == len(blocking_keys(AMY)) + len(blocking_keys(BEN))
