"""The learner's QCF credit from their record (in-memory fakes): units counted, withdrawn ones not,
read as the PLR is read (merged ULNs, opt-out) and audited as `plr.qcf_credit`."""

from __future__ import annotations

import dataclasses

import pytest

from openlrs.domain.audit import AuditAction
from openlrs.domain.diploma.errors import QualificationRulesNotFound
from openlrs.domain.learners.learner import Learner, LearnerStatus
from openlrs.domain.plr.achievements import AchievementDetails
from openlrs.domain.plr.errors import LearnerOptedOut
from openlrs.domain.plr.qualifications import Availability, Unit
from openlrs.services.diploma.learner_credit import learner_credit
from openlrs.services.plr.change_achievement import ChangeAchievement, withdraw_achievement
from openlrs.services.plr.post_achievement import post_achievement
from openlrs.services.plr.qualification_register import load_register
from openlrs.services.plr.sharing import SharingChoice, set_sharing
from tests.builders import (
    ADMIN,
    AO,
    AWARDED,
    LRB,
    OWNED,
    POLICY,
    achievement_command,
    claimed_details,
    learner_details,
    load_qualifications,
    store_learner,
)
from tests.unit.fakes import FakeUnitOfWork

AWARD = "600/1001/1"
CREDITS = {"A/601/0001": 3, "A/601/0002": 2, "A/601/0003": 1, "A/601/0004": 2}


@pytest.fixture(autouse=True)
def _register(uow: FakeUnitOfWork) -> None:
    load_qualifications(uow)
    units = [
        Unit(ref, f"Unit {ref}", "1", credit, AO.ukprn, Availability.PRIVATE)
        for ref, credit in CREDITS.items()
    ]
    load_register(units, principal=ADMIN, uow=uow)


def _award(uow: FakeUnitOfWork, learner: Learner, unit: str) -> str:
    command = dataclasses.replace(
        achievement_command(learner), details=AchievementDetails(unit, AWARDED)
    )
    return post_achievement(command, principal=AO, uow=uow, policy=POLICY).event.id


def _audited(uow: FakeUnitOfWork) -> list[str | None]:
    with uow:
        found = uow.audit.list(ukprn=None, uln=None, before_id=None, limit=100)
    return [e.outcome for e in found if e.action is AuditAction.PLR_QCF_CREDIT]


def test_units_on_the_record_count_and_a_withdrawn_one_stops_counting(
    uow: FakeUnitOfWork,
) -> None:
    learner = store_learner(uow, learner_details())
    post_achievement(achievement_command(learner, OWNED), principal=AO, uow=uow, policy=POLICY)
    ids = {unit: _award(uow, learner, unit) for unit in CREDITS}
    known = claimed_details(learner)

    full = learner_credit(learner.uln, qualification=AWARD, principal=LRB, uow=uow, knowledge=known)
    change = ChangeAchievement(learner.uln, ids["A/601/0003"])
    withdraw_achievement(change, principal=AO, uow=uow, policy=POLICY)
    short = learner_credit(
        learner.uln, qualification=AWARD, principal=LRB, uow=uow, knowledge=known
    )

    assert sorted(e.subject for e in full.units) == sorted(CREDITS)
    assert (full.evaluations[0].claimable, full.evaluations[0].credit) == (True, 8)
    assert "A/601/0003" not in [e.subject for e in short.units]
    (award,) = short.evaluations
    assert (award.claimable, award.missing) == (False, ("1 more credit(s) needed in total",))
    assert _audited(uow) == ["exact", "exact"]


def test_a_merged_uln_reads_the_master_and_an_opted_out_record_is_refused(
    uow: FakeUnitOfWork,
) -> None:
    master = store_learner(uow, learner_details(1))
    merged = store_learner(
        uow, learner_details(2), status=LearnerStatus.MERGED, master_uln=master.uln
    )
    _award(uow, master, "A/601/0001")

    linked = learner_credit(merged.uln, principal=AO, uow=uow, knowledge=claimed_details(master))
    set_sharing(SharingChoice(master.uln, False), principal=ADMIN, uow=uow)

    assert (linked.uln, linked.linked) == (master.uln, True)
    assert len(linked.evaluations) == 3 and not any(e.claimable for e in linked.evaluations)
    with pytest.raises(LearnerOptedOut):
        learner_credit(master.uln, principal=LRB, uow=uow, knowledge=claimed_details(master))
    assert [e.subject for e in learner_credit(master.uln, principal=ADMIN, uow=uow).units] == [
        "A/601/0001"
    ]
    assert sorted(o or "" for o in _audited(uow)) == ["exact", "linked", "opted_out"]


def test_an_unknown_qualification_is_refused_before_the_record_is_read(
    uow: FakeUnitOfWork,
) -> None:
    learner = store_learner(uow, learner_details())
    with pytest.raises(QualificationRulesNotFound):
        learner_credit(learner.uln, qualification="999/9999/9", principal=LRB, uow=uow)
    assert _audited(uow) == []
