"""A UPN as match evidence on the real stores (SQLite and PostgreSQL): it finds a learner whose
name is misspelt, and never makes an exact match of a record whose names and date of birth
disagree."""

from __future__ import annotations

import dataclasses
import datetime as dt

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.identifiers import make_upn
from openlrs.domain.learners.learner import LearnerDetails
from openlrs.domain.matching.outcomes import MatchOutcome
from openlrs.services.learners.register import RegisterLearner, register_learner
from openlrs.services.learners.search import find_by_demographics
from openlrs.services.policy import RegisterPolicy
from openlrs.store.uow import SqlUnitOfWorkFactory

TODAY = dt.date(2025, 9, 1)
POLICY = RegisterPolicy(today=lambda: TODAY)
REGISTRAR = Principal("client:registrar", "10000001", frozenset({Role.LRB}))
UPN = make_upn("820200109123")
LEARNER = LearnerDetails("Siobhan", "Fitzgerald", dt.date(2009, 4, 17), 2, "M14 5RT", upn=UPN)


def test_a_known_upn_finds_a_misspelt_learner_but_never_overrides_names_and_birth_date(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    uln = register_learner(
        RegisterLearner(LEARNER), principal=REGISTRAR, uow=uow_factory(), policy=POLICY
    ).uln

    def search(query: LearnerDetails) -> tuple[MatchOutcome, list[str]]:
        found = find_by_demographics(query, principal=REGISTRAR, uow=uow_factory(), policy=POLICY)
        return found.outcome, [learner.uln for learner in found.learners]

    # misspelt given and family names, moved across the country: the UPN finds and ties them
    misspelt = dataclasses.replace(
        LEARNER, given_name="Siobahn", family_name="Fitzgerld", postcode="EX4 4QJ"
    )
    assert search(misspelt) == (MatchOutcome.EXACT, [uln])

    # the same UPN on a record whose names and date of birth disagree: never exact
    stranger = dataclasses.replace(
        LEARNER,
        given_name="Marcus",
        family_name="Okafor",
        date_of_birth=dt.date(2007, 11, 2),
        gender=1,
    )
    outcome, _ = search(stranger)
    assert outcome is not MatchOutcome.EXACT
    assert outcome in (MatchOutcome.POSSIBLE, MatchOutcome.NO_MATCH)

    # a registration of that stranger is not refused as the same learner
    other = register_learner(
        RegisterLearner(stranger, confirm_different_person=True),
        principal=REGISTRAR,
        uow=uow_factory(),
        policy=POLICY,
    )
    assert other.uln != uln
