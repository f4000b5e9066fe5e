"""Many Diploma results in one call, on SQLite and PostgreSQL: each refused on its own, the rest
held, each account re-aggregated once - and the same accounts as one result at a time."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter

from openlrs.domain.audit import AuditAction
from openlrs.domain.diploma.account import DiplomaAccount
from openlrs.services.diploma.submit_result import SubmitDiplomaResult, submit_diploma_result
from openlrs.services.diploma.submit_results import submit_diploma_results
from openlrs.services.diploma.view_account import view_diploma_account
from openlrs.services.diploma.withdraw_result import withdraw_diploma_result
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import BODY, complete_result_bodies, diploma_account


def _commands(account_id: str) -> list[SubmitDiplomaResult]:
    return [
        SubmitDiplomaResult(
            account_id=account_id,
            **{**body, "achieved_on": dt.date.fromisoformat(body["achieved_on"])},
        )
        for body in complete_result_bodies()
    ]


def _view(uow_factory: SqlUnitOfWorkFactory, account_id: str) -> DiplomaAccount:
    return view_diploma_account(account_id, principal=BODY, uow=uow_factory())[0]


def test_a_batch_holds_the_good_results_and_refuses_the_bad_one_by_one(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    first = diploma_account(uow_factory, seed=9101)
    second = diploma_account(uow_factory, seed=9102)
    bad_qualification = dataclasses.replace(_commands(first)[0], qualification="not-a-number")
    resit = dataclasses.replace(_commands(second)[0], grade="b")
    commands = [
        *_commands(first),
        bad_qualification,
        dataclasses.replace(_commands(second)[1], account_id="no-such-account"),
        dataclasses.replace(_commands(second)[1], title=""),
        *_commands(second)[:2],
        resit,  # the same reference again in the same batch: the later one stands
    ]
    done = submit_diploma_results(commands, principal=BODY, uow=uow_factory())
    refused = [(o.reference, o.code) for o in done.outcomes if not o.accepted]
    assert refused == [
        ("pl", "QUALIFICATION_NUMBER_INVALID"),
        ("project", "DIPLOMA_ACCOUNT_NOT_FOUND"),
        ("project", "DIPLOMA_RESULT_INVALID"),
    ]
    assert len(done.outcomes) == len(commands)
    assert sorted(done.evaluations) == sorted([first, second])
    assert _view(uow_factory, second).results["pl"].grade == "B"
    assert set(_view(uow_factory, second).results) == {"pl", "project"}


def test_a_batch_leaves_accounts_as_one_result_at_a_time_would(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    batched = diploma_account(uow_factory, seed=9101)
    singly = diploma_account(uow_factory, seed=9102)
    submit_diploma_results(_commands(batched), principal=BODY, uow=uow_factory())
    for command in _commands(singly):
        last = submit_diploma_result(command, principal=BODY, uow=uow_factory())
    by_batch = view_diploma_account(batched, principal=BODY, uow=uow_factory())
    by_one = view_diploma_account(singly, principal=BODY, uow=uow_factory())
    assert by_batch[1] == by_one[1] == last
    assert by_batch[0].results == by_one[0].results


def test_a_withdrawn_result_sent_again_in_a_batch_is_reinstated(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    account_id = diploma_account(uow_factory, seed=9101)
    commands = _commands(account_id)
    before = submit_diploma_results(commands, principal=BODY, uow=uow_factory())
    withdraw_diploma_result(account_id, "pl", principal=BODY, uow=uow_factory())
    assert "pl" not in _view(uow_factory, account_id).results
    again = submit_diploma_results(commands[:1], principal=BODY, uow=uow_factory())
    assert again.evaluations == before.evaluations
    assert _view(uow_factory, account_id).results["pl"].grade == "A"


def test_a_batch_audits_every_result_in_one_write(uow_factory: SqlUnitOfWorkFactory) -> None:
    account_id = diploma_account(uow_factory, seed=9101)
    commands = _commands(account_id)
    refused = dataclasses.replace(commands[0], reference="unseen", account_id="no-such-account")
    submit_diploma_results([*commands, refused], principal=BODY, uow=uow_factory())
    uln = _view(uow_factory, account_id).uln
    with uow_factory() as uow:
        trail = uow.audit.list(ukprn=BODY.ukprn, uln=None, before_id=None, limit=100)
    submits = [e for e in trail if e.action is AuditAction.DIPLOMA_RESULT_SUBMIT]
    assert Counter((e.uln, e.outcome) for e in submits) == Counter(
        [(uln, "accepted")] * len(commands) + [(None, "DIPLOMA_ACCOUNT_NOT_FOUND")]
    )
    assert all(e.actor == BODY.actor for e in submits)
