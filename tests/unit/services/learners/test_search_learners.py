"""Searching by demographics: no match, exact, possible, too many, and swapped day and month."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from openlrs.domain.audit import AuditAction
from openlrs.domain.errors import ValidationFailed
from openlrs.domain.learners.learner import LearnerDetails
from openlrs.domain.matching.engine import MAX_POSSIBLE, ScoredMatch
from openlrs.domain.matching.outcomes import MatchOutcome
from openlrs.services.learners.search import find_by_demographics
from tests.builders import LRB, POLICY, learner_details, many_learner_details, store_learner
from tests.unit.fakes import FakeDatabase, FakeUnitOfWork


def search(uow: FakeUnitOfWork, query: LearnerDetails) -> ScoredMatch:
    return find_by_demographics(query, principal=LRB, uow=uow, policy=POLICY)


def test_an_empty_register_has_no_match(uow: FakeUnitOfWork) -> None:
    result = search(uow, learner_details())

    assert (result.outcome, result.learners) == (MatchOutcome.NO_MATCH, ())


def test_someone_else_born_the_same_day_is_no_match(uow: FakeUnitOfWork) -> None:
    stored, query = many_learner_details(2)
    store_learner(uow, dataclasses.replace(stored, date_of_birth=query.date_of_birth))

    assert search(uow, query).outcome is MatchOutcome.NO_MATCH


def test_the_same_five_mandatory_details_are_an_exact_match(uow: FakeUnitOfWork) -> None:
    population = many_learner_details(30)
    for details in population:
        store_learner(uow, details)
    target = population[17]
    query = dataclasses.replace(
        target, given_name=f"  {target.given_name.upper()} ", email=None, notes="differs"
    )

    result = search(uow, query)

    assert result.outcome is MatchOutcome.EXACT
    assert [found.details for found in result.learners] == [target]


def test_the_same_birthday_and_family_name_is_a_possible_match(uow: FakeUnitOfWork) -> None:
    stored = store_learner(uow, learner_details())
    sibling = dataclasses.replace(learner_details(), given_name="Zebedee", postcode="LS1 4AP")

    result = search(uow, sibling)

    assert result.outcome is MatchOutcome.POSSIBLE
    assert result.learners == (stored,)


def test_more_than_ten_possible_matches_are_too_many(uow: FakeUnitOfWork) -> None:
    family = learner_details()
    given_names = {p.given_name for p in many_learner_details(200)} - {family.given_name}
    for given in sorted(given_names)[: MAX_POSSIBLE + 1]:
        store_learner(uow, dataclasses.replace(family, given_name=given))
    query = dataclasses.replace(family, postcode="LS1 4AP")

    result = search(uow, query)

    assert (result.outcome, result.learners) == (MatchOutcome.TOO_MANY, ())


def test_exactly_ten_possible_matches_are_all_returned(uow: FakeUnitOfWork) -> None:
    family = learner_details()
    given_names = {p.given_name for p in many_learner_details(200)} - {family.given_name}
    for given in sorted(given_names)[:MAX_POSSIBLE]:
        store_learner(uow, dataclasses.replace(family, given_name=given))

    result = search(uow, dataclasses.replace(family, postcode="LS1 4AP"))

    assert result.outcome is MatchOutcome.POSSIBLE
    assert len(result.learners) == MAX_POSSIBLE


def test_a_date_of_birth_with_day_and_month_swapped_still_finds_the_learner(
    uow: FakeUnitOfWork,
) -> None:
    stored = store_learner(
        uow, dataclasses.replace(learner_details(), date_of_birth=dt.date(2009, 3, 7))
    )
    query = dataclasses.replace(stored.details, date_of_birth=dt.date(2009, 7, 3))

    result = search(uow, query)

    # Everything else agrees (email too), so the engine may be sure; it must not miss the learner.
    assert result.outcome in (MatchOutcome.EXACT, MatchOutcome.POSSIBLE)
    assert result.learners == (stored,)


def test_every_search_is_audited_with_the_ulns_it_returned(uow: FakeUnitOfWork) -> None:
    stored = store_learner(uow, learner_details())
    search(uow, learner_details())
    search(uow, many_learner_details(2)[1])

    with uow:
        events = uow.audit.list(ukprn=LRB.ukprn, uln=None, before_id=None, limit=10)
    assert [(e.action, e.uln, e.outcome) for e in events] == [
        (AuditAction.LEARNER_SEARCH, None, "no_match"),
        (AuditAction.LEARNER_SEARCH, stored.uln, "exact"),
    ]


def test_an_invalid_query_is_refused_before_storage_is_touched(
    uow: FakeUnitOfWork, database: FakeDatabase
) -> None:
    future = dataclasses.replace(learner_details(), date_of_birth=dt.date(2030, 1, 1))

    with pytest.raises(ValidationFailed) as failed:
        search(uow, future)

    assert [e.code for e in failed.value.errors] == ["DATE_OF_BIRTH_IN_FUTURE"]
    assert database.units_begun == 0
