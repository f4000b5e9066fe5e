"""Every change to a Diploma account, and every read of one, is on the audit trail: who, which
organisation, what, which ULN and the outcome - and nothing else about the learner."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.diploma.errors import DiplomaNotComplete
from openlrs.domain.diploma.rule_files import diploma_rules
from openlrs.services.diploma.award import AwardDiploma, award_diploma
from openlrs.services.diploma.claim import claim_diploma
from openlrs.services.diploma.submit_result import SubmitDiplomaResult
from openlrs.services.diploma.submit_results import submit_diploma_results
from openlrs.services.diploma.view_account import find_diploma_accounts, view_diploma_account
from openlrs.services.diploma.withdraw_result import withdraw_diploma_result
from tests.builders import AO, LRB, complete_results, fill_account, opened_account, submit_result
from tests.unit.fakes import FakeUnitOfWork

A = AuditAction


def _trail(uow: FakeUnitOfWork) -> list[AuditEvent]:
    return [e for e in uow.database.committed.audit if e.action.value.startswith("diploma.")]


def test_each_change_and_read_of_an_account_is_audited(uow: FakeUnitOfWork) -> None:
    account_id = opened_account(uow)
    fill_account(uow, account_id)
    withdraw_diploma_result(account_id, "project", principal=AO, uow=uow)
    (project,) = [
        r
        for r in complete_results(diploma_rules("engineering", "higher"), "A", "B")
        if r.reference == "project"
    ]
    submit_result(uow, account_id, project)
    account, _ = view_diploma_account(account_id, principal=LRB, uow=uow)
    find_diploma_accounts(account.uln, principal=LRB, uow=uow)
    claim_diploma(account_id, principal=LRB, uow=uow)
    award_diploma(AwardDiploma(account_id), principal=AO, uow=uow)

    trail = _trail(uow)
    actions = [e.action for e in trail]
    submitted = len(complete_results(diploma_rules("engineering", "higher"), "A", "B"))
    assert actions == [
        A.DIPLOMA_ACCOUNT_OPEN,
        *[A.DIPLOMA_RESULT_SUBMIT] * submitted,
        A.DIPLOMA_WORK_EXPERIENCE,
        A.DIPLOMA_PLTS,
        A.DIPLOMA_RESULT_WITHDRAW,
        A.DIPLOMA_RESULT_SUBMIT,
        A.DIPLOMA_ACCOUNT_READ,
        A.DIPLOMA_ACCOUNT_SEARCH,
        A.DIPLOMA_CLAIM,
        A.DIPLOMA_AWARD,
    ]
    assert {e.uln for e in trail} == {account.uln}
    by_action = {e.action: e for e in trail}
    assert (by_action[A.DIPLOMA_ACCOUNT_OPEN].actor, by_action[A.DIPLOMA_ACCOUNT_OPEN].ukprn) == (
        LRB.actor,
        LRB.ukprn,
    )
    withdrawn = by_action[A.DIPLOMA_RESULT_WITHDRAW]
    assert (withdrawn.actor, withdrawn.outcome) == (AO.actor, "withdrawn")
    assert withdrawn.detail == f"account {account_id} result project"
    assert by_action[A.DIPLOMA_AWARD].outcome == "awarded A"
    assert by_action[A.DIPLOMA_ACCOUNT_SEARCH].outcome == "1 found"


def test_a_refused_change_leaves_no_audit_event(uow: FakeUnitOfWork) -> None:
    account_id = opened_account(uow)
    before = len(_trail(uow))
    with pytest.raises(DiplomaNotComplete):
        claim_diploma(account_id, principal=LRB, uow=uow)
    assert len(_trail(uow)) == before


def test_a_bulk_submission_audits_every_result_accepted_or_refused(uow: FakeUnitOfWork) -> None:
    account_id = opened_account(uow)
    (first, *_) = complete_results(diploma_rules("engineering", "higher"), "A", "B")
    fields = {f.name for f in dataclasses.fields(SubmitDiplomaResult)} - {"account_id"}
    good = SubmitDiplomaResult(
        account_id=account_id, **{k: v for k, v in vars(first).items() if k in fields}
    )
    bad = dataclasses.replace(good, reference="bad", title="", achieved_on=dt.date(2026, 6, 30))
    unseen = dataclasses.replace(good, account_id="no-such-account")
    submit_diploma_results([good, bad, unseen], principal=AO, uow=uow)

    submits = [e for e in _trail(uow) if e.action is A.DIPLOMA_RESULT_SUBMIT]
    assert [(e.outcome, e.uln is not None) for e in submits] == [
        ("accepted", True),
        ("DIPLOMA_RESULT_INVALID", True),
        ("DIPLOMA_ACCOUNT_NOT_FOUND", False),
    ]
    assert all(e.actor == AO.actor and e.ukprn == AO.ukprn for e in submits)
