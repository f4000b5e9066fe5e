"""Diploma accounts through the use cases, on the fakes: open, results in and out, evidence,
claim and award - and each refusal on the way."""

from __future__ import annotations

import dataclasses

import pytest

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.audit import AuditAction
from openlrs.domain.diploma.account import AccountStatus
from openlrs.domain.diploma.errors import (
    DiplomaAccountClosed,
    DiplomaAccountExists,
    DiplomaAccountNotFound,
    DiplomaGradeInvalid,
    DiplomaNotComplete,
    DiplomaResultInvalid,
)
from openlrs.domain.diploma.rule_files import diploma_rules
from openlrs.domain.errors import LearnerNotActive, LearnerNotFound, NotAuthorised
from openlrs.domain.identifiers import make_uln
from openlrs.domain.learners.learner import LearnerStatus
from openlrs.domain.plr.achievements import EventStatus, EventType
from openlrs.services.diploma.award import AwardDiploma, award_diploma
from openlrs.services.diploma.centre_evidence import record_work_experience
from openlrs.services.diploma.claim import claim_diploma
from openlrs.services.diploma.open_account import OpenDiplomaAccount, open_diploma_account
from openlrs.services.diploma.view_account import find_diploma_accounts, view_diploma_account
from openlrs.services.diploma.withdraw_result import withdraw_diploma_result
from tests.builders import (
    AO,
    LRB,
    OTHER_CENTRE,
    OTHER_PROVIDER,
    complete_results,
    fill_account,
    learner_details,
    opened_account,
    store_learner,
    submit_result,
)
from tests.unit.fakes import FakeUnitOfWork

OTHER_AO = Principal("user:other-ao", "10000004", frozenset({Role.AO}))


def test_a_diploma_goes_from_open_to_awarded_and_onto_the_learners_plr(
    uow: FakeUnitOfWork,
) -> None:
    account_id = opened_account(uow)
    fill_account(uow, account_id)
    account, evaluation = view_diploma_account(account_id, principal=LRB, uow=uow)
    assert evaluation.complete and evaluation.trial_grade == "A"  # 210 + 40 = 250
    claimed, _ = claim_diploma(account_id, principal=LRB, uow=uow)
    assert claimed.status is AccountStatus.CLAIMED
    awarded, _ = award_diploma(AwardDiploma(account_id), principal=AO, uow=uow)
    assert (awarded.status, awarded.final_grade) == (AccountStatus.AWARDED, "A")
    committed = uow.database.committed
    (event,) = committed.plr.events.values()
    assert (event.uln, event.grade, event.subject_title, event.subject, event.ukprn) == (
        account.uln,
        "A",
        "Higher Diploma in Engineering",
        diploma_rules("engineering", "higher").qualification,
        AO.ukprn,
    )
    assert (event.event_type, event.status, event.level, event.source) == (
        EventType.ACHIEVEMENT,
        EventStatus.ACHIEVED,
        "2",
        "diploma",
    )
    (audit,) = [a for a in committed.audit if a.action is AuditAction.ACHIEVEMENT_CREATE]
    assert (audit.uln, audit.detail) == (account.uln, event.id)


def _merge_into(uow: FakeUnitOfWork, uln: str, master_uln: str) -> None:
    with uow:
        learner = uow.learners.get(uln)
        assert learner is not None
        merged = dataclasses.replace(learner, status=LearnerStatus.MERGED, master_uln=master_uln)
        assert uow.learners.replace(
            merged, expected_version=learner.version, actor="seed", ukprn=None
        )
        uow.commit()


def test_a_diploma_awarded_after_a_merge_lands_on_the_masters_plr(uow: FakeUnitOfWork) -> None:
    account_id = opened_account(uow)
    fill_account(uow, account_id)
    claim_diploma(account_id, principal=LRB, uow=uow)
    account, _ = view_diploma_account(account_id, principal=LRB, uow=uow)
    master = store_learner(uow, learner_details(7))
    _merge_into(uow, account.uln, master.uln)
    award_diploma(AwardDiploma(account_id), principal=AO, uow=uow)
    (event,) = uow.database.committed.plr.events.values()
    assert event.uln == master.uln


def test_a_failed_award_leaves_the_plr_untouched(uow: FakeUnitOfWork) -> None:
    account_id = opened_account(uow)
    fill_account(uow, account_id)
    claim_diploma(account_id, principal=LRB, uow=uow)
    with pytest.raises(DiplomaGradeInvalid):
        award_diploma(AwardDiploma(account_id, grade="E"), principal=AO, uow=uow)
    assert uow.database.committed.plr.events == {}


