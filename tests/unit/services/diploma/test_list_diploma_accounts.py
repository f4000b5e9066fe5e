"""The accounts an organisation is party to (the portal's list): a centre's own, an awarding
body's to award or with its results on, newest first; the desk finds by ULN instead; audited."""

from __future__ import annotations

import datetime as dt

import pytest

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.audit import AuditAction
from openlrs.domain.diploma.diploma_rules import Component
from openlrs.domain.errors import NotAuthorised
from openlrs.domain.plr.qualifications import Qualification
from openlrs.services.diploma.list_accounts import list_diploma_accounts
from openlrs.services.diploma.open_account import OpenDiplomaAccount, open_diploma_account
from openlrs.services.diploma.submit_result import SubmitDiplomaResult, submit_diploma_result
from openlrs.services.plr.qualification_register import add_qualification
from tests.builders import ADMIN, AO, LRB, OTHER_PROVIDER, learner_details, store_learner
from tests.unit.fakes import FakeUnitOfWork

OTHER_CENTRE = Principal("user:elsewhere", "10000003", frozenset({Role.LRB}))
COMPONENT_BODY = Principal("user:component", "10000004", frozenset({Role.AO}))
BYSTANDER = Principal("user:bystander", "10000005", frozenset({Role.AO}))


def _open(uow: FakeUnitOfWork, seed: int, centre: Principal = LRB) -> str:
    learner = store_learner(uow, learner_details(seed))
    command = OpenDiplomaAccount(learner.uln, "engineering", "higher", OTHER_PROVIDER)
    account, _ = open_diploma_account(command, principal=centre, uow=uow)
    assert account.id is not None
    return account.id


def _ids(uow: FakeUnitOfWork, principal: Principal, limit: int = 100) -> list[str | None]:
    return [a.id for a, _ in list_diploma_accounts(principal=principal, uow=uow, limit=limit)]


def test_each_party_sees_its_own_accounts_newest_first(uow: FakeUnitOfWork) -> None:
    first, second = _open(uow, 1), _open(uow, 2)
    elsewhere = _open(uow, 3, OTHER_CENTRE)
    statistics = Qualification("600/0000/1", "Statistics", "VRQ", "2", frozenset({"10000004"}))
    add_qualification(statistics, principal=ADMIN, uow=uow)  # the component body's own
    result = SubmitDiplomaResult(
        second, "asl-1", Component.ASL, "600/0000/1", "Statistics", 2, "B", dt.date(2026, 6, 30),
        glh=90, barring_code="5001",
    )  # fmt: skip
    submit_diploma_result(result, principal=COMPONENT_BODY, uow=uow)

    assert _ids(uow, LRB) == [second, first]
    assert _ids(uow, OTHER_CENTRE) == [elsewhere]
    assert _ids(uow, AO) == [elsewhere, second, first]  # the Diploma awarding body of all three
    assert _ids(uow, COMPONENT_BODY) == [second]  # the one it has a result on
    assert _ids(uow, BYSTANDER) == []
    assert _ids(uow, ADMIN) == []  # the desk finds accounts by ULN
    assert _ids(uow, LRB, limit=1) == [second]


def test_each_listing_comes_with_its_evaluation_and_is_audited(uow: FakeUnitOfWork) -> None:
    _open(uow, 1)
    ((account, evaluation),) = list_diploma_accounts(principal=LRB, uow=uow)

    assert account.centre_ukprn == LRB.ukprn
    assert not evaluation.complete and evaluation.achievable
    (event,) = [
        e for e in uow.database.committed.audit if e.action is AuditAction.DIPLOMA_ACCOUNT_LIST
    ]
    assert (event.actor, event.uln, event.outcome) == (LRB.actor, None, "1 listed")


def test_a_caller_with_no_diploma_role_is_refused(uow: FakeUnitOfWork) -> None:
    with pytest.raises(NotAuthorised):
        list_diploma_accounts(principal=Principal("user:x", "10000006", frozenset()), uow=uow)
