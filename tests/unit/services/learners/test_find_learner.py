"""Finding a learner by ULN: exact, linked through a merged record, or not found; always audited."""

from __future__ import annotations

import pytest

from openlrs.domain.audit import AuditAction
from openlrs.domain.errors import (
    LearnerNotFound,
    NotAuthorised,
    UlnInvalid,
    UlnInvalidCheckDigit,
    UlnTemporary,
)
from openlrs.domain.identifiers import make_uln
from openlrs.domain.learners.learner import LearnerStatus
from openlrs.domain.matching.outcomes import MatchOutcome
from openlrs.services.learners.find import find_by_uln
from tests.builders import AO, LRB, learner_details, many_learner_details, store_learner
from tests.unit.fakes import FakeDatabase, FakeUnitOfWork


def reads(uow: FakeUnitOfWork) -> list[tuple[str | None, str | None]]:
    with uow:
        events = uow.audit.list(ukprn=None, uln=None, before_id=None, limit=100)
    return [(e.uln, e.outcome) for e in events if e.action is AuditAction.LEARNER_READ]


def test_a_registered_uln_is_found_exactly_and_the_read_audited(uow: FakeUnitOfWork) -> None:
    learner = store_learner(uow, learner_details())

    result = find_by_uln(f" {learner.uln} ", principal=LRB, uow=uow)

    assert result.outcome is MatchOutcome.EXACT
    assert result.learners == (learner,)
    assert reads(uow) == [(learner.uln, "exact")]


def test_a_merged_uln_answers_with_its_master(uow: FakeUnitOfWork) -> None:
    master_details, merged_details = many_learner_details(2)
    master = store_learner(uow, master_details)
    merged = store_learner(uow, merged_details, status=LearnerStatus.MERGED, master_uln=master.uln)

    result = find_by_uln(merged.uln, principal=LRB, uow=uow)

    assert result.outcome is MatchOutcome.LINKED
    assert [found.uln for found in result.learners] == [master.uln]
    assert result.learners[0].linked_ulns == (merged.uln,)
    assert reads(uow) == [(merged.uln, "linked")]


def test_an_unknown_uln_is_not_found_but_the_attempt_is_still_audited(
    uow: FakeUnitOfWork,
) -> None:
    unknown = make_uln("123456789")

    with pytest.raises(LearnerNotFound):
        find_by_uln(unknown, principal=LRB, uow=uow)

    assert reads(uow) == [(unknown, "not_found")]


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("", UlnInvalid),
        ("12345", UlnInvalid),
        ("12345678AB", UlnInvalid),
        ("0123456789", UlnInvalid),
        ("9999999999", UlnTemporary),
        (make_uln("123456789")[:9] + "0", UlnInvalidCheckDigit),
    ],
)
def test_an_invalid_uln_is_refused_before_storage_is_touched(
    uow: FakeUnitOfWork, database: FakeDatabase, value: str, error: type[UlnInvalid]
) -> None:
    with pytest.raises(error) as raised:
        find_by_uln(value, principal=LRB, uow=uow)

    assert type(raised.value) is error
    assert database.units_begun == 0


def test_an_awarding_organisation_cannot_look_learners_up(uow: FakeUnitOfWork) -> None:
    learner = store_learner(uow, learner_details())

    with pytest.raises(NotAuthorised):
        find_by_uln(learner.uln, principal=AO, uow=uow)