def test_every_result_re_aggregates_and_a_withdrawal_undoes_it(uow: FakeUnitOfWork) -> None:
    account_id = opened_account(uow)
    fill_account(uow, account_id)
    assert withdraw_diploma_result(account_id, "project", principal=AO, uow=uow).trial_grade is None
    (project,) = [
        r
        for r in complete_results(diploma_rules("engineering", "higher"), "A", "B")
        if r.reference == "project"
    ]
    assert submit_result(uow, account_id, project).complete


def test_an_account_needs_an_active_uln_once_per_diploma(uow: FakeUnitOfWork) -> None:
    with pytest.raises(LearnerNotFound):
        open_diploma_account(
            OpenDiplomaAccount(make_uln("100000004"), "engineering", "higher", OTHER_PROVIDER),
            principal=LRB,
            uow=uow,
        )
    merged = store_learner(uow, learner_details(2), status=LearnerStatus.MERGED)
    with pytest.raises(LearnerNotActive):
        open_diploma_account(
            OpenDiplomaAccount(merged.uln, "engineering", "higher", OTHER_PROVIDER),
            principal=LRB,
            uow=uow,
        )
    account_id = opened_account(uow, seed=3)
    account, _ = view_diploma_account(account_id, principal=LRB, uow=uow)
    with pytest.raises(DiplomaAccountExists):
        open_diploma_account(
            OpenDiplomaAccount(account.uln, "engineering", "higher", OTHER_PROVIDER),
            principal=LRB,
            uow=uow,
        )
    with pytest.raises(NotAuthorised):
        open_diploma_account(
            OpenDiplomaAccount(account.uln, "engineering", "advanced", OTHER_PROVIDER),
            principal=AO,
            uow=uow,
        )


def test_another_centre_cannot_see_or_change_the_account(uow: FakeUnitOfWork) -> None:
    account_id = opened_account(uow)
    account, _ = view_diploma_account(account_id, principal=AO, uow=uow)
    with pytest.raises(DiplomaAccountNotFound):
        view_diploma_account(account_id, principal=OTHER_CENTRE, uow=uow)
    with pytest.raises(DiplomaAccountNotFound):
        record_work_experience(account_id, 10, principal=OTHER_CENTRE, uow=uow)
    assert find_diploma_accounts(account.uln, principal=OTHER_CENTRE, uow=uow) == []
    assert find_diploma_accounts(account.uln, principal=OTHER_AO, uow=uow) == []  # not named


def test_only_the_submitting_body_withdraws_and_only_the_named_body_awards(
    uow: FakeUnitOfWork,
) -> None:
    account_id = opened_account(uow)
    fill_account(uow, account_id)
    with pytest.raises(DiplomaAccountNotFound):  # an account not naming it: not there for it
        withdraw_diploma_result(account_id, "project", principal=OTHER_AO, uow=uow)
    claim_diploma(account_id, principal=LRB, uow=uow)
    with pytest.raises(DiplomaAccountNotFound):
        award_diploma(AwardDiploma(account_id), principal=OTHER_AO, uow=uow)


def test_an_incomplete_account_cannot_be_claimed(uow: FakeUnitOfWork) -> None:
    account_id = opened_account(uow)
    with pytest.raises(DiplomaNotComplete, match="principal_learning"):
        claim_diploma(account_id, principal=LRB, uow=uow)


def test_principal_learning_from_another_line_is_refused(uow: FakeUnitOfWork) -> None:
    account_id = opened_account(uow)
    (pl, *_) = complete_results(diploma_rules("engineering", "higher"), "A", "B")
    with pytest.raises(DiplomaResultInvalid, match="is not principal learning"):
        submit_result(uow, account_id, dataclasses.replace(pl, qualification="500/3931/4"))


def test_an_awarded_account_no_longer_changes(uow: FakeUnitOfWork) -> None:
    account_id = opened_account(uow)
    fill_account(uow, account_id)
    claim_diploma(account_id, principal=LRB, uow=uow)
    award_diploma(AwardDiploma(account_id, grade="B"), principal=AO, uow=uow)
    with pytest.raises(DiplomaAccountClosed):
        withdraw_diploma_result(account_id, "project", principal=AO, uow=uow)
