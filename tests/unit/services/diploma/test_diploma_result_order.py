"""Properties of re-aggregation through the use cases (on the fakes): an account ends the same
whatever order its results arrive in and however they are batched, and withdrawing a result then
sending it again returns the account to where it was."""

from __future__ import annotations

import functools
from collections.abc import Mapping

from hypothesis import given, settings
from hypothesis import strategies as st

from openlrs.domain.diploma.diploma_rules import PLTS, DiplomaRules
from openlrs.domain.diploma.evaluation import DiplomaEvaluation
from openlrs.domain.diploma.results import ComponentResult
from openlrs.domain.learners.learner import LearnerDetails
from openlrs.services.diploma.centre_evidence import record_plts, record_work_experience
from openlrs.services.diploma.open_account import OpenDiplomaAccount, open_diploma_account
from openlrs.services.diploma.submit_result import submit_diploma_result
from openlrs.services.diploma.submit_results import submit_diploma_results
from openlrs.services.diploma.view_account import view_diploma_account
from openlrs.services.diploma.withdraw_result import withdraw_diploma_result
from tests.builders import (
    AO,
    LRB,
    OTHER_PROVIDER,
    learner_details,
    rules_and_results,
    store_learner,
    submit_result_command,
)
from tests.unit.fakes import FakeDatabase, FakeUnitOfWork

Account = tuple[DiplomaRules, list[ComponentResult]]


@functools.cache
def _someone() -> LearnerDetails:
    return learner_details(5)


def _opened(rules: DiplomaRules, days: int) -> tuple[FakeUnitOfWork, int]:
    """A fresh register with one learner, their account on `rules`, and the centre's evidence."""
    uow = FakeUnitOfWork(FakeDatabase())
    learner = store_learner(uow, _someone())
    command = OpenDiplomaAccount(learner.uln, rules.line, rules.level.value, OTHER_PROVIDER)
    account, _ = open_diploma_account(command, principal=LRB, uow=uow)
    assert account.id is not None
    record_work_experience(account.id, days, principal=LRB, uow=uow)
    record_plts(account.id, frozenset(PLTS), principal=LRB, uow=uow)
    return uow, account.id


def _state(
    uow: FakeUnitOfWork, account_id: str
) -> tuple[Mapping[str, ComponentResult], DiplomaEvaluation]:
    """The account's live results and its evaluation (checked against the stored summary)."""
    account, evaluation = view_diploma_account(account_id, principal=AO, uow=uow)
    assert uow.database.committed.diploma.summaries[account_id] == evaluation  # as stored
    return account.results, evaluation


@settings(max_examples=100, deadline=None)
@given(
    rules_and_results(), st.randoms(use_true_random=False), st.integers(1, 4), st.integers(8, 11)
)
def test_an_account_ends_the_same_whatever_the_order_and_batching_of_its_results(
    account: Account, random: object, chunk: int, days: int
) -> None:
    rules, results = account
    one_by_one, first = _opened(rules, days)
    for result in results:
        submit_diploma_result(submit_result_command(first, result), principal=AO, uow=one_by_one)
    shuffled = list(results)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    batched, second = _opened(rules, days)
    for start in range(0, len(shuffled), chunk):
        commands = [submit_result_command(second, r) for r in shuffled[start : start + chunk]]
        done = submit_diploma_results(commands, principal=AO, uow=batched)
        assert all(o.accepted for o in done.outcomes)
    assert _state(one_by_one, first) == _state(batched, second)


@settings(max_examples=100, deadline=None)
@given(rules_and_results(), st.data())
def test_withdrawing_a_result_then_sending_it_again_returns_the_account_to_where_it_was(
    account: Account, data: st.DataObject
) -> None:
    rules, results = account
    if not results:
        return
    uow, account_id = _opened(rules, 10)
    submit_diploma_results(
        [submit_result_command(account_id, r) for r in results], principal=AO, uow=uow
    )
    before = _state(uow, account_id)
    chosen = data.draw(st.sampled_from(results))
    withdraw_diploma_result(account_id, chosen.reference, principal=AO, uow=uow)
    assert chosen.reference not in _state(uow, account_id)[0]
    submit_diploma_result(submit_result_command(account_id, chosen), principal=AO, uow=uow)
    assert _state(uow, account_id) == before
