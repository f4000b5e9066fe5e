"""The suspected-duplicates queue: upsert by pair, admin-only listing (in-memory fakes)."""

from __future__ import annotations

import pytest

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.errors import DomainError
from openlrs.domain.matching.suspected_duplicate import DuplicateStatus, SuspectedDuplicate
from openlrs.services.matching.suspected_duplicates import (
    list_suspected_duplicates,
    queue_suspected_duplicates,
)
from tests.unit.fakes import FakeUnitOfWorkFactory

DESK = Principal("user:desk", "10000001", frozenset({Role.ADMIN}))
COLLEGE = Principal("user:college", "10000002", frozenset({Role.LRB_ADMIN}))


def pair(a: str, b: str, weight: float = 9.0) -> SuspectedDuplicate:
    return SuspectedDuplicate(a, b, weight, 0.9, {"date_of_birth": "exact"}, found_by="run1")


def test_a_pair_is_stored_in_one_order_whichever_way_it_was_found() -> None:
    assert (pair("2", "1").uln_a, pair("2", "1").uln_b) == ("1", "2")
    with pytest.raises(ValueError):
        pair("1", "1")


def test_queueing_again_refreshes_the_pair_without_repeating_it() -> None:
    uow = FakeUnitOfWorkFactory()
    queue_suspected_duplicates([pair("1", "2"), pair("3", "4")], uow=uow())
    queue_suspected_duplicates([pair("2", "1", weight=12.0)], uow=uow())

    listed = list_suspected_duplicates(
        status=DuplicateStatus.OPEN, after_id=None, limit=10, principal=DESK, uow=uow()
    )
    assert [(p.uln_a, p.uln_b, p.match_weight) for p in listed] == [
        ("1", "2", 12.0),
        ("3", "4", 9.0),
    ]
    page_two = list_suspected_duplicates(
        status=None, after_id=listed[0].id, limit=10, principal=DESK, uow=uow()
    )
    assert [p.uln_a for p in page_two] == ["3"]


def test_only_the_service_desk_reads_the_queue() -> None:
    with pytest.raises(DomainError):
        list_suspected_duplicates(
            status=None, after_id=None, limit=10, principal=COLLEGE, uow=FakeUnitOfWorkFactory()()
        )
